/**
 * Captures of real third-party clients against a real Tomcat 10.1 on loopback
 * (test/fixtures/captures/third-party/README.md: nmap 7.93 NSE ajp-* scripts, -sV and -sS scans,
 * openssl s_client, the 00theway Ghostcat PoC, AJPy, httpd + mod_jk with 64 KiB packets, a download
 * abandoned mid-body). What really happened comes from the clients' own output and Tomcat's logs
 * (logs/), the frames from tshark's view beside each capture (*.ajp13.tsv, *.tcp.tsv, golden.sh).
 * Each case asserts the right finding and that the wrong one issue 11 reported is gone.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/analyze/index.js';
import { diagnose } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/finding.js';
import { fromConnection } from '../../src/detect/index.js';
import { AjpAnalyzer, type AjpConnection } from '../../src/timeline/index.js';
import type { AjpMessage } from '../../src/ajp/index.js';
import { describeMessage } from '../../src/timeline/describe.js';
import { notAjp, storyLines } from '../../src/timeline/render.js';
import { runCapture } from '../mcmp/run-capture.js';

const DIR = fileURLToPath(new URL('../fixtures/captures/third-party/', import.meta.url));

/** tshark's rows (golden.sh): every column of one file, split. */
function tsv(name: string): string[][] {
  return readFileSync(DIR + name, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
}

async function analyse(file: string, ajpPorts = [8009, 8010, 8011, 18009], packetSize = 8192) {
  const a = await analyzeCapture(DIR + file, { ajpPorts, packetSize });
  const r = diagnose({ events: [], capture: a.evidence });
  return { a, findings: r.findings, ids: [...new Set(r.findings.map((f) => f.id))], kinds: a.evidence.map((e) => e.kind) };
}

const text = (fs: readonly Finding[]): string => fs.map((f) => `${f.id} [${f.severity}]: ${f.explanation}`).join('\n');

describe('nmap ajp-request on a servlet that reads the body (GET_BODY_CHUNK never answered)', () => {
  it('the container waited for the client: client-abort-upload, confirmed; not slow-backend-reply-timeout', async () => {
    const { findings, ids, kinds } = await analyse('nmap-nse-ajp.pcap');
    expect(ids, text(findings)).not.toContain('slow-backend-reply-timeout');
    expect(kinds).not.toContain('reply-timeout');
    const f = findings.find((x) => x.id === 'client-abort-upload')!;
    expect(f, text(findings)).toBeDefined();
    expect(f.confidence).toBe('confirmed');
    expect(f.explanation).toMatch(/GET_BODY_CHUNK/);
    expect(f.explanation).toMatch(/not a slow backend/);
    expect(f.explanation).not.toMatch(/still working on the request/);
    // nmap's AJP library (nselib/ajp.lua) gives up after its 5000 ms socket timeout; Tomcat logged the
    // request with 400 after 5020 ms (logs/scanners.tomcat_access_log.txt).
    expect(f.explanation).toMatch(/closed the connection 5\.0 s later/);
    // The GET_BODY_CHUNK tshark sees (code 6) is in the evidence.
    const gbc = tsv('nmap-nse-ajp.pcap.ajp13.tsv').filter((r) => r[6]!.split(',').includes('6')).map((r) => Number(r[0]));
    expect(gbc).toHaveLength(1);
    expect(f.evidence.some((e) => e.source === 'capture' && e.frames.includes(gbc[0]!))).toBe(true);
    expect(readFileSync(DIR + 'logs/scanners.tomcat_access_log.txt', 'utf8')).toMatch(/"GET \/app\/echo HTTP\/1.1" 400 - 50\d\d\d\d\d/);
  });
});

describe('port scans of the AJP port', () => {
  it('SYN scan with 8009 filtered: an info finding about the scan, no connect-timeout-unreachable', async () => {
    const { findings, ids } = await analyse('nmap-syn-scan-filtered.pcap');
    expect(ids, text(findings)).not.toContain('connect-timeout-unreachable');
    expect(findings.filter((f) => f.severity !== 'info'), text(findings)).toEqual([]);
    const f = findings.find((x) => x.id === 'http-client-on-ajp-port')!;
    expect(f.explanation).toMatch(/port scan/);
    expect(f.explanation).toMatch(/21 ports/);
    // nmap re-sent its probe from a new source port: both SYNs to 8009 (tshark) are in the evidence.
    const syns = tsv('nmap-syn-scan-filtered.pcap.tcp.tsv').filter((r) => r[4] === '8009' && r[5] === '0x0002').map((r) => Number(r[0]));
    expect(syns).toHaveLength(2);
    const frames = f.evidence.flatMap((e) => (e.source === 'capture' ? e.frames : []));
    for (const s of syns) expect(frames).toContain(s);
  });

  it('SYN scan with 8009 open (SYN → SYN-ACK → RST): info, nothing about the backend', async () => {
    const { findings } = await analyse('nmap-syn-scan.pcap');
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['http-client-on-ajp-port', 'info']]);
    expect(findings[0]!.explanation).toMatch(/SYN → SYN-ACK → RST/);
  });

  it('a real unanswered connect keeps connect-timeout-unreachable, with every SYN in its filter', () => {
    const c = {
      stream: 3, firstFrame: 10, lastFrame: 40, startTs: 100,
      webServer: { addr: '10.0.0.1', port: 40000 }, container: { addr: '10.0.0.2', port: 8009 },
      bytes: { webServer: 0, container: 0 },
      facts: { syn: true, synAck: false, synFrames: [10, 17, 40], finBy: null, rstBy: null, closedIdleBy: null, unansweredAfterIdle: null },
    } as unknown as AjpConnection;
    const e = fromConnection(c);
    expect(e.map((x) => [x.kind, x.frames])).toEqual([['syn-unanswered', [10, 17, 40]]]);
    expect(e[0]!.detail).toMatch(/3 SYNs/);
  });
});

