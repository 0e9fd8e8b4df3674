import { defineRule } from '../types.js';
import { jkNoEndpoint } from '../signals.js';
import type { SignalDef } from '../types.js';

/**
 * mod_proxy's own pool: a worker's connections (max=, default ThreadsPerChild) are all in use
 * (proxy_util.c ap_proxy_acquire_connection: `AH00934: all workers are busy.  Unable to serve %s`,
 * then `AH00941: %s: failed to acquire connection for (%s)`).
 */
const httpdAllBusy: SignalDef = {
  kind: 'httpd-all-workers-busy',
  source: 'httpd',
  needles: ['all workers are busy', 'failed to acquire connection for'],
  re: /all workers are busy\. +Unable to serve (\S+)|failed to acquire connection for \(([^)]*)\)/,
  data: (m) => ({ worker: m[1] ?? m[2] }),
};
import { distinct, groupBy, list, plural, span } from '../helpers.js';

export default defineRule({
  id: 'endpoint-pool-exhausted',
  title: 'More concurrent requests than JK connection slots',
  severity: 'error',
  needs: { logs: [jkNoEndpoint, httpdAllBusy] },
  docs: {
    summary:
      'A request found no free endpoint (connection slot) of the worker within connection_acquire_timeout: connection_pool_size is smaller than the number of threads that can use the worker in one process, or requests stuck in Tomcat hold all slots. The request fails with 503.',
    remedy: [
      'httpd: remove worker.<name>.connection_pool_size (mod_jk sizes the pool from ThreadsPerChild), or set it ≥ ThreadsPerChild.',
      'IIS (ISAPI redirector): raise worker.<name>.connection_pool_size to at least the concurrent requests (default 250; 10 before 1.2.20).',
      'worker.<name>.connection_acquire_timeout to wait a little longer; if slots are held by slow requests, fix the backend (see backend-thread-exhaustion).',
      'mod_proxy_ajp (AH00934 / AH00941): remove max= from the ProxyPass / BalancerMember (the pool is then ThreadsPerChild) or raise it to ThreadsPerChild; acquire= waits for a free connection instead of failing.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (connection_pool_size)', 'tomcat-connectors native/common/jk_ajp_common.c ajp_get_endpoint()', 'native/iis/jk_isapi_plugin.c HttpExtensionProc()'],
  },
  check(ctx) {
    const sigs = ctx.signalsOf(jkNoEndpoint, httpdAllBusy);
    const findings = [];
    for (const [worker, g] of groupBy(sigs, (s) => (s.d.worker as string | undefined) ?? '')) {
      const slots = distinct(g, 'slots');
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(g.length, 'request')}${worker ? ` for worker ${worker}` : ''} found no free connection slot${span(g)}${slots.length ? ` (pool of ${list(slots)} slots)` : ''}: more requests at once than ${g[0].kind === 'httpd-all-workers-busy' ? "the worker's connection pool (ProxyPass … max=) allows" : 'connection_pool_size allows'}.`,
          evidence: g,
          subject: worker ? { worker } : undefined,
        }),
      );
    }
    return findings;
  },
});
