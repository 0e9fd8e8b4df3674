/**
 * `ajp-inspect mcmp` on the real mod_proxy_cluster capture in samples/mcmp, run in-process through
 * the CLI's main() so stdout, stderr and the exit code are what a user gets.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parsePorts } from '../../src/cli/commands/mcmp.js';
import { useTempDirs } from '../helpers/cli.js';
import { NODE_ADDRESS, cookieNamesNodeCapture, misalignedTables } from '../helpers/redaction.js';

const CAPTURE = 'samples/mcmp/capture.pcap';
const tempDir = useTempDirs('ajp-inspect-mcmp-');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const prev = process.env.NO_COLOR;
  process.env.NO_COLOR = '1';
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    if (prev === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = prev;
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('ajp-inspect mcmp', () => {
  it('shows the exchanges, the final cluster view and each node\'s load over time; exit 1 for the errors it holds', async () => {
    // (its AJP ports given: without them the capture is read twice, the AJP found by content, and a note says so)
    const r = await run(['mcmp', CAPTURE, '--ajp-port', '18009,18010']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('MCMP: 56 exchange(s) on 28 connection(s) to 1 httpd; 16 request(s) without an answer');
    expect(lines[1]).toBe(
      'Requests as sent: CONFIG 5, DISABLE-APP 3, DUMP 2, ENABLE-APP 10, ERROR 1, FOO-APP 1, INFO 5, PING 4, REMOVE-APP 5, STATUS 33, STOP-APP 2, VERSION 1',
    );
    // Exchange 6: node1's first STATUS, answered OK, with the CPing httpd sent to 127.0.0.1:18009.
    expect(lines.find((l) => /│ 6 +│/.test(l))).toMatch(/│ node1 +│ STATUS +│ Load=100 +│ 200 State=OK +│ CPing 1\/1 127\.0\.0\.1:18009/);
    // Exchange 30: STATUS for a node httpd does not know.
    expect(lines.find((l) => /│ 30 +│/.test(l))).toMatch(/node9 .*500 Internal Server Error MEM: Can't read node/);
    expect(r.out).toContain('answers look like mod_proxy_cluster 2.x (released)');
    expect(lines.find((l) => l.startsWith('│ node1 │ OK'))).toMatch(/│ 100 +│ registered +│ mycluster/);
    expect(lines.find((l) => l.startsWith('│ node2 │ NOTOK'))).toMatch(/removed/);
    expect(r.out).toContain('  node2: 1.502s 75 | 9.502s 75 | 19.501s 75 | 29.501s 75 | 39.502s -1 | 49.501s 75 | 59.501s 75 | 69.503s 75');
    expect(r.out).toMatch(/\[warning\] 39\.502 s mcmp-node-broken: node2 reported Load=-1 .*\(frame\.number in \{550 552 554\}\)/);
  });

  it('--format json fills capture.mcmp: messages by method as sent (unanswered included), exchanges, cluster view', async () => {
    const r = await run(['mcmp', CAPTURE, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { capture: { packets: number; mcmp: Record<string, unknown> } };
    expect(report.capture.packets).toBe(872);
    const m = report.capture.mcmp as {
      messages: Record<string, number>;
      exchanges: Array<{ index: number; method: string; answer: { status: number; state?: string } }>;
      unanswered: unknown[];
      clusters: Array<{ nodes: Array<{ jvmRoute: string; lifecycle: string; load: number }> }>;
    };
    // 19 STATUS answered + 14 written into closed connections; INFO 4 + 1; REMOVE-APP 4 + 1.
    expect(m.messages).toEqual({
      CONFIG: 5, 'DISABLE-APP': 3, DUMP: 2, 'ENABLE-APP': 10, ERROR: 1, 'FOO-APP': 1, INFO: 5, PING: 4,
      'REMOVE-APP': 5, STATUS: 33, 'STOP-APP': 2, VERSION: 1,
    });
    expect(m.exchanges).toHaveLength(56);
    expect(m.unanswered).toHaveLength(16);
    expect(m.exchanges[38]).toMatchObject({ index: 39, method: 'STATUS', answer: { status: 200, state: 'NOTOK' } });
    expect(m.clusters[0].nodes.map((n) => [n.jvmRoute, n.lifecycle, n.load])).toEqual([
      ['node1', 'registered', 100],
      ['node2', 'removed', 0],
    ]);
  });

  it('text: a node address that is a secret value (host and port joined in the cell) is redacted before the node table measures it', async () => {
    // A sticky cookie on the AJP side holds node1's host:port (collected as a secret); the cluster
    // view holds host and port apart, so only the address cell `ajp://host:port` held it whole, and it
    // was redacted as the line was printed, after the widths were taken: node1's row 3 characters short.
    const file = join(tempDir(), 'cookie-names-node.pcap');
    writeFileSync(file, cookieNamesNodeCapture());
    const r = await run(['mcmp', file]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain(NODE_ADDRESS);
    expect(r.out).toMatch(/│ node1 +│ OK +│ 50 +│ registered +│ [^│]+│ - +│ ajp:\/\/\[redacted\] +│/);
    expect(misalignedTables(r.out)).toEqual([]);
    const shown = await run(['mcmp', file, '--show-secrets']);
    expect(shown.out).toContain(`│ ajp://${NODE_ADDRESS} │`);
    expect(misalignedTables(shown.out)).toEqual([]);
  });

  it('reads --mcmp-port lists and refuses what is not a port', () => {
    expect(parsePorts(['6666,8000', '16666'])).toEqual([6666, 8000, 16666]);
    expect(parsePorts(undefined)).toEqual([]);
    expect(() => parsePorts(['http'])).toThrow('--mcmp-port: "http" is not a TCP port');
  });

  it('says in one line when the capture cannot be read (exit 2)', async () => {
    const r = await run(['mcmp', 'samples/mcmp/no-such.pcap']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('ajp-inspect: samples/mcmp/no-such.pcap: no such file\n');
  });

  it('the default command reports MCMP alongside AJP: capture.mcmp in JSON, the node table in text', async () => {
    const json = await run([CAPTURE, '--format', 'json']);
    const report = JSON.parse(json.out) as { capture: { mcmp: { messages: Record<string, number>; exchangeCount: number } } };
    expect(report.capture.mcmp.messages.STATUS).toBe(33);
    expect(report.capture.mcmp.exchangeCount).toBe(56);
    const text = await run([CAPTURE]);
    expect(text.out).toContain('MCMP: CONFIG 5, DISABLE-APP 3, DUMP 2, ENABLE-APP 10, ERROR 1, FOO-APP 1, INFO 5, PING 4, REMOVE-APP 5, STATUS 33, STOP-APP 2, VERSION 1 (16 unanswered)');
    expect(text.out).toMatch(/│ 127\.0\.0\.1:16666 │ node2 │ NOTOK +│ 0 +│ removed +│ ajp:\/\/127\.0\.0\.2:18010/);
  });
});
