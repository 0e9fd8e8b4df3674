import { type SignalDef, defineRule } from '../types.js';
import { httpdClientAbort, jkClientWriteError, jkLbClientFailed, jkLingering } from '../signals.js';
import { byThread, groupBy, nextWithin, workersOf, list, perRequest, plural, span, SECOND } from '../helpers.js';

/**
 * Tomcat's side of it: the response could not be written because the peer closed the connection
 * (org.apache.catalina.connector.ClientAbortException wrapping the socket's IOException).
 */
const tomcatClientAbort: SignalDef = {
  kind: 'tomcat-client-abort',
  source: 'tomcat',
  needles: ['ClientAbortException'],
  re: /ClientAbortException(?:: java\.(?:io\.IOException|net\.SocketException): (Broken pipe|Connection reset(?: by peer)?|An established connection was aborted|An existing connection was forcibly closed))?/,
  data: (m) => ({ how: m[1] }),
};

export default defineRule({
  id: 'client-abort-download',
  title: 'Client went away while the response was sent',
  severity: 'info',
  needs: {
    logs: [jkClientWriteError, jkLbClientFailed, httpdClientAbort, jkLingering],
    capture: ['client-abort-download'],
    debug: 'Shutdown socket … and read N lingering bytes (response data nobody read)',
  },
  docs: {
    summary:
      'Writing the response to the browser failed (tab closed, navigation, mobile network change, a front load balancer timing out). The backend finished or kept writing; mod_jk counts it as a client error, not a backend error.',
    remedy: [
      'Usually nothing to fix: client_errors are not backend failures and the lb member stays OK.',
      'worker.<name>.recovery_options=4 (mod_jk 1.2.16+; with lb set it on the members) closes the backend connection on a client write error, so Tomcat sees the abort and no unread data stays on the connection.',
      'If the rate is high: check front load balancer / proxy idle timeouts against the response time, and httpd Timeout for slow clients.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html',
      'tomcat-connectors native/common/jk_ajp_common.c ajp_process_callback() "Writing to client aborted"',
      'tomcat-connectors native/common/jk_lb_worker.c service() "unrecoverable error 200"',
    ],
  },
  readings: [
    {
      signal: tomcatClientAbort,
      severity: 'info',
      explanation:
        'Tomcat could not write a response because the other end had closed the connection (ClientAbortException): the browser or client left (a click away, a closed tab, its own timeout), and the web server closed its AJP side on its behalf. Harmless one by one; many at the same time point at responses that became slow.',
      confirm: "the access log's status and durations for those requests (httpd %D, Tomcat AccessLogValve %D), and the web server's log of the same second (mod_jk: 'Writing to client aborted or client network problems').",
    },
  ],
  check(ctx) {
    const write = ctx.signals(jkClientWriteError);
    const lb = ctx.signals(jkLbClientFailed).filter((s) => s.d.status === 200);
    const httpd = ctx.signals(httpdClientAbort).filter((s) => s.d.what === 'download');
    const cap = ctx.capture('client-abort-download');
    const all = [...write, ...lb, ...httpd];
    if (!all.length && !cap.length) return [];
    const drained = ctx.signals(jkLingering).filter((s) => Number(s.d.bytes) > 0);
    const findings = [];
    all.sort((a, b) => a.seq - b.seq);
    const workers = workersOf(all);
    for (const [worker, sigs] of groupBy(all, (s) => workers.get(s))) {
      // the socket this request's thread shut down right after the failed write, not another request's (an upload abort's)
      const lingering = sigs[0].kind === 'httpd-client-abort' ? [] : [...new Set(sigs.map((x) => nextWithin(x, drained, 2 * SECOND, byThread)).filter((l): l is NonNullable<typeof l> => l !== undefined))];
      const parts = [
        `${plural(perRequest(sigs).length, 'response write')} to the client failed${worker ? ` on worker ${worker}` : ''}${span(sigs)}: the client closed the connection before the response was complete.`,
      ];
      if (lingering.length) parts.push(`mod_jk drained ${list(lingering.slice(0, 5).map((l) => `${l.d.bytes}`))} bytes of unread data when closing the backend sockets.`);
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: parts.join(' '),
          evidence: [...sigs, ...lingering, ...cap],
          subject: worker ? { worker } : undefined,
        }),
      );
    }
    if (!all.length && cap.length)
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `The capture shows the web server closing ${plural(cap.length, 'connection')} while the response was still being sent: the client went away mid-download.`,
          evidence: cap,
        }),
      );
    return findings;
  },
});
