import { defineRule } from '../types.js';
import { httpdConnectFailed, jkConnectFailed, winsockConnectFailed } from '../signals.js';
import { backendsOf, connectionsIn, ERRNO, groupBy, list, perRequest, plural, span } from '../helpers.js';

export default defineRule({
  id: 'connect-timeout-unreachable',
  title: 'Backend host unreachable or SYN unanswered',
  severity: 'error',
  concerns: ['jk:socket_connect_timeout', 'proxy:connectiontimeout'],
  needs: { logs: [jkConnectFailed, httpdConnectFailed, winsockConnectFailed], capture: ['syn-unanswered'] },
  docs: {
    summary:
      'Connecting to the backend times out (errno 115 when socket_connect_timeout expires, 110 from the kernel) or the host is unreachable (113/101): a firewall drops the SYN, the host is down or routing is wrong. Each failure costs the full timeout.',
    remedy: [
      'Fix routing / firewall between web server and backend (test with nc -vz <host> <port>).',
      'workers.properties: worker.<name>.socket_connect_timeout=5000 (milliseconds) so failover is quick; mod_proxy: ProxyPass … connectiontimeout=5.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html', 'tomcat-connectors native/common/jk_connect.c nb_connect()'],
  },
  check(ctx) {
    const sigs = ctx
      // not "connecting to backend failed (errno=110)": that errno can come from the connect-CPing (a busy backend)
      .signalsOf(jkConnectFailed, httpdConnectFailed, winsockConnectFailed)
      .filter((s) => {
        const e = Number(s.d.errno);
        return s.d.errno !== undefined && (ERRNO.inProgress.has(e) || ERRNO.timedOut.has(e) || ERRNO.unreachable.has(e));
      });
    const findings = [];
    const backends = backendsOf(sigs);
    for (const [backend, g] of groupBy(sigs, (s) => backends.get(s))) {
      const codes = [...new Set(g.map((s) => Number(s.d.errno)))];
      const unreachable = codes.some((c) => ERRNO.unreachable.has(c));
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(perRequest(g).length, 'connect attempt')}${backend ? ` to ${backend}` : ''} ${unreachable ? 'found no route to the host' : 'timed out'} (errno ${codes.join(', ')})${span(g)}.`,
          evidence: g,
          subject: backend ? { backend } : undefined,
        }),
      );
    }
    const syn = ctx.capture('syn-unanswered');
    if (syn.length)
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows ${plural(connectionsIn(syn), 'SYN')} to ${list([...new Set(syn.map((c) => String(c.fields?.container ?? '?')))])} never answered (no SYN-ACK, no RST).`,
          evidence: syn,
        }),
      );
    return findings;
  },
});
