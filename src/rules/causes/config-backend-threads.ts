import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { connectorThreads, intValue, lastDirective, type HttpdDirective } from '../../config/index.js';
import { backends, connectorAt, where } from './config-util.js';

/**
 * How many requests one httpd can forward at once: MaxRequestWorkers (MaxClients before 2.3.13),
 * bounded by ServerLimit × ThreadsPerChild (threaded MPMs; defaults 16 × 25 = 400) or ServerLimit
 * (prefork, default 256); mod_jk's pool per process defaults to ThreadsPerChild (Timeouts HowTo,
 * "Connection Pools").
 */
function httpdConcurrency(ds: readonly HttpdDirective[]): { n: number; from: HttpdDirective[] } | undefined {
  if (!ds.length) return undefined;
  const mpm = ds.filter((d) => d.name.toLowerCase() === 'loadmodule').map((d) => /mpm_(\w+)_module/.exec(d.args[0] ?? '')?.[1]).find((m) => m !== undefined) ?? 'event';
  const get = (n: string): { v?: number; d?: HttpdDirective } => {
    const d = lastDirective(ds, n);
    return d ? { v: intValue(d.args[0]), d } : {};
  };
  const mrw = get('MaxRequestWorkers').d ? get('MaxRequestWorkers') : get('MaxClients');
  const sl = get('ServerLimit');
  const tpc = get('ThreadsPerChild');
  const from = [mrw.d, sl.d, tpc.d].filter((d): d is HttpdDirective => d !== undefined);
  if (!from.length) return undefined;
  const threaded = mpm !== 'prefork';
  const cap = threaded ? (sl.v ?? 16) * (tpc.v ?? 25) : (sl.v ?? 256);
  const n = Math.min(mrw.v ?? (threaded ? 400 : 256), cap);
  return { n, from };
}

export default defineRule({
  id: 'config-backend-threads',
  title: 'The web server can forward more requests at once than Tomcat has threads for',
  severity: 'warning',
  needs: { logs: [], config: ['httpd'] },
  confirmedByIncident: ['backend-thread-exhaustion', 'endpoint-pool-exhausted'],
  docs: {
    summary:
      'httpd can forward up to MaxRequestWorkers requests at once (bounded by ServerLimit × ThreadsPerChild), each on its own AJP connection, and the Tomcat connector they reach has fewer threads (maxThreads, or its Executor\'s). With the blocking connector (org.apache.coyote.ajp.AjpProtocol, Tomcat 7 / 8.0) every pooled connection holds a thread even when idle: reported when the threads are fewer than the web server\'s connections. With NIO / NIO2 / APR connectors only busy requests hold one, the rest wait in the queue and CPings wait with them (timeouts, 503): reported at warning when the threads are fewer than half the web server\'s, at info when just fewer. Several web servers in front of one Tomcat add up; only the files given are counted.',
    remedy: [
      'Raise maxThreads on the <Connector> (or its <Executor>) to at least the web servers\' MaxRequestWorkers together, e.g. <Connector protocol="AJP/1.3" maxThreads="400" …/>, or lower MaxRequestWorkers / worker.<name>.connection_pool_size (mod_jk; per httpd child) / ProxyPass … max=N (mod_proxy_ajp, per child) to what Tomcat can serve.',
    ],
    references: [
      'Timeouts HowTo, "Connection Pools and Idle Timeouts" (https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html)',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (maxThreads, maxConnections)',
      'https://httpd.apache.org/docs/2.4/mod/mpm_common.html#maxrequestworkers',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    const web = httpdConcurrency(ctx.config.httpd);
    if (!web) return out;
    const reached = new Set(backends(ctx.config).flatMap((b) => b.connectors));
    for (const c of reached) {
      const t = connectorThreads(c);
      if (!t || t.value >= web.n) continue;
      const bio = /ajp\.AjpProtocol$/.test(c.protocol);
      const severity = bio || t.value * 2 < web.n ? 'warning' : 'info';
      const webText = web.from.map((d) => `${d.name} ${d.args.join(' ')} (${where(d)})`).join(', ');
      out.push(
        ctx.finding({
          confidence: severity === 'warning' ? 'likely' : 'possible',
          severity,
          explanation: `httpd can forward up to ${web.n} requests at once (${webText}) to the connector on port ${c.port ?? '?'}, which has ${t.value} threads (${t.from ? `maxThreads at ${where(t.from)}` : 'maxThreads not set: 200'})${bio ? ': with the blocking AjpProtocol every pooled connection holds a thread, so connections beyond it wait unanswered' : `: at peak ${web.n - t.value} requests (and their CPings) wait for a Tomcat thread, and time out as ping_timeout / reply timeouts`}.`,
          evidence: [...web.from.map((d) => ({ source: 'config' as const, path: d.path, line: d.line, text: `${d.name} ${d.args.join(' ')}` })), connectorAt(c, t.from ? t.from.key : undefined)],
          subject: { connector: `port ${c.port ?? '?'}`, maxThreads: String(t.value) },
          remedy: [`maxThreads="${web.n}" on the connector at ${where(c)} (or MaxRequestWorkers ${t.value} on this httpd)`],
        }),
      );
    }
    return out;
  },
});
