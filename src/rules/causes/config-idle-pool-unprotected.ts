import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { boolValue, intValue, isLoopback, isPlaceholder, lastDirective } from '../../config/index.js';
import { backendAt, backends, where } from './config-util.js';

/**
 * The Timeouts HowTo ("Firewall Connection Dropping"): firewalls between web server and backend
 * silently drop connections idle for too long; "you should always use connection_pool_timeout and
 * connection_pool_minsize on the JK side and keepAliveTimeout or connectionTimeout on the Tomcat side
 * to prevent idle connection drop", and socket_keepalive "if you suspect idle connection drops".
 * mod_proxy_ajp's equivalents are ttl= and keepalive=On on the worker.
 */
export default defineRule({
  id: 'config-idle-pool-unprotected',
  title: 'Pooled AJP connections to a remote backend are kept idle for ever (firewall idle drop)',
  severity: 'warning',
  needs: { logs: [], config: ['workers', 'httpd'] },
  confirmedByIncident: ['firewall-idle-drop', 'backend-idle-close-race'],
  docs: {
    summary:
      'A mod_jk worker or mod_proxy_ajp URL reaches a backend on another host and neither closes idle pooled connections (connection_pool_timeout / ttl=) nor keeps them alive (socket_keepalive / keepalive=On). A firewall, NAT or load balancer in between forgets a connection idle longer than its timeout and drops its packets without a reset: after a quiet period the first requests hang for ping_timeout, socket_timeout or TCP retransmission (minutes), then fail. Backends on loopback are not reported; placeholders are skipped.',
    remedy: [
      'mod_jk: worker.<name>.connection_pool_timeout=600 (seconds, below the firewall idle timeout) with keepAliveTimeout="600000" on the Tomcat connector, and worker.<name>.socket_keepalive=true (with net.ipv4.tcp_keepalive_time below the firewall timeout); ping_mode=A catches what is left.',
      'mod_proxy_ajp: ProxyPass … ajp://host:8009/ ttl=300 keepalive=On (and ping=5 to check a pooled connection before use).',
    ],
    references: [
      'Timeouts HowTo, "Firewall Connection Dropping" (https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html), mod_jk 1.2.16+',
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (connection_pool_timeout, socket_keepalive)',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass (ttl, keepalive)',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    const opts = ctx.config.httpd.filter((d) => d.name.toLowerCase() === 'jkoptions').flatMap((d) => d.args);
    const noReuse = opts.some((o) => /^\+?DisableReuse$/i.test(o));
    for (const b of backends(ctx.config)) {
      if (isLoopback(b.host) || isPlaceholder(b.host)) continue;
      if (b.kind === 'jk') {
        if (noReuse) continue;
        const s = b.worker.settings;
        if ((intValue(s.get('connection_pool_timeout') ?? s.get('cache_timeout')) ?? 0) > 0 || boolValue(s.get('socket_keepalive')) === true) continue;
        out.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `${b.name} reaches ${b.host}:${b.port} (${where(b.worker)}), another host, and keeps idle pooled connections for ever: no connection_pool_timeout, no socket_keepalive. A firewall or NAT between them that forgets idle connections makes the first requests after a quiet period hang and fail.`,
            evidence: [backendAt(b)],
            subject: { backend: `${b.host}:${b.port}`, worker: b.worker.name },
            remedy: [`worker.${b.worker.name}.connection_pool_timeout=600`, `worker.${b.worker.name}.socket_keepalive=true`],
          }),
        );
      } else {
        const p = b.proxy.params;
        if ((intValue(p.get('ttl')) ?? 0) > 0 || /^on$/i.test(p.get('keepalive')?.value ?? '') || /^on$/i.test(p.get('disablereuse')?.value ?? '')) continue;
        if (lastDirective(ctx.config.httpd, 'SetEnv')?.args[0] === 'proxy-initial-not-pooled') continue;
        out.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `${b.name} (${where(b.proxy)}) reaches ${b.host}:${b.port}, another host, and keeps idle pooled connections for ever: no ttl=, no keepalive=On. A firewall or NAT between them that forgets idle connections makes the first requests after a quiet period fail${p.has('ping') ? ' (ping= turns the hang into a CPing failure and a retry)' : ''}.`,
            evidence: [backendAt(b)],
            subject: { backend: `${b.host}:${b.port}`, proxy: b.proxy.url },
            // The other parameters as written, a secret's value left out (remedies are not redacted).
            remedy: [`${b.proxy.directive} ${b.proxy.mount ?? ''} ${b.proxy.url}${[...p.values()].map((x) => ` ${x.key}=${/secret/i.test(x.key) ? '…' : x.value}`).join('')} ttl=300 keepalive=On`.replace(/\s+/g, ' ')],
          }),
        );
      }
    }
    return out;
  },
});
