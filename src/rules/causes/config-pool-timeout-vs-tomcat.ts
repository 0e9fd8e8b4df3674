import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { intValue, type AjpConnector, type Setting } from '../../config/index.js';
import { backendAt, backends, connectorAt, where } from './config-util.js';

/** Tomcat closes an idle AJP connection after keepAliveTimeout, which defaults to connectionTimeout (ms; AJP default -1: never). */
function tomcatIdle(c: AjpConnector): { ms: number; from: Setting } | undefined {
  const s = c.server === 'jboss' ? c.attrs.get('no-request-timeout') : (c.attrs.get('keepAliveTimeout') ?? c.attrs.get('connectionTimeout'));
  const ms = intValue(s);
  if (s === undefined || ms === undefined || ms <= 0) return undefined;
  return { ms, from: s };
}

function secs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The Timeouts HowTo ("Connection Pools and Idle Timeouts"): "If you use [connection_pool_timeout],
 * please also set the attribute keepAliveTimeout (if it is set explicitly) or connectionTimeout in
 * the AJP Connector … to an analogous value. Caution: keepAliveTimeout and connectionTimeout must be
 * given in milliseconds." When Tomcat closes idle connections first, the web server's pool holds
 * connections Tomcat has closed: the next request on one fails (or costs a CPing and a retry).
 */
export default defineRule({
  id: 'config-pool-timeout-vs-tomcat',
  title: 'Tomcat closes idle AJP connections before the web server drops them from its pool',
  severity: 'warning',
  needs: { logs: [], config: ['tomcat', 'jboss'] },
  confirmedByIncident: ['backend-idle-close-race'],
  docs: {
    summary:
      'Tomcat\'s AJP connector closes a connection idle for keepAliveTimeout (default: connectionTimeout; milliseconds; AJP default -1, never), while mod_jk keeps pooled connections for connection_pool_timeout (seconds; default 0, never) plus up to worker.maintain (60 s), and mod_proxy_ajp for ttl= (seconds; default: never). When Tomcat\'s limit is the shorter one, requests are sent on connections Tomcat has just closed: errors, retries, "(client) failed sending request", 502/503 under low traffic. With ping_mode P/A (mod_jk) or ping= (httpd) the dead connection is detected by a CPing first (reported at info then).',
    remedy: [
      'Make the web server give up idle connections first: worker.<name>.connection_pool_timeout=<seconds below Tomcat\'s> (mod_jk; the HowTo recommends 600 with keepAliveTimeout="600000"), ProxyPass … ttl=<seconds> (mod_proxy_ajp), or raise keepAliveTimeout / connectionTimeout (milliseconds) on the <Connector>.',
    ],
    references: [
      'Timeouts HowTo, "Connection Pools and Idle Timeouts" (https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html), mod_jk 1.2.16+',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (connectionTimeout, keepAliveTimeout)',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass (ttl)',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    const maintain = intValue(ctx.config.workers.map((f) => f.globals.get('maintain')).find((s) => s !== undefined)) ?? 60;
    for (const b of backends(ctx.config)) {
      for (const c of b.connectors) {
        const idle = tomcatIdle(c);
        if (!idle) continue;
        const subject = { backend: `${b.host}:${b.port}`, [b.kind === 'jk' ? 'worker' : 'proxy']: b.kind === 'jk' ? b.worker.name : b.proxy.url };
        if (b.kind === 'jk') {
          const pool = b.worker.settings.get('connection_pool_timeout') ?? b.worker.settings.get('cache_timeout');
          const poolS = intValue(pool) ?? 0;
          const pinged = /[PA]/i.test(b.worker.settings.get('ping_mode')?.value ?? '') || (intValue(b.worker.settings.get('prepost_timeout')) ?? 0) > 0;
          if (poolS > 0 && poolS * 1000 <= idle.ms) continue;
          const fix = `worker.${b.worker.name}.connection_pool_timeout=${Math.max(1, Math.floor(idle.ms / 1000) - maintain)}`;
          out.push(
            ctx.finding({
              confidence: 'likely',
              severity: pinged ? 'info' : undefined,
              explanation: `Tomcat closes idle AJP connections after ${secs(idle.ms)} (${idle.from.key}="${idle.from.value}" at ${where(idle.from)}, milliseconds) but ${b.name} keeps them ${poolS > 0 ? `for ${poolS} s (connection_pool_timeout at ${where(pool!)}, seconds)` : 'for ever (connection_pool_timeout not set)'}: requests after a quiet period go out on connections Tomcat has closed${pinged ? ' (the CPing of ping_mode catches them first, at the cost of a retry)' : ''}.`,
              evidence: [pool ? { source: 'config' as const, path: pool.path, line: pool.line, text: `${pool.key}=${pool.value}` } : backendAt(b), connectorAt(c, idle.from.key)],
              subject,
              remedy: [`${fix} (mod_jk closes idle connections between connection_pool_timeout and connection_pool_timeout + worker.maintain = ${maintain} s)`],
            }),
          );
        } else {
          const ttl = b.proxy.params.get('ttl');
          const ttlS = intValue(ttl);
          if (ttlS !== undefined && ttlS > 0 && ttlS * 1000 <= idle.ms) continue;
          const pinged = b.proxy.params.has('ping');
          out.push(
            ctx.finding({
              confidence: 'likely',
              severity: pinged ? 'info' : undefined,
              explanation: `Tomcat closes idle AJP connections after ${secs(idle.ms)} (${idle.from.key}="${idle.from.value}" at ${where(idle.from)}) but ${b.name} (${where(b.proxy)}) keeps them ${ttlS ? `for ${ttlS} s (ttl=, seconds)` : 'for ever (no ttl=)'}: requests after a quiet period go out on connections Tomcat has closed${pinged ? ' (ping= catches them first)' : ''}.`,
              evidence: [backendAt(b), connectorAt(c, idle.from.key)],
              subject,
              remedy: [`${b.proxy.directive} ${b.proxy.mount ?? ''} ${b.proxy.url} ttl=${Math.max(1, Math.floor(idle.ms / 1000) - 1)}`.replace(/\s+/g, ' ')],
            }),
          );
        }
      }
    }
    return out;
  },
});
