/**
 * The default command names root causes from what the capture shows (and from logs given with
 * --log), and its exit code follows --fail-on. The expected ids come from each sample's README
 * (samples/expected-diagnoses.json), i.e. from what the real httpd / mod_jk / Tomcat run did.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../helpers/cli.js';


function run(args: string[]) {
  return runCli(args);
}

interface Finding { id: string; severity: string; confidence: string; explanation: string; evidence: { source: string; frames?: number[]; path?: string; filter?: string }[] }
function json(args: string[]): { code: number | null; findings: Finding[]; inputs: { kind: string; format: string }[] } {
  const r = run([...args, '-T', 'json']);
  expect(r.err).toBe('');
  const report = JSON.parse(r.out) as { findings: Finding[]; inputs: { kind: string; format: string }[] };
  return { code: r.code, findings: report.findings, inputs: report.inputs };
}

const expected = JSON.parse(readFileSync(join(root, 'samples/expected-diagnoses.json'), 'utf8')) as Record<string, unknown>;

describe('ajp-inspect <capture>: root causes', () => {
  it('the baseline capture names nothing and exits 0', () => {
    const r = json(['samples/baseline/capture.pcap', '--ajp-port', '18009']);
    expect(r.findings).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('secret-mismatch: confirmed from the capture alone, with frame numbers, exit 1', () => {
    expect(JSON.stringify(expected['secret-mismatch'])).toContain('ajp-secret-mismatch');
    const r = json(['samples/secret-mismatch/capture.pcap', '--ajp-port', '18009']);
    const f = r.findings.find((x) => x.id === 'ajp-secret-mismatch');
    expect(f?.confidence).toBe('confirmed');
    const cap = f?.evidence.find((e) => e.source === 'capture' && (e.frames?.length ?? 0) > 0);
    // Evidence in findings carries the same paste-ready Wireshark filter as capture.ajp.violations.
    expect(cap?.filter).toBe(`frame.number in {${[...(cap?.frames ?? [])].sort((a, b) => a - b).join(' ')}}`);
    expect(r.code).toBe(1);
  });

  it('client aborts are info: exit 0 by default, 1 with --fail-on info', () => {
    const r = json(['samples/client-abort/capture.pcap', '--ajp-port', '18009']);
    expect(r.findings.map((x) => x.id).sort()).toEqual(expect.arrayContaining(['client-abort-download', 'client-abort-upload']));
    expect(r.findings.every((x) => x.severity === 'info')).toBe(true);
    // Capture-only evidence is explained as what the capture shows, not as log lines that are absent.
    const upload = r.findings.find((x) => x.id === 'client-abort-upload');
    expect(upload?.explanation).toMatch(/^The capture shows the web server closing 2 connections/);
    expect(upload?.explanation).not.toMatch(/\b0 CPings\b/);
    expect(r.code).toBe(0);
    expect(run(['samples/client-abort/capture.pcap', '--ajp-port', '18009', '--fail-on', 'info']).code).toBe(1);
  });

  it('--log joins the logs of the same run: log evidence and the logs listed as inputs', () => {
    const r = json(['samples/backend-down/capture.pcap', '--ajp-port', '18009', '--log', 'samples/backend-down/mod_jk.log']);
    expect(r.inputs.map((i) => `${i.kind}:${i.format}`)).toEqual(['capture:pcap', 'log:modjk']);
    const f = r.findings.find((x) => x.id === 'backend-down-or-wrong-port');
    expect(f?.evidence.some((e) => e.source === 'log' && e.path === 'samples/backend-down/mod_jk.log')).toBe(true);
    expect(f?.evidence.some((e) => e.source === 'capture')).toBe(true);
    expect(r.code).toBe(1);
  });

  it('text output ends with the root causes and their remedy', () => {
    const r = run(['samples/ghostcat-probe/capture.pcap', '--ajp-port', '18009']);
    expect(r.out).toMatch(/Root causes:[\s\S]*ghostcat-probe[\s\S]*Remedy:/);
    expect(r.code).toBe(1);
  });
});
