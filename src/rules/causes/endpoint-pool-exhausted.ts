import { defineRule } from '../types.js';
import { jkNoEndpoint } from '../signals.js';
import { distinct, groupBy, list, plural, span } from '../helpers.js';

export default defineRule({
  id: 'endpoint-pool-exhausted',
  title: 'More concurrent requests than JK connection slots',
  severity: 'error',
  needs: { logs: [jkNoEndpoint] },
  docs: {
    summary:
      'A request found no free endpoint (connection slot) of the worker within connection_acquire_timeout: connection_pool_size is smaller than the number of threads that can use the worker in one process, or requests stuck in Tomcat hold all slots. The request fails with 503.',
    remedy: [
      'httpd: remove worker.<name>.connection_pool_size (mod_jk sizes the pool from ThreadsPerChild), or set it ≥ ThreadsPerChild.',
      'IIS (ISAPI redirector): raise worker.<name>.connection_pool_size to at least the concurrent requests (default 250; 10 before 1.2.20).',
      'worker.<name>.connection_acquire_timeout to wait a little longer; if slots are held by slow requests, fix the backend (see backend-thread-exhaustion).',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (connection_pool_size)', 'tomcat-connectors native/common/jk_ajp_common.c ajp_get_endpoint()', 'native/iis/jk_isapi_plugin.c HttpExtensionProc()'],
  },
  check(ctx) {
    const sigs = ctx.signals(jkNoEndpoint);
    const findings = [];
    for (const [worker, g] of groupBy(sigs, (s) => (s.d.worker as string | undefined) ?? '')) {
      const slots = distinct(g, 'slots');
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(g.length, 'request')}${worker ? ` for worker ${worker}` : ''} found no free connection slot${span(g)}${slots.length ? ` (pool of ${list(slots)} slots)` : ''}: more requests at once than connection_pool_size allows.`,
          evidence: g,
          subject: worker ? { worker } : undefined,
        }),
      );
    }
    return findings;
  },
});
