/**
 * Issue 10, the analysis side: what the wire shows is never hidden by an option or by the command
 * used. Each test fails on the code before issue 10 (noted with the old behaviour).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, useTempDirs } from '../helpers/cli.js';

const tmp = useTempDirs('ajp-inspect-wire-');

interface Report {
  findings: Array<{ id: string; explanation: string; evidence: Array<{ source: string; detail?: string }> }>;
  capture: {
    packets: number;
    tcpStreams: number;
    notices?: Array<{ kind: string; text: string }>;
    files?: Array<{ path: string; firstFrame: number; lastFrame: number }>;
    ajp: { connections: number; requests: number };
  };
}

function report(args: string[]): { code: number | null; r: Report } {
  const x = runCli([...args, '-T', 'json']);
  expect(x.err).toBe('');
  return { code: x.code, r: JSON.parse(x.out) as Report };
}

const ids = (r: Report) => r.findings.map((f) => f.id).sort();

describe('--packet-size never hides a mismatch the wire shows', () => {
  it('samples/packet-size with --packet-size 65536 still names packet-size-mismatch and says what was given (was: client-abort-download, exit 0)', () => {
    const { code, r } = report(['samples/packet-size/capture.pcap', '--ajp-port', '18009', '--packet-size', '65536']);
    expect(ids(r)).toEqual(['packet-size-mismatch', 'packet-size-mismatch']);
    expect(code).toBe(1);
    const reply = r.findings.flatMap((f) => f.evidence).find((e) => e.detail?.includes('65536-byte packet in the reply'));
    expect(reply?.detail).toMatch(/--packet-size 65536 was given, but the receiver refused the 65536-byte packet/);
  });
  it('with the default 8192 it says packets bigger than --packet-size were seen', () => {
    const { r } = report(['samples/packet-size/capture.pcap', '--ajp-port', '18009']);
    expect(r.capture.notices?.find((n) => n.kind === 'packet-size-exceeded')?.text).toMatch(/AJP packets of up to 65536 bytes were seen, more than --packet-size 8192/);
  });
});

describe('no AJP where the user looked is said', () => {
  it('a capture with no AJP ends with the TCP ports seen and --ajp-port, not "Root causes: none found" (was: none found, nothing else)', () => {
    const x = runCli(['test/fixtures/captures/lo-ether.pcap']);
    expect(x.code).toBe(0);
    const last = x.out.trimEnd().split('\n').pop()!;
    expect(last).toMatch(/^No AJP13 found \(looked on port 8009 and by content on every TCP stream\)\. TCP server ports seen: 18431 \(\d+ streams?\); .*try --ajp-port 18431\.$/);
    expect(x.out).not.toContain('Root causes: none found');
    // frames and timeline end the same way.
    for (const cmd of ['frames', 'timeline']) {
      const y = runCli([cmd, 'test/fixtures/captures/lo-ether.pcap']);
      expect(y.out.trimEnd().split('\n').pop(), cmd).toBe(last);
    }
  });
  it('--ajp-port naming a port without AJP while AJP is elsewhere is said (was: silent)', () => {
    const x = runCli(['samples/baseline/capture.pcap', '--ajp-port', '9999']);
    expect(x.out).toContain('Note: No AJP on --ajp-port 9999; AJP13 was found by content on port 18009: give --ajp-port 18009 to say so.');
  });
});

describe('diagnose --capture runs the same full analysis as CAPTURE --log', () => {
  it('honours --packet-size and --show-secrets (was: Unknown argument, exit 2)', () => {
    const opts = ['--ajp-port', '18009', '--packet-size', '65536', '--show-secrets'];
    const a = runCli(['samples/packet-size/capture.pcap', '--log', 'samples/packet-size/error_log', ...opts, '-T', 'json']);
    const b = runCli(['diagnose', 'samples/packet-size/error_log', '--capture', 'samples/packet-size/capture.pcap', ...opts, '-T', 'json']);
    expect(b.err).toBe('');
    expect(b.code).toBe(a.code);
    const idsOf = (out: string) => (JSON.parse(out) as Report).findings.map((f) => f.id).sort();
    expect(idsOf(b.out)).toEqual(idsOf(a.out));
    expect(idsOf(b.out)).toContain('packet-size-mismatch');
  });
  it('reads MCMP too: the mcmp sample\'s root causes come through diagnose --capture (was: none, AJP only)', () => {
    const b = runCli(['diagnose', 'samples/mcmp/error_log', '--capture', 'samples/mcmp/capture.pcap', '--mcmp-port', '16666', '--ajp-port', '18009,18010', '-T', 'json']);
    expect(b.err).toBe('');
    const found = (JSON.parse(b.out) as Report).findings.filter((f) => f.evidence.some((e) => e.source === 'capture')).map((f) => f.id);
    expect(found).toEqual(expect.arrayContaining(['mcmp-syntax-error', 'mcmp-mem-error', 'mcmp-node-removed', 'mcmp-node-not-ok']));
  });
});

describe('--show-secrets shows the secret in the default command\'s text (was: "redacted; --show-secrets reveals" even with it)', () => {
  it('lists the distinct secrets with the option, never without', () => {
    const shown = runCli(['samples/secret-mismatch/capture.pcap', '--ajp-port', '18009', '--show-secrets']);
    expect(shown.out).toContain('AJP secret:  2 distinct value(s): #1 "not-the-tomcat-secret", #2 "s3cr3t-of-tomcat"');
    const hidden = runCli(['samples/secret-mismatch/capture.pcap', '--ajp-port', '18009']);
    expect(hidden.out).not.toContain('s3cr3t-of-tomcat');
    expect(hidden.out).toContain('(redacted; --show-secrets reveals)');
  });
});

/** Splits a classic pcap after `n` records into two files (a tcpdump -C rotation: each file has the header). */
function splitPcap(src: string, n: number, dir: string): [string, string] {
  const buf = readFileSync(join(root, src));
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d;
  let off = 24;
  for (let i = 0; i < n; i++) off += 16 + (le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8));
  const a = join(dir, 'rot.pcap0');
  const b = join(dir, 'rot.pcap1');
  writeFileSync(a, buf.subarray(0, off));
  writeFileSync(b, Buffer.concat([buf.subarray(0, 24), buf.subarray(off)]));
  return [a, b];
}

describe('several captures in one run (a rotation) are read as one, in time order', () => {
  it('two halves of samples/client-abort, given in reverse order, give the one file\'s counts, findings and frame numbers (was: Unknown argument)', () => {
    const [a, b] = splitPcap('samples/client-abort/capture.pcap', 150, tmp());
    const one = report(['samples/client-abort/capture.pcap', '--ajp-port', '18009']);
    const two = report([b, a, '--ajp-port', '18009']);
    expect(two.code).toBe(one.code);
    expect(two.r.capture.packets).toBe(one.r.capture.packets);
    expect(two.r.capture.tcpStreams).toBe(one.r.capture.tcpStreams);
    expect(two.r.capture.ajp).toMatchObject({ connections: one.r.capture.ajp.connections, requests: one.r.capture.ajp.requests });
    expect(ids(two.r)).toEqual(ids(one.r));
    // Read in time order (a before b, though given b a), frame numbers continuing.
    expect(two.r.capture.files).toEqual([
      { path: a, firstFrame: 1, lastFrame: 150 },
      { path: b, firstFrame: 151, lastFrame: one.r.capture.packets },
    ]);
    // Frame numbers continue across the files: the evidence names the same frames.
    const frames = (r: Report) => JSON.stringify(r.findings.map((f) => f.evidence));
    expect(frames(two.r)).toBe(frames(one.r));
  });
});
