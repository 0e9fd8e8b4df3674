/**
 * Lone lines: what one pasted line can say (the rules' `readings`). Real lines: the corpus pastes and
 * the project's published excerpts.
 */
import { describe, expect, it } from 'vitest';
import { fx, paste, run } from './harness.js';

describe('readings of lone lines', () => {
  it('one AH01030 with (104) reset: a possible firewall-idle-drop, at warning, saying what would confirm it', () => {
    const r = run(paste('pa-oldtank-firewall-idle-keepalive'));
    expect(r.findings.map((f) => [f.id, f.severity, f.confidence])).toEqual([['firewall-idle-drop', 'warning', 'possible']]);
    expect(r.findings[0].explanation).toMatch(/would give the same line/);
    expect(r.findings[0].notes?.[0]).toMatch(/^To confirm: /);
  });
  it('one AH01030 without a status: possibly slow (the status would tell)', () => {
    const r = run(paste('r2c-ja-aws-alb-408-ah01030-tomcat-slow'));
    expect(r.findings[0]).toMatchObject({ id: 'slow-backend-reply-timeout', severity: 'warning', confidence: 'possible' });
  });
  it('a client abort seen from Tomcat alone stays info', () => {
    const r = run({ path: 'paste', text: 'org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe\n' });
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['client-abort-download', 'info']]);
  });
  it("mod_jk's summary line alone, rc=-3 (ko-blog-jk-ajp-port-58009-selinux-rc3): possibly nothing listening, the errno before it would tell (13: SELinux)", () => {
    const r = run(paste('ko-blog-jk-ajp-port-58009-selinux-rc3'));
    expect(r.findings.map((f) => [f.id, f.severity, f.confidence])).toEqual([['backend-down-or-wrong-port', 'warning', 'possible']]);
    expect(r.findings[0]?.explanation).toMatch(/13 permission denied \(SELinux/);
    // another rc is another story (-11: an AJP protocol error, jk-log-catalog)
    const other = run({ path: 'mod_jk.log', text: '[Wed Dec 02 10:00:00.000 2026] [123:456] [error] ajp_service::jk_ajp_common.c (2913): (w1) connecting to tomcat failed (rc=-11, errors=1, client_errors=0).\n' });
    expect(other.ids).not.toContain('backend-down-or-wrong-port');
  });
  it('the same lines again (a reset group pasted twice, minutes apart) say no more than once: the reading still comes (known messages counted, not lines)', () => {
    // pa-oldtank's line (httpd 2.2, mod_proxy_ajp), in a paste of two such episodes with the AH00992 httpd logs after it
    const group = (t: string) =>
      `[Thu Jun 04 ${t} 2020] [error] (104)Connection reset by peer: ajp_ilink_receive() can't receive header\n[Thu Jun 04 ${t} 2020] [error] ajp_read_header: ajp_ilink_receive failed\n`;
    const r = run({ path: 'error_log', text: group('10:20:51') + group('10:23:51') });
    expect(r.findings.map((f) => [f.id, f.severity, f.confidence])).toEqual([['firewall-idle-drop', 'warning', 'possible']]);
    expect(r.findings[0].evidence.filter((e) => e.source === 'log').length).toBeGreaterThanOrEqual(2);
  });
  it("mod_jk's 'Tomcat is down or refused connection. No response has been sent to the client (yet)' alone (E21's first line): possibly no free thread, the line before it would tell", () => {
    // real-log-excerpts E21 (Broadcom KB 247520), its first line without the summary after it
    const r = run({ path: 'mod_jk.log', text: '(ajp13) Tomcat is down or refused connection. No response has been sent to the client (yet)\n' });
    expect(r.findings.map((f) => [f.id, f.severity, f.confidence])).toEqual([['backend-thread-exhaustion', 'warning', 'possible']]);
    expect(r.findings[0].explanation).toMatch(/errno 104 \/ 110/);
    // with the reset logged before it, that line decides (firewall-idle-drop's reading), not this one
    const withReset = run({
      path: 'mod_jk.log',
      text:
        "[Thu Jun 04 10:20:51.123 2020] [1234:139876543210560] [info] ajp_connection_tcp_get_message::jk_ajp_common.c (1347): (worker1) can't receive the response header message from tomcat, network problems or tomcat (10.0.0.5:8009) is down (errno=104)\n" +
        '[Thu Jun 04 10:20:51.123 2020] [1234:139876543210560] [error] ajp_get_reply::jk_ajp_common.c (2256): (worker1) Tomcat is down or refused connection. No response has been sent to the client (yet)\n',
    });
    expect(withReset.ids).not.toContain('backend-thread-exhaustion');
  });
  it('not on a log with more lines to go on (E14: resets request after request to a loopback backend, the lone readings give way to the rule)', () => {
    const r = run(fx('excerpts/E14.log'));
    // (liferay-docker#37: nothing listened on 8009 inside the container; docker-proxy reset the host's connections)
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => [f.id, f.confidence])).toEqual([['backend-down-or-wrong-port', 'possible']]);
    expect(r.findings[0]?.explanation).toMatch(/docker-proxy/);
  });
  it('AH00992 alone reads as a pooled connection closed; next to an AH01030 with its status, that line decides', () => {
    expect(run({ path: 'paste', text: 'AH00992: ajp_read_header: ajp_ilink_receive failed\n' }).findings[0]?.id).toBe('backend-idle-close-race');
    const both = '(104)Connection reset by peer: AH01030: ajp_ilink_receive() can\'t receive header\nAH00992: ajp_read_header: ajp_ilink_receive failed\n';
    expect(run({ path: 'paste', text: both }).ids).toEqual(['firewall-idle-drop']);
  });
});

