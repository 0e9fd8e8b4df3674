import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { intValue, lastDirective } from '../../config/index.js';
import { atLine, backendAt, backends, where } from './config-util.js';

/**
 * The Timeouts HowTo's recommendations for every ajp13 worker, and the pool sizing it warns about:
 * "We recommend using all CPing tests" (ping_mode=A, 1.2.27+; before: connect_timeout and
 * prepost_timeout), "We recommend using socket_connect_timeout" (connection establishment can take
 * minutes of TCP retransmits otherwise), "We generally do not recommend to use [connection_pool_size]
 * in combination with Apache HTTP Server" (mod_jk sizes it from ThreadsPerChild), and
 * connection_pool_minsize at most the pool size.
 */
export default defineRule({
  id: 'config-howto-timeouts',
  title: 'mod_jk worker without the CPing / connect timeouts the Timeouts HowTo recommends',
  severity: 'info',
  needs: { logs: [], config: ['workers'] },
  confirmedByIncident: ['connect-timeout-unreachable', 'backend-thread-exhaustion', 'jvm-gc-pause'],
  docs: {
    summary:
      'An ajp13 worker (one mod_jk instantiates) without CPing/CPong (no ping_mode, no connect_timeout / prepost_timeout): a hung or half-dead backend is found only when a request times out; or without socket_connect_timeout: a backend host that is down costs minutes of TCP retransmission per connect. Also connection_pool_size set for httpd (mod_jk sizes the pool from ThreadsPerChild; a larger value wastes connections, and more than 1 with the prefork MPM is wrong) and connection_pool_minsize above the pool size.',
    remedy: [
      'worker.<name>.ping_mode=A with ping_timeout=10000 (mod_jk 1.2.27+; older: connect_timeout=10000 and prepost_timeout=10000), worker.<name>.socket_connect_timeout=5000 (ms); leave connection_pool_size unset with httpd.',
    ],
    references: ['Timeouts HowTo, "CPing/CPong", "Low-Level TCP Timeouts", "Connection Pools" (https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html); ping_mode since mod_jk 1.2.27', 'https://tomcat.apache.org/connectors-doc/reference/workers.html'],
  },
  check(ctx) {
    const out: Finding[] = [];
    const tpc = intValue(lastDirective(ctx.config.httpd, 'ThreadsPerChild')?.args[0]);
    const prefork = ctx.config.httpd.some((d) => d.name.toLowerCase() === 'loadmodule' && /mpm_prefork/.test(d.args[0] ?? ''));
    for (const b of backends(ctx.config)) {
      if (b.kind !== 'jk') continue;
      const s = b.worker.settings;
      const missing: string[] = [];
      if (!s.has('ping_mode') && !s.has('connect_timeout') && !s.has('prepost_timeout')) missing.push('ping_mode=A (no CPing/CPong: a hung backend is found only when a request times out)');
      if (!s.has('socket_connect_timeout') && !s.has('socket_timeout')) missing.push('socket_connect_timeout=5000 (a connect to a dead host waits for TCP retransmissions, minutes)');
      if (missing.length)
        out.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `${b.name} (${where(b.worker)}) has no ${missing.map((m) => m.split('=')[0]).join(' and no ')}: ${missing.map((m) => m.replace(/^[^(]*\(/, '').replace(/\)$/, '')).join('; ')}.`,
            evidence: [backendAt(b)],
            subject: { worker: b.worker.name },
            remedy: missing.map((m) => `worker.${b.worker.name}.${m.split(' ')[0]}`),
          }),
        );
      const size = s.get('connection_pool_size') ?? s.get('cachesize');
      const n = intValue(size);
      if (size && n !== undefined && ctx.config.httpd.length && ((prefork && n > 1) || (tpc !== undefined && n > tpc)))
        out.push(
          ctx.finding({
            confidence: 'likely',
            severity: prefork ? 'warning' : 'info',
            explanation: prefork
              ? `${size.key}=${n} (${where(size)}) with the prefork MPM: each httpd process serves one request at a time, so a pool above 1 only holds idle connections (and Tomcat threads with the blocking connector).`
              : `${size.key}=${n} (${where(size)}) is larger than ThreadsPerChild ${tpc}: an httpd process cannot use more connections than it has threads; the extra ones stay idle.`,
            evidence: [atLine(size.path, size.line, `${size.key}=${size.value}`)],
            subject: { worker: b.worker.name },
            remedy: [`remove ${size.key} (mod_jk uses ThreadsPerChild)`],
          }),
        );
      const min = intValue(s.get('connection_pool_minsize'));
      if (min !== undefined && n !== undefined && min > n)
        out.push(
          ctx.finding({
            confidence: 'confirmed',
            explanation: `connection_pool_minsize=${min} is above connection_pool_size=${n} for ${b.name}: the pool can never keep that many idle connections (the HowTo's default is half the pool size).`,
            evidence: [atLine(s.get('connection_pool_minsize')!.path, s.get('connection_pool_minsize')!.line, `connection_pool_minsize=${min}`)],
            subject: { worker: b.worker.name },
            remedy: [`worker.${b.worker.name}.connection_pool_minsize=${Math.floor((n + 1) / 2)}`],
          }),
        );
    }
    return out;
  },
});
