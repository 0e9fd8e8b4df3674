import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'connect-timeout-unreachable';

describe(ID, () => {
  it("finds it: connect timed out, errno 115 (constructed from the 1.2.48 jk_connect.c format)", () => {
    const r = run(fx('constructed/connect-timeout-unreachable.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("failed (errno=115)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: httpd 2.4 (113)No route to host AH00957 (constructed)", () => {
    const r = run(fx('constructed/connect-timeout-unreachable.error_log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("(113)No route to host"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on samples/overload (\"connecting to backend failed (errno=110)\" after a connect-CPing)", () => {
    expect(run(sample('overload')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E08 (refused, not timed out)", () => {
    expect(run(fx('excerpts/E08.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});

describe("connect-timeout-unreachable: Windows' texts as .NET connectors print them (Winsock FormatMessage strings, constructed in BonCode's error page layout)", () => {
  it('WSAETIMEDOUT and WSAEHOSTUNREACH, with the address after them', () => {
    const timedOut = 'A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond 10.0.0.5:8009    at System.Net.Sockets.TcpClient..ctor(String hostname, Int32 port)';
    const f = run({ path: 'event.txt', text: `${timedOut}\n` }).get('connect-timeout-unreachable');
    expect(f?.explanation).toMatch(/to 10\.0\.0\.5:8009 timed out \(errno 10060\)/);
    const g = run({ path: 'event.txt', text: 'A socket operation was attempted to an unreachable host 10.0.0.6:8009\n' }).get('connect-timeout-unreachable');
    expect(g?.explanation).toMatch(/found no route to the host \(errno 10065\)/);
  });
});