describe('readings of a Java exception pasted alone', () => {
  it('only the Caused by: BindException line (Linux and Windows wordings): possibly the AJP port in use', () => {
    for (const line of ['Caused by: java.net.BindException: Address already in use (Bind failed)', 'java.net.BindException: Address already in use: JVM_Bind']) {
      const r = run({ path: 'paste', text: `${line}\n` });
      expect(r.findings.map((f) => [f.id, f.severity, f.confidence]), line).toEqual([['ajp-connector-port-in-use', 'warning', 'possible']]);
    }
  });
  it('Cannot assign requested address alone: possibly the connector address', () => {
    expect(run({ path: 'paste', text: 'Caused by: java.net.BindException: Cannot assign requested address\n' }).ids).toEqual(['ajp-connector-bind-address']);
  });
  it('with the connector line before it, the check (not the reading) answers: likely', () => {
    const r = run({ path: 'catalina.out', text: '06-Apr-2017 15:10:54.470 SEVERE [main] org.apache.coyote.AbstractProtocol.init Failed to initialize end point associated with ProtocolHandler ["ajp-nio-8009"]\n java.net.BindException: Address already in use\n' });
    expect(r.findings[0]).toMatchObject({ id: 'ajp-connector-port-in-use', confidence: 'likely' });
  });
});

describe('a refused connect in an abridged line', () => {
  it('(errno=111) without the connect wording reads as a possible backend-down-or-wrong-port', () => {
    const r = run({ path: 'paste', text: '[error] ajp_connect_to_endpoint::jk_ajp_common.c (127.0.0.1:8009) (errno=111)\n' });
    expect(r.findings.map((f) => [f.id, f.severity, f.confidence])).toEqual([['backend-down-or-wrong-port', 'warning', 'possible']]);
  });
  it('a whole connect line is read by the check, not the reading (likely)', () => {
    const r = run({ path: 'paste', text: 'jk_open_socket::jk_connect.c (817): connect to 127.0.0.1:8009 failed (errno=111)\n' });
    expect(r.findings[0]).toMatchObject({ id: 'backend-down-or-wrong-port', confidence: 'likely' });
  });
});
