/**
 * The default command as a user runs it: `node dist/cli.js <capture>` (dist/ is built by
 * test/global-setup.ts). Exit codes, bad input, stdin, the JSON report's shape.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, useTempDirs } from '../helpers/cli.js';
import { NODE_ADDRESS, cookieNamesNodeCapture, misalignedTables } from '../helpers/redaction.js';

const tempDir = useTempDirs('ajp-inspect-');

const LO = 'test/fixtures/captures/lo-ether.pcap';
const golden = JSON.parse(readFileSync(join(root, 'test/golden/test__fixtures__captures__lo-ether.pcap.tshark.json'), 'utf8')) as {
  packets: number;
  tcpStreams: number;
  streams: { stream: number; payloadAB: number; payloadBA: number }[];
};

function run(args: string[], input?: Buffer, env: Record<string, string> = {}) {
  return runCli(args, { input, env: { NO_COLOR: '', ...env } });
}

describe('ajp-inspect <capture>', () => {
  it('prints the summary and the stream table, exit 0', () => {
    const r = run([LO]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('Format:      pcap, little-endian');
    expect(r.out).toContain('Link types:  ETHERNET (1)');
    expect(r.out).toContain(`Packets:     ${golden.packets} (${golden.packets} TCP)`);
    expect(r.out).toContain(`TCP streams: ${golden.tcpStreams}`);
    expect(r.out).toMatch(/│ 2\s+│ \[::1\]:57804\s+│ \[::1\]:18431\s+│ 7\s+│ 84\s+│ 5\s+│ 3188\s+│/);
    expect(r.out).not.toMatch(/\x1b\[/); // not a TTY: no colours
  });

  it('--format json writes the report core with tshark-equal figures', () => {
    const r = run([LO, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('ajp-inspect/report');
    expect(j.schemaVersion).toBe(1);
    expect(j.tool.name).toBe('ajp-inspect');
    expect(j.inputs).toEqual([{ path: LO, kind: 'capture', format: 'pcap' }]);
    expect(j.capture.packets).toBe(golden.packets);
    expect(j.capture.tcpStreams).toBe(golden.tcpStreams);
    expect(j.capture.streams).toHaveLength(golden.tcpStreams);
    const s0 = j.capture.streams[0];
    expect(s0).toMatchObject({ id: 0, client: '127.0.0.1:40492', server: '127.0.0.1:18431', roleFrom: 'handshake', end: 'fin', endBy: 'client' });
    expect(s0.payloadBytes).toEqual({ c2s: golden.streams[0].payloadAB, s2c: golden.streams[0].payloadBA });
    expect(j.warnings).toBeUndefined();
  });

  it('-T json -o FILE writes the report to the file, nothing on stdout', () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    const r = run(['inspect', LO, '-T', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).capture.tcpStreams).toBe(golden.tcpStreams);
  });

  it('reads stdin with -, gzip included', () => {
    const r = run(['-', '--format', 'json'], readFileSync(join(root, 'test/fixtures/captures/lo-ether.pcapng.gz')));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.inputs[0]).toEqual({ path: 'stdin', kind: 'capture', format: 'pcapng' });
    expect(j.capture.gzip).toBe(true);
    expect(j.capture.packets).toBe(golden.packets);
  });

  it('a truncated capture: everything before the cut, a warning on stderr, exit 0', () => {
    const r = run(['test/fixtures/captures/lo-ether-truncated.pcap', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^ajp-inspect: warning: test\/fixtures\/captures\/lo-ether-truncated.pcap: .*cut short/);
    const j = JSON.parse(r.out);
    expect(j.capture.packets).toBe(golden.packets - 1);
    expect(j.warnings).toHaveLength(1);
  });

  it('a file that is not a capture: one line naming it and what it is, exit 2', () => {
    const dir = tempDir();
    const f = join(dir, 'mod_jk.log');
    writeFileSync(f, '[Sat Nov 21 10:00:00 2026] [info] init_jk::mod_jk.c (3591): mod_jk/1.2.49 initialized\n');
    const r = run([f]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(f);
    expect(r.err).toMatch(/not a capture/);
    expect(r.err).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });

  it('a missing file: one line, exit 2', () => {
    const r = run(['no/such/file.pcap']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('ajp-inspect: no/such/file.pcap: no such file\n');
  });

  it('bad options: exit 2', () => {
    expect(run([LO, '--format', 'xml']).code).toBe(2);
    expect(run([LO, '--idle', '-1']).code).toBe(2);
  });

  it('--color always colours the table, NO_COLOR does not override an explicit always', () => {
    expect(run([LO, '--color', 'always']).out).toMatch(/\x1b\[/);
    expect(run([LO, '--color', 'auto'], undefined, { NO_COLOR: '1' }).out).not.toMatch(/\x1b\[/);
  });

  it('text: a secret value made whole by joining cells\' strings (host:port) is redacted before the tables measure it', () => {
    // A sticky cookie whose value is the node's host:port (collected as a secret): the report holds
    // host and port apart, so only the drawn cell held it whole. It was redacted as the line was
    // printed, after the widths were taken: the stream, AJP connection and MCMP node rows with it
    // came out 3 characters short.
    const file = join(tempDir(), 'cookie-names-node.pcap');
    writeFileSync(file, cookieNamesNodeCapture());
    const r = run([file, '--color', 'never']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain(NODE_ADDRESS);
    expect(r.out).toMatch(/│ 1 +│ 10\.0\.0\.5:40000 +│ \[redacted\] +│/);
    expect(r.out).toMatch(/│ node1 +│ OK +│ 50 +│ registered +│ ajp:\/\/\[redacted\] +│/);
    expect(misalignedTables(r.out)).toEqual([]);
    // --show-secrets: the value in the same columns, every table aligned as before
    const shown = run([file, '--color', 'never', '--show-secrets']);
    expect(shown.out).toMatch(/│ 1 +│ 10\.0\.0\.5:40000 +│ 10\.0\.0\.7:8009 +│/);
    expect(shown.out).toContain(`ajp://${NODE_ADDRESS}`);
    expect(misalignedTables(shown.out)).toEqual([]);
  });
});
