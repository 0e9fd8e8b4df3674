import { defineRule, type SignalDef } from '../types.js';

/**
 * The denial itself, in the audit log (audit.log / `ausearch -m avc` / journald): `avc:  denied
 * { name_connect } for pid=… comm="httpd" dest=8009 scontext=…:httpd_t:… tcontext=…:<port type>:…
 * tclass=tcp_socket`. Pastes often cut it anywhere (terminal width), so only its head is required.
 */
const avcNameConnect: SignalDef = {
  kind: 'selinux-avc-name-connect',
  source: 'httpd',
  needles: ['{ name_connect }'],
  re: /avc: +denied +\{ name_connect \} for +pid=\d+ comm="(httpd|apache2|httpd\.worker|httpd\.event|w3wp)"(?: dest=(\d+))?(?:.*?tcontext=\S*?:(\w+_port_t))?/,
  data: (m) => ({ comm: m[1], port: m[2] === undefined ? undefined : Number(m[2]), portType: m[3] }),
};
import { httpdConnectFailed, jkConnectFailed, jkBackendConnectFailed } from '../signals.js';
import { distinct, ERRNO, list, plural } from '../helpers.js';

export default defineRule({
  id: 'selinux-denies-connect',
  title: 'SELinux forbids httpd to connect to the AJP port',
  severity: 'error',
  needs: { logs: [jkConnectFailed, jkBackendConnectFailed, httpdConnectFailed, avcNameConnect] },
  docs: {
    summary:
      'connect() fails with EACCES (errno 13, "(13)Permission denied"): the SELinux policy lets httpd connect only to ports labelled http_port_t (80, 443, 488, 8008, 8009, 8443) unless httpd_can_network_connect is on.',
    remedy: [
      'Label the custom AJP port: semanage port -a -t http_port_t -p tcp <port>',
      'or allow httpd network connections: setsebool -P httpd_can_network_connect 1',
      'Check the denials with ausearch -m avc -ts recent.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html', 'tomcat-connectors native/common/jk_connect.c jk_open_socket() (errno)'],
  },
  check(ctx) {
    const denied = ctx.signalsOf(jkConnectFailed, jkBackendConnectFailed, httpdConnectFailed).filter((s) => s.d.errno !== undefined && ERRNO.denied.has(Number(s.d.errno)));
    const avc = ctx.signals(avcNameConnect);
    if (!denied.length && avc.length) {
      const ports = distinct(avc, 'port').map(String);
      return [
        ctx.finding({
          confidence: 'confirmed',
          explanation: `SELinux denied ${avc[0].d.comm} the connect (name_connect)${ports.length ? ` to port ${list(ports)}` : ''}${avc[0].d.portType ? ` (labelled ${avc[0].d.portType})` : ''}: the policy, not the network or the backend, refused it (${plural(avc.length, 'denial')}).`,
          evidence: avc,
        }),
      ];
    }
    if (!denied.length) return [];
    const backends = distinct(denied, 'backend').map(String);
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `${plural(denied.length, 'connect')}${backends.length ? ` to ${list(backends)}` : ''} failed with permission denied (errno 13): the kernel's security policy, not the network, refused it.`,
        evidence: [...denied, ...avc],
      }),
    ];
  },
});
