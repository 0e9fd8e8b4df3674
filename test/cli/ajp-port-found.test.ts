/**
 * AJP on another port than the default, without --ajp-port: found by its bytes, and the capture read
 * again with that port so that connections which carried no AJP bytes (refused, reset) count too.
 * Before, samples/backend-restart without --ajp-port named backend-thread-exhaustion (no sample
 * expects it) and samples/backend-down named nothing; the hint to give --ajp-port was the last line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../helpers/cli.js';

interface Report {
  findings: { id: string; confidence: string }[];
  capture: { notices?: { kind: string; text: string }[] };
}

const ids = (out: string) => (JSON.parse(out) as Report).findings.map((f) => `${f.id}:${f.confidence}`);

describe('AJP found by content on another port, --ajp-port not given', () => {
  for (const sample of ['backend-restart', 'backend-down', 'proxy-ajp-faults']) {
    it(`samples/${sample}: the findings of the run with --ajp-port 18009, a note on stderr, a notice in the report`, () => {
      const given = runCli([`samples/${sample}/capture.pcap`, '--ajp-port', '18009', '-T', 'json']);
      const found = runCli([`samples/${sample}/capture.pcap`, '-T', 'json']);
      expect(given.err).toBe('');
      expect(found.err).toMatch(/^ajp-inspect: note: AJP13 was found by content on port 18009, none on 8009: reading the capture again with --ajp-port 18009/);
      expect(found.code).toBe(given.code);
      expect(ids(found.out)).toEqual(ids(given.out));
      expect(ids(found.out).length).toBeGreaterThan(0);
      expect((JSON.parse(found.out) as Report).capture.notices?.map((n) => n.kind)).toContain('ajp-port-found');
    });
  }
  it('from stdin (read once): the advice on stderr, the capture read as it came', () => {
    const r = runCli(['-', '-T', 'json'], { input: readFileSync(join(root, 'samples/backend-down/capture.pcap')) });
    expect(r.err).toMatch(/^ajp-inspect: warning: AJP13 was found by content on port 18009, none on 8009: connections to it that carried no AJP bytes \(refused, reset\) are not counted; run again with --ajp-port 18009/);
  });
  it('with --ajp-port given, the capture is read once as told, whatever it finds', () => {
    const r = runCli(['samples/backend-down/capture.pcap', '--ajp-port', '8009', '-T', 'json']);
    expect(r.err).toBe('');
    expect((JSON.parse(r.out) as Report).capture.notices?.map((n) => n.kind)).toContain('ajp-port-elsewhere');
  });
});