describe('nmap -sV and TLS on the AJP port', () => {
  it('-sV on 8009: its probes are a service scan (info), not "a client speaking TLS"', async () => {
    const { findings, a } = await analyse('nmap-sV.pcap');
    expect(findings.filter((f) => f.severity !== 'info'), text(findings)).toEqual([]);
    const f = findings.find((x) => x.id === 'http-client-on-ajp-port' && /non-AJP/.test(x.explanation))!;
    expect(f.explanation).toMatch(/service scan/);
    expect(f.explanation).not.toMatch(/a client speaking TLS/);
    // "GET / HTTP/1.0" read as magic "GE" + length "T " is not a 21540-byte AJP packet.
    expect(a.notices.map((n) => n.kind)).not.toContain('packet-size-exceeded');
  });

  it('-sV probes on 8010 given as an AJP port: HTTP, TLS, SMB, RDP and JRMI named', async () => {
    const { findings } = await analyse('nmap-sV.pcap', [8009, 8010]);
    const f = findings.find((x) => x.id === 'http-client-on-ajp-port' && /non-AJP/.test(x.explanation))!;
    for (const p of ['HTTP', 'TLS', 'SMB', 'RDP', 'JRMI']) expect(f.explanation).toContain(p);
    expect(f.severity).toBe('info');
  });

  it('openssl s_client: a TLS client, from the start of its connection; no connect-timeout-unreachable', async () => {
    const { findings, ids, a } = await analyse('openssl-tls.pcap');
    expect(ids).toEqual(['http-client-on-ajp-port']);
    expect(findings[0]!.explanation).toMatch(/TLS/);
    expect(a.sections.ajp.connectionList.every((c) => c.fromStart)).toBe(true);
    expect(a.sections.ajp.violations.some((v) => v.fields?.reason === 'mid-stream-start')).toBe(false);
    // Listed as not AJP, not as an AJP connection that misbehaved.
    const c = a.sections.ajp.connectionList[0]!;
    expect(notAjp(c)).toBe(true);
    expect(storyLines(c)[1]).toMatch(/not AJP: no valid AJP13 message/);
  });

  it('an AJP connection, even a Ghostcat one, is not "not AJP"', async () => {
    const { a } = await analyse('ghostcat-poc.pcap');
    expect(a.sections.ajp.connectionList.map(notAjp)).toEqual([false, false]);
  });
});

