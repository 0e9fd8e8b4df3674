import { defineRule } from '../types.js';
import { httpdConnectFailed, jkConnectFailed, jkBackendConnectFailed } from '../signals.js';
import { distinct, ERRNO, list, plural } from '../helpers.js';

export default defineRule({
  id: 'selinux-denies-connect',
  title: 'SELinux forbids httpd to connect to the AJP port',
  severity: 'error',
  needs: { logs: [jkConnectFailed, jkBackendConnectFailed, httpdConnectFailed] },
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
    if (!denied.length) return [];
    const backends = distinct(denied, 'backend').map(String);
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `${plural(denied.length, 'connect')}${backends.length ? ` to ${list(backends)}` : ''} failed with permission denied (errno 13): the kernel's security policy, not the network, refused it.`,
        evidence: denied,
      }),
    ];
  },
});
