import { describe, expect, it } from 'vitest';
import { evidenceText, fx, paste, sample, run } from './harness.js';

const ID = 'backend-down-or-wrong-port';

describe(ID, () => {
  it("finds it: real-log-excerpts E08 (mod_jk 1.2.23)", () => {
    const r = run(fx('excerpts/E08.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("connect to 127.0.0.1:8009 failed (errno=111)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E11 (mod_jk 1.2.26, JkLogLevel error)", () => {
    const r = run(fx('excerpts/E11.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("connecting to backend failed"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E25 (httpd 2.2 mod_proxy_ajp)", () => {
    const r = run(fx('excerpts/E25-1.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("(111)Connection refused"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/backend-down", () => {
    const r = run(sample('backend-down'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('error');
    expect(evidenceText(f).some((t) => t.includes("errno=111"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("stays quiet on real-log-excerpts E12 (HTTP port: the old final message alone is not a refusal)", () => {
    expect(run(fx('excerpts/E12.log')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on a connect timeout (errno 115)", () => {
    expect(run(fx('constructed/connect-timeout-unreachable.log')).ids).not.toContain(ID);
  });
});

describe('backend-down-or-wrong-port: Windows\' refused connect as .NET connectors print it', () => {
  it('gh-iis2tomcat-100-boncode-actively-refused-8009 (real BonCode error page text, a .NET frame glued on): the refused address', () => {
    const r = run(paste('gh-iis2tomcat-100-boncode-actively-refused-8009'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe('backend-down-or-wrong-port');
    expect(r.findings[0]!.subject).toEqual({ backend: '127.0.0.1:8009' });
  });

  describe('connections reset at once, request after request, on a loopback backend (docker-proxy before a port nothing listens on)', () => {
    // E14's lines (liferay-docker#37), with the backend address or the gaps changed
    const lines = (backend: string, secondAt: string, status = '(104)Connection reset by peer') =>
      [
        `[Tue Dec 17 18:06:19.375949 2019] [proxy_ajp:error] [pid 4337:tid 140133135910656] ${status}: AH01030: ajp_ilink_receive() can't receive header`,
        '[Tue Dec 17 18:06:19.375982 2019] [proxy_ajp:error] [pid 4337:tid 140133135910656] [client ::1:43648] AH00992: ajp_read_header: ajp_ilink_receive failed',
        `[Tue Dec 17 18:06:19.375992 2019] [proxy_ajp:error] [pid 4337:tid 140133135910656] (120006)APR does not understand this error code: [client ::1:43648] AH00878: read response failed from ${backend} (backend)`,
        `[Tue Dec 17 ${secondAt} 2019] [proxy_ajp:error] [pid 4337:tid 140133127517952] ${status}: AH01030: ajp_ilink_receive() can't receive header`,
        '',
      ].join('\n');
    it('the real lines (excerpts/E14): possible, with the check inside the container', () => {
      const f = run(fx('excerpts/E14.log')).get(ID);
      expect(f).toMatchObject({ confidence: 'possible', subject: { backend: '[::1]:8009' } });
      expect(f?.remedy).toMatch(/docker exec <container> ss -ltn/);
    });
    it('not for a backend on another host, resets minutes apart, or an end of file (70014: an idle close)', () => {
      expect(run({ path: 'error_log', text: lines('10.0.0.5:8009', '18:06:19.454898') }).ids).not.toContain(ID);
      expect(run({ path: 'error_log', text: lines('127.0.0.1:8009', '18:16:19.454898') }).ids).not.toContain(ID);
      expect(run({ path: 'error_log', text: lines('127.0.0.1:8009', '18:06:19.454898', '(70014)End of file found') }).ids).not.toContain(ID);
      expect(run({ path: 'error_log', text: lines('127.0.0.1:8009', '18:06:19.454898') }).ids).toContain(ID);
    });
  });
});
