/**
 * `ajp-inspect frames` and `ajp-inspect timeline` as a user runs them (node dist/cli.js, built by
 * test/global-setup.ts), on the real baseline and secret-mismatch captures in samples/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../helpers/cli.js';

const BASE = 'samples/baseline/capture.pcap';
const SECRET = 'samples/secret-mismatch/capture.pcap';

function run(args: string[], input?: Buffer) {
  return runCli(args, { input });
}

/** tshark's count of PDUs of one type in the saved view. */
function tsharkCount(view: string, magic: string, code: string | undefined): number {
  const v = JSON.parse(readFileSync(join(root, view), 'utf8')) as { pdus: Record<string, unknown>[] }[];
  return v.flatMap((f) => f.pdus).filter((p) => p['ajp13.magic'] === magic && p['ajp13.code'] === code).length;
}

describe('ajp-inspect frames', () => {
  it('lists every AJP message with its frame numbers, as many per type as tshark', () => {
    const r = run(['frames', BASE, '--ajp-port', '18009']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
    expect(count(/ws→c .*FORWARD_REQUEST /)).toBe(tsharkCount('samples/baseline/capture.ajp13.json', '12:34', '2'));
    expect(count(/ws→c .* DATA /)).toBe(tsharkCount('samples/baseline/capture.ajp13.json', '12:34', undefined));
    expect(count(/c→ws .*GET_BODY_CHUNK 8186/)).toBe(tsharkCount('samples/baseline/capture.ajp13.json', '41:42', '6'));
    expect(count(/c→ws .*CPONG/)).toBe(20);
    // The first CPING of the capture is frame 9 (tshark: frame 9, ajp13.code 10), its time relative to the
    // capture's first packet as tshark's default -t r (before issue 10: to the first AJP message, 0.000000).
    expect(lines[1]).toMatch(/^9\s+0\.000825\s+s1\s+ws→c\s+CPING$/);
  });

  it('-V prints every field; AJP on a port not given is found by content', () => {
    const v = run(['frames', BASE, '--ajp-port', '18009', '--conn', '9', '-V']);
    expect(v.out).toMatch(/req_uri: "\/app\/echo"/);
    expect(v.out).toMatch(/remote_host: \(null\)/); // mod_proxy_ajp sends FF FF; tshark would show ""
    expect(v.out).toMatch(/req_attribute AJP_REMOTE_PORT \[0x0A\]: "\d+"/);
    const none = run(['frames', BASE, '--ajp-port', '9999']);
    expect(none.code).toBe(0);
    // The AJP streams are still found by content on a port we were not told about.
    expect(none.out).toMatch(/FORWARD_REQUEST/);
  });

  it('redacts the secret unless --show-secrets', () => {
    const r = run(['frames', SECRET, '--ajp-port', '18009', '-V']);
    expect(r.out).toMatch(/secret \[0x0C\]: "\[redacted\]"/);
    expect(r.out).not.toContain('not-the-tomcat-secret');
    const s = run(['frames', SECRET, '--ajp-port', '18009', '-V', '--show-secrets']);
    expect(s.out).toContain('secret [0x0C]: "not-the-tomcat-secret"');
  });
});

describe('ajp-inspect timeline', () => {
  it('tells the baseline mod_jk connection: CPing round trips, a POST body in GET_BODY_CHUNK rounds', () => {
    const r = run(['timeline', BASE, '--ajp-port', '18009', '--conn', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('AJP connection tcp.stream 1: web server 127.0.0.1:55462 → container 127.0.0.1:18009');
    expect(r.out).toMatch(/12 request\(s\), 12 CPing\(s\)/);
    expect(r.out).toMatch(/#124\s+ws→c \[4\] FORWARD_REQUEST POST \/app\/upload HTTP\/1\.1 .*Content-Length=27019/);
    expect(r.out).toMatch(/#134\s+ws→c \[4\] DATA empty/);
    expect(r.out).toMatch(/CPing\/CPong round trip \d+\.\d{3} ms/);
    expect(r.out).toMatch(/\[4\] POST \/app\/upload → 200, request body 27019 B in 5 packet\(s\), 4 GET_BODY_CHUNK round\(s\)/);
    // Idle lines follow --idle (default 30 s; this connection's gaps are ~1 s): test/cli/times.test.ts.
    expect(r.out).toMatch(/tcp FIN from the web server/);
  });

  it('--format json gives the timelines; an unknown --conn is a one-line error', () => {
    const r = run(['timeline', BASE, '--ajp-port', '18009', '--format', 'json']);
    const j = JSON.parse(r.out) as { connections: { stream: number; requests: number; cpings: number }[] };
    expect(j.connections.map((c) => c.stream)).toEqual([1, 9, 18, 20]);
    expect(j.connections.reduce((n, c) => n + c.requests, 0)).toBe(20);
    expect(j.connections.reduce((n, c) => n + c.cpings, 0)).toBe(20);
    const bad = run(['timeline', BASE, '--ajp-port', '18009', '--conn', '2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no AJP connection with tcp.stream 2 \(AJP streams: 1, 9, 18, 20\)/);
  });

  it('-V shows each request\'s headers and attributes, the secret redacted, and says which secret it was', () => {
    const r = run(['timeline', SECRET, '--ajp-port', '18009', '-V']);
    expect(r.out).toMatch(/@ secret: "\[redacted\]"/);
    expect(r.out).not.toContain('s3cr3t-of-tomcat');
    expect(r.out).toMatch(/> user-agent: "curl\/7\.88\.1"/);
    // Two different secrets were sent (wrong and right): numbered, not shown.
    expect(r.out).toMatch(/secret: present on \d+ request\(s\) \(secret #2\)/);
    const s = run(['timeline', SECRET, '--ajp-port', '18009', '-V', '--show-secrets']);
    expect(s.out).toContain('@ secret: "s3cr3t-of-tomcat"');
  });

  it('reports reuse=0 with a Wireshark filter; exits 1 for the root cause the capture shows, as the default command does', () => {
    const r = run(['timeline', SECRET, '--ajp-port', '18009', '--conn', '1']);
    expect(r.out).toMatch(/end-response-no-reuse: END_RESPONSE with reuse=0/);
    expect(r.out).toMatch(/frame\.number in \{\d+\}/);
    // Before issue 10 this exited 0 (no "protocol error") while `ajp-inspect CAPTURE` exited 1 (ajp-secret-mismatch).
    expect(r.out).toMatch(/^Root causes: ajp-secret-mismatch \[error\]/m);
    expect(r.code).toBe(1);
    expect(run([SECRET, '--ajp-port', '18009']).code).toBe(1);
  });
});

describe('ajp-inspect <capture> (AJP part of the summary)', () => {
  it('adds the AJP connection and request tables', () => {
    const r = run([BASE, '--ajp-port', '18009']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('AJP13:       4 connection(s), 20 request(s)');
    expect(r.out).toMatch(/│ 1\s+│ 127\.0\.0\.1:55462\s+│ 127\.0\.0\.1:18009\s+│ 12\s+│ 12\s+│/);
    expect(r.out).toMatch(/│ POST\s+│ \/app\/upload\s+│ 200\s+│ 27019\s+│ 224\s+│/);
  });

  it('--format json fills capture.ajp (counts by type = tshark) and capture.connections', () => {
    const r = run([BASE, '--ajp-port', '18009', '--format', 'json']);
    const j = JSON.parse(r.out) as { capture: { ajp: { connections: number; requests: number; frames: Record<string, number> }; connections: unknown[] } };
    const view = 'samples/baseline/capture.ajp13.json';
    expect(j.capture.ajp.connections).toBe(4);
    expect(j.capture.ajp.requests).toBe(tsharkCount(view, '12:34', '2'));
    expect(j.capture.ajp.frames).toEqual({
      FORWARD_REQUEST: tsharkCount(view, '12:34', '2'),
      DATA: tsharkCount(view, '12:34', undefined),
      SHUTDOWN: 0,
      PING: 0,
      CPING: tsharkCount(view, '12:34', '10'),
      SEND_BODY_CHUNK: tsharkCount(view, '41:42', '3'),
      SEND_HEADERS: tsharkCount(view, '41:42', '4'),
      END_RESPONSE: tsharkCount(view, '41:42', '5'),
      GET_BODY_CHUNK: tsharkCount(view, '41:42', '6'),
      CPONG: tsharkCount(view, '41:42', '9'),
      UNKNOWN: 0,
      MALFORMED: 0,
    });
    expect(j.capture.connections).toHaveLength(4);
  });

  it('rejects a bad --ajp-port with one line and exit 2', () => {
    const r = run([BASE, '--ajp-port', '70000']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--ajp-port: "70000" is not a TCP port/);
  });
});
