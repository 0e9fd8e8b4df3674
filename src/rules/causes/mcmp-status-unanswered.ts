import { defineRule } from '../types.js';
import { httpdMaxRequestWorkers } from '../mcmp-signals.js';
import { list, plural, span } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';

/**
 * A node's STATUS got no answer from httpd (reset, closed, or the capture ends before it) and was not
 * sent again on a fresh connection. The benign case — httpd closed the kept-alive connection
 * (KeepAliveTimeout 5 s < the 10 s status period), the write is answered by RST and the Java
 * listener resends at once (DefaultMCMPHandler) — is `mcmp-keepalive-closed` with `resentAs`, and
 * is not this.
 */
export default defineRule({
  id: 'mcmp-status-unanswered',
  title: 'mod_cluster STATUS not answered by httpd (node load and liveness not updated)',
  severity: 'warning',
  needs: { logs: [httpdMaxRequestWorkers], capture: ['mcmp-unanswered', 'mcmp-keepalive-closed'] },
  docs: {
    summary:
      "A node's periodic STATUS got no answer from httpd and was not resent: httpd did not update the node's load factor nor probe it, and the mod_cluster listener counts the proxy in error (it resets it with INFO + CONFIG on the next round). Causes: httpd had no worker free (MaxRequestWorkers reached), a firewall or load balancer between node and httpd dropping or resetting the connection, or httpd stopping.",
    remedy: [
      'httpd busy: raise MaxRequestWorkers (and ServerLimit / ThreadsPerChild with mpm_event) or give MCMP its own VirtualHost/Listen so node traffic is not starved by client traffic.',
      'Something between resets or drops the MCMP connection: check firewalls / NAT idle timeouts between the nodes and httpd; the listener\'s socket timeout is `socketTimeout` (Tomcat ModClusterListener, default 20 s) / `socket-timeout` (WildFly mod_cluster proxy config).',
      'Connection churn only (RST on a kept-alive connection, resent at once) is harmless; `KeepAliveTimeout` above the status interval (e.g. 15 s for a 10 s status-interval) avoids it.',
    ],
    references: [
      'mod_cluster core DefaultMCMPHandler (resend on a fresh connection, proxy ERROR on failure)',
      'mod_proxy_cluster native/mod_manager/mod_manager.c process_status()',
      'https://httpd.apache.org/docs/2.4/mod/mpm_common.html#maxrequestworkers',
    ],
  },
  check(ctx) {
    // Unanswered, or written into a closed kept-alive connection and never resent.
    const lost = [...ctx.capture('mcmp-unanswered'), ...ctx.capture('mcmp-keepalive-closed').filter((c) => c.fields?.resentAs === null || c.fields?.resentAs === undefined)].filter(
      (c) => String(c.fields?.method ?? '').toUpperCase() === 'STATUS',
    );
    const busy = ctx.signals(httpdMaxRequestWorkers);
    if (!lost.length) return [];
    const reasons = [...new Set(lost.map((c) => String(c.fields?.reason ?? 'no answer')))];
    const servers = [...new Set(lost.map((c) => String(c.fields?.server ?? '?')))];
    return [
      ctx.finding({
        confidence: 'confirmed',
        explanation:
          `${plural(lost.length, 'STATUS', 'STATUS')} to httpd ${list(servers)} got no answer and ${lost.length === 1 ? 'was' : 'were'} not sent again${captureSpan(lost)} (${list(reasons)}; ${framesOf(lost)}): httpd neither updated the load factor nor probed the node, and the listener counts that proxy in error.` +
          (busy.length ? ` httpd reached MaxRequestWorkers ${plural(busy.length, 'time')}${span(busy)}.` : ''),
        evidence: [...lost, ...busy],
      }),
    ];
  },
});
