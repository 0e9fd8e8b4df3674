import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'backend-idle-close-race';

describe(ID, () => {
  it("finds it: real-log-excerpts E09 (1.2.25 \"all endpoints are disconnected\" + retry)", () => {
    const r = run(fx('excerpts/E09.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("all endpoints are disconnected"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: uyuni-project/uyuni#3417 error_log (120006 AH00878, Tomcat connectionTimeout 20 s)", () => {
    const r = run(fx('published/uyuni-3417-error_log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00878"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: real-log-excerpts E03 (httpd 2.2, 120006)", () => {
    const r = run(fx('excerpts/E03.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("(120006)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it, possible: httpd's send on a pooled connection failing with (32) Broken pipe (constructed from httpd 2.4 ajp_link.c AH01029, mod_proxy_ajp.c AH00989 / AH00868)", () => {
    const r = run({
      path: 'error_log',
      text:
        '[Thu Jun 04 10:20:51.123456 2020] [proxy_ajp:error] [pid 1234:tid 139876] (32)Broken pipe: AH01029: ajp_ilink_send(): send failed\n' +
        '[Thu Jun 04 10:20:51.123500 2020] [proxy_ajp:error] [pid 1234:tid 139876] [client 1.2.3.4:5678] AH00989: ajp_send_header: ajp_ilink_send failed\n' +
        '[Thu Jun 04 10:20:51.123510 2020] [proxy_ajp:error] [pid 1234:tid 139876] (32)Broken pipe: [client 1.2.3.4:5678] AH00868: request failed to 10.0.0.5:8009 (tomcat1)\n',
    });
    const f = r.get(ID)!;
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f.confidence).toBe('possible');
    expect(f.explanation).toMatch(/AH01029 ajp_ilink_send, \(32\)/);
  });
  it("1.2.26–1.2.40's 'all endpoints are disconnected, detected by … cping (1)' is a CPing that went unanswered, not a close by the peer (constructed from jk_ajp_common.c 1.2.37)", () => {
    const r = run({
      path: 'mod_jk.log',
      text:
        '[Wed Jul 13 09:40:42 2016] [17024:139722724702176] [info] ajp_handle_cping_cpong::jk_ajp_common.c (933): timeout in reply cpong\n' +
        '[Wed Jul 13 09:40:42 2016] [17024:139722724702176] [info] ajp_send_request::jk_ajp_common.c (1495): (worker1) failed sending request, socket 19 prepost cping/cpong failure (errno=110)\n' +
        '[Wed Jul 13 09:40:42 2016] [17024:139722724702176] [info] ajp_send_request::jk_ajp_common.c (1533): (worker1) all endpoints are disconnected, detected by connect check (0), cping (1), send (0)\n',
    });
    expect(r.ids).not.toContain(ID);
    expect(r.findings[0]?.id).toBe('firewall-idle-drop');
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down (EOF during a stop is backend-restart)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on real-log-excerpts E14 (resets, not EOF)", () => {
    expect(run(fx('excerpts/E14.log')).ids).not.toContain(ID);
  });
});
