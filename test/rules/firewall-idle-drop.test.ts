import { describe, expect, it } from 'vitest';
import { evidenceText, fx, sample, run } from './harness.js';

const ID = 'firewall-idle-drop';

describe(ID, () => {
  it("finds it: samples/firewall-idle-drop error_log (mod_proxy_ajp, one CPing timeout)", () => {
    const r = run(sample('firewall-idle-drop', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('possible');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("AH00897"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: samples/firewall-idle-drop, info-level mod_jk log (3 pooled CPings time out, a new connection works)", () => {
    const r = run(sample('firewall-idle-drop', ['mod_jk-info.log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("cping (3)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("finds it: keep-alive CPing failures and a CPing timeout after 88 idle minutes (constructed from the 1.2.48 formats)", () => {
    const r = run(fx('constructed/firewall-idle-drop.log'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(f!.severity).toBe('warning');
    expect(evidenceText(f).some((t) => t.includes("keepalive cping/cpong failure (errno=110)"))).toBe(true);
    for (const e of f!.evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("a reset as httpd on Windows words it, (OS 10054), reads as the (104) one (constructed from httpd 2.4's AH01030 / AH00992 / AH00878 and the Winsock text)", () => {
    const r = run({
      path: 'error.log',
      text:
        '[Thu Jun 04 10:20:51.123456 2020] [proxy_ajp:error] [pid 4512:tid 1944] (OS 10054)An existing connection was forcibly closed by the remote host.  : AH01030: ajp_ilink_receive() can\'t receive header\n' +
        '[Thu Jun 04 10:20:51.123500 2020] [proxy_ajp:error] [pid 4512:tid 1944] [client 1.2.3.4:5678] AH00992: ajp_read_header: ajp_ilink_receive failed\n' +
        '[Thu Jun 04 10:20:51.123510 2020] [proxy_ajp:error] [pid 4512:tid 1944] (120006)APR does not understand this error code: [client 1.2.3.4:5678] AH00878: read response failed from 127.0.0.1:8009 (localhost)\n',
    });
    expect(r.findings.map((f) => [f.id, f.confidence])).toEqual([[ID, 'possible']]);
  });
  it("mod_jk 1.2.9–1.2.20's bare negated errno (`… tomcat (%s) is down -110`) is read (constructed from jk_ajp_common.c 1.2.15)", () => {
    const r = run({
      path: 'mod_jk.log',
      text: "[Tue Jan 15 09:01:33 2008] [7765:0000] [error] ajp_connection_tcp_get_message::jk_ajp_common.c (1012): ERROR: can't receive the response message from tomcat, network problems or tomcat (10.0.0.5:8009) is down -110\n",
    });
    expect(r.ids).toEqual([ID]);
  });
  it("stays quiet on samples/overload (new connections fail too)", () => {
    expect(run(sample('overload')).ids).not.toContain(ID);
  });
  it("stays quiet on the baseline sample", () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
  it("stays quiet on samples/backend-down (refusals: the backend itself)", () => {
    expect(run(sample('backend-down')).ids).not.toContain(ID);
  });
  it("stays quiet on a burst of CPing timeouts on one member (GC-pause shape)", () => {
    expect(run(fx('constructed/jvm-gc-pause.log')).ids).not.toContain(ID);
  });
});