describe('Ghostcat PoCs', () => {
  it('ajpShooter: the request Tomcat refused (403) and the one it let through (404) are told apart, counted per request', async () => {
    const { findings, a } = await analyse('ghostcat-poc.pcap');
    const g = findings.filter((f) => f.id === 'ghostcat-probe');
    expect(g).toHaveLength(2);
    const accepted = g.find((f) => /ACCEPTED/.test(f.explanation))!;
    const rejected = g.find((f) => /REJECTED/.test(f.explanation))!;
    expect(accepted.explanation).toMatch(/^The capture shows 1 FORWARD_REQUEST .* answered 404, not 403/);
    expect(rejected.explanation).toMatch(/^The capture shows 1 FORWARD_REQUEST .* with 403/);
    for (const f of g) expect(f.explanation).not.toMatch(/\(\d+ requests\)|patched Tomcat answers 403/);
    // tshark: frame 4 to 8009 answered 403, frame 18 to 8010 answered 404.
    const rows = tsv('ghostcat-poc.pcap.ajp13.tsv');
    expect(rows.filter((r) => r[6]!.split(',').includes('4')).map((r) => [r[1], r[10]])).toEqual([['0', '403'], ['1', '404']]);
    // ajpShooter sends one stray byte after its FORWARD_REQUEST: not "bytes missing from the capture".
    const resync = a.sections.ajp.violations.filter((v) => v.kind === 'resync');
    expect(resync.length).toBeGreaterThan(0);
    for (const v of resync) {
      expect(v.detail).not.toMatch(/bytes missing from the capture/);
      expect(v.fields?.reason).toBe('trailing');
    }
  });

  it('AJPy read_file: one FORWARD_REQUEST with three include attributes is one request, accepted (404)', async () => {
    const { findings } = await analyse('ajpy.pcap');
    const g = findings.filter((f) => f.id === 'ghostcat-probe');
    expect(g).toHaveLength(1);
    expect(g[0]!.explanation).toMatch(/^The capture shows 1 FORWARD_REQUEST with javax\.servlet\.include\.request_uri, javax\.servlet\.include\.path_info and javax\.servlet\.include\.servlet_path/);
    expect(g[0]!.explanation).toMatch(/ACCEPTED/);
    expect(g[0]!.evidence).toHaveLength(1);
  });
});

describe('httpd + mod_jk with 64 KiB packets on port 8011 (every request 200, connection reused)', () => {
  it('oversized packets on a healthy link are a hint with --packet-size 65536, not errors', async () => {
    const { findings, a } = await analyse('httpd-mod_jk-64k.pcap', [8011]);
    expect(findings).toEqual([]);
    const c = a.sections.ajp.connectionList;
    expect(c.map((x) => [x.requests, x.reused, x.errors])).toEqual([[5, 5, 0]]);
    const big = a.sections.ajp.violations.filter((v) => v.kind === 'packet-too-big');
    expect(big.length).toBeGreaterThan(0);
    for (const v of big) expect(v.detail).not.toMatch(/rejects it and closes/);
    const n = a.notices.find((x) => x.kind === 'packet-size-exceeded')!;
    expect(n.text).toMatch(/--packet-size 65536/);
    expect(n.text).toMatch(/no receiver refused them/);
    // tshark reads packets over 8192 bytes in the headers too (ajp13.len + 4; one row per frame).
    expect(Math.max(...tsv('httpd-mod_jk-64k.pcap.ajp13.tsv').flatMap((r) => r[5]!.split(',').map((x) => Number(x) + 4)))).toBeGreaterThan(8192);
    expect(a.sections.ajp.largestPacket).toBe(65536);
  });

  it('with --packet-size 65536: nothing to say', async () => {
    const { findings, a } = await analyse('httpd-mod_jk-64k.pcap', [8011], 65536);
    expect(findings).toEqual([]);
    expect(a.notices).toEqual([]);
  });
});

describe('a download the client abandoned: the web server resets the AJP connection mid-body', () => {
  it('the SEND_BODY_CHUNK cut by the close is an incomplete SEND_BODY_CHUNK, not a MALFORMED packet the capture lost', async () => {
    const { findings, a } = await analyse('download-reset.pcap', [18009]);
    const s = a.sections.ajp;
    expect(s.frames.MALFORMED).toBe(0);
    // tshark dissects the whole SEND_BODY_CHUNKs only; we also count the one the RST cut off.
    // (One row per frame, its PDUs' fields joined with commas.)
    const tsharkChunks = tsv('download-reset.pcap.ajp13.tsv').flatMap((r) => r[6]!.split(',')).filter((c) => c === '3').length;
    expect(s.frames.SEND_BODY_CHUNK).toBe(tsharkChunks + 1);
    expect(s.violations.some((v) => /captured|cut short/.test(v.detail))).toBe(false);
    expect(s.connectionList[0]!.end).toBe('rst');
    expect(findings.map((f) => f.id)).toEqual(['client-abort-download']);
  });

  it('the frames view names it: SEND_BODY_CHUNK 8184 bytes, incomplete after 3225 of them (3228 payload bytes sent)', async () => {
    const msgs: AjpMessage[] = [];
    await runCapture(DIR + 'download-reset.pcap', new AjpAnalyzer({ ajpPorts: [18009], onMessage: (m) => msgs.push(m) }));
    const last = msgs[msgs.length - 1]!;
    expect(last.type).toBe('SEND_BODY_CHUNK');
    expect(last.frames).toContain(131);
    expect(describeMessage(last)).toBe('SEND_BODY_CHUNK 8184 bytes, incomplete: the connection closed after 3225 of them');
  });
});
