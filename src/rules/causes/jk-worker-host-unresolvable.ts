import { defineRule, type SignalDef } from '../types.js';

/**
 * mod_jk / the ISAPI redirector cannot resolve a worker's host name (jk_ajp_common.c ajp_validate at
 * start-up, jk_ajp_pull when the status worker changes it), in the wordings of every 1.2.x:
 *   1.2.0 `In jk_worker_t::validate, resolve failed`, 1.2.1–1.2.27 `[ERROR: ]can't resolve tomcat address %s`,
 *   1.2.28+ `worker %s can't resolve tomcat address %s`, `Failed resolving address '%s:%d' for worker '%s'.`
 * The worker is then unusable (1.2.28+ it stays in error; older versions fail the start-up).
 */
const jkResolveFailed: SignalDef = {
  kind: 'jk-resolve-failed',
  source: 'jk',
  needles: ["can't resolve tomcat address", 'Failed resolving address', 'validate, resolve failed'],
  re: /(?:worker (\S+) )?can't resolve tomcat address (\S+)|Failed resolving address '([^']*)' for worker '([^']*)'|In jk_worker_t::validate, resolve failed/,
  data: (m) => ({ worker: m[1] ?? m[4], host: m[2] ?? m[3] }),
};

export default defineRule({
  id: 'jk-worker-host-unresolvable',
  title: "mod_jk cannot resolve a worker's host name",
  severity: 'error',
  needs: { logs: [jkResolveFailed] },
  docs: {
    summary:
      "The web server could not turn the worker's host (worker.<name>.host) into an address: a typo, a name that only exists in another DNS view or /etc/hosts, a container name outside its network, or DNS not reachable when httpd starts. mod_jk resolves once at start-up (and when the status worker changes the host), so the worker stays unusable until httpd is restarted with a resolvable name.",
    remedy: [
      'Check on the web server: getent hosts <worker.<name>.host> (Windows: nslookup), and fix the name or use the IP address: worker.<name>.host=10.0.0.5.',
      'Docker / Kubernetes: the web server must be on the same network as the Tomcat container (docker network connect …, a Service name that resolves in its namespace), and started after it.',
      'Restart httpd (or the IIS application pool) after DNS is fixed: mod_jk does not resolve again on its own (1.2.x resolves in ajp_validate at start-up).',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (host)',
      'tomcat-connectors native/common/jk_ajp_common.c ajp_validate(), jk_ajp_pull()',
    ],
  },
  check(ctx) {
    const s = ctx.signals(jkResolveFailed);
    if (!s.length) return [];
    const hosts = [...new Set(s.map((x) => x.d.host).filter(Boolean).map(String))];
    const workers = [...new Set(s.map((x) => x.d.worker).filter(Boolean).map(String))];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `mod_jk could not resolve ${hosts.length ? hosts.join(', ') : "the worker's host"}${workers.length ? ` (worker ${workers.join(', ')})` : ''}: the worker has no address to connect to until the name resolves and httpd is restarted.`,
        evidence: s,
        subject: hosts.length ? { host: hosts[0] } : {},
      }),
    ];
  },
});
