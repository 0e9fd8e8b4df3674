import { defineRule } from '../types.js';
import { httpdCpingFailed, httpdCpongUnexpected, httpdReceiveHeader } from '../signals.js';
import { around, byThread, ERRNO, groupBy, merge, plural, precededBy, span, withRepeat, SECOND } from '../helpers.js';
import type { Finding } from '../finding.js';
import type { RuleContext } from '../types.js';
import { captureSpan, framesOf, groupByField, inBursts, numbers, secondsRange } from './capture-util.js';

/**
 * Capture: CPINGs without CPONG on new connections of a web server whose requests around that moment
 * came from mod_proxy_ajp (detect/client.ts: no Content-Length on body-less requests). mod_proxy_ajp
 * retries a failed CPing once on a new connection (mod_proxy_ajp.c proxy_ajp_handler()), so two within
 * seconds mean the retry failed too and the client got 503.
 */
function fromCapture(ctx: RuleContext): Finding[] {
  const cap = ctx.capture('cping-timeout').filter((c) => c.fields?.client === 'mod_proxy_ajp' && c.fields?.duringRestart !== true);
  const out: Finding[] = [];
  for (const [container, g] of groupByField(cap, 'container')) {
    const retried = inBursts(g, 10);
    const waits = numbers(g, 'waitedSeconds');
    const parts = [
      `The capture shows ${plural(g.length, 'CPING')} to ${container} from mod_proxy_ajp (its requests nearby carry no Content-Length, unlike mod_jk's) that got no CPONG before it closed the connection${waits.length ? ` ${secondsRange(waits)} later (ping=)` : ''}${captureSpan(g)} (${framesOf(g)}).`,
      retried.length >= 2 ? 'They come in quick succession: the retry on a new connection failed as well, so those requests got 503.' : 'A single failure: the retry on a new connection may have succeeded.',
    ];
    if (g.some((c) => c.fields?.lateCpong === true)) parts.push('The CPONGs came later, after the close: the backend was alive but slow to answer (overloaded or paused).');
    out.push(
      ctx.finding({
        confidence: retried.length >= 2 ? 'likely' : 'possible',
        explanation: parts.join(' '),
        evidence: g,
        subject: { backend: container },
        notes: ['which module sent a CPING is inferred from the requests around it; the httpd error_log (AH01012 / AH00897) confirms it'],
      }),
    );
  }
  return out;
}

export default defineRule({
  id: 'mod-proxy-ajp-cping-failure',
  title: 'mod_proxy_ajp ping= CPing failed',
  severity: 'warning',
  concerns: ['proxy:ping', 'tomcat:maxThreads'],
  needs: { logs: [httpdCpingFailed, httpdCpongUnexpected, httpdReceiveHeader], capture: ['cping-timeout'] },
  docs: {
    summary:
      'With ping= set, mod_proxy_ajp sends a CPing before each request; no CPong came (timeout 70007 = backend hung or overloaded; EOF 70014 / reset 104 = stale pooled connection). It closes the connection and retries once; a second failure gives 503 and puts a balancer member in error.',
    remedy: [
      'Keep ping= (e.g. ProxyPass /app ajp://host:8009/app ping=3, or ping=500ms): it turns silent hangs into fast failover.',
      'Stale connections (70014/104): add ttl=<seconds below Tomcat keepAliveTimeout> and keepalive=On.',
      'Timeouts (70007) on fresh connections: the backend is overloaded or paused (see backend-thread-exhaustion, jvm-gc-pause).',
    ],
    references: ['https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass (ping)', 'httpd modules/proxy/ajp_utils.c ajp_handle_cping_cpong(), mod_proxy_ajp.c AH00897'],
  },
  check(ctx) {
    const failed = ctx.signals(httpdCpingFailed);
    const unexpected = ctx.signals(httpdCpongUnexpected);
    const headers = ctx.signals(httpdReceiveHeader);
    // AH00897 after AH01014 (stale packet) belongs to cping-desync-leftover-packets.
    const own0 = failed.filter((f) => !precededBy(f, unexpected, SECOND, byThread));
    // mod_proxy_ajp retries a failed CPing once on a new connection: a lone AH00897 was a stale pooled
    // connection that the retry got past (firewall-idle-drop / backend-idle-close-race); two within
    // seconds for one backend mean the retry failed too and the client got 503.
    const ah00897 = own0.filter((f) => f.d.what === 'AH00897');
    const repeated = new Set(withRepeat(ah00897, 10 * SECOND, (f) => f.d.backend));
    const repeatedByPid = groupBy([...repeated], (r) => String(r.ev.pid));
    const own = own0.filter((f) => repeated.has(f) || (f.d.what === 'AH01012' && (repeatedByPid.get(String(f.ev.pid)) ?? []).some((r) => r.ev.pid === f.ev.pid && around(f, [r], SECOND))));
    if (!repeated.size) return fromCapture(ctx);
    const why = [...new Set(own.map((f) => precededBy(f, headers, SECOND, byThread)).filter((x) => x !== undefined))];
    const timeouts = why.filter((w) => w.d.apr === 70007).length;
    const stale = why.filter((w) => w.d.apr === 70014 || ERRNO.reset.has(Number(w.d.apr))).length;
    const parts = [`${plural(repeated.size, 'CPing')} failed${span(own)}, the retry on a new connection included, so those requests got 503.`];
    if (timeouts) parts.push(`The CPong did not arrive within ping= (70007) ${plural(timeouts, 'time')}: the backend did not answer in time (overloaded, hung or paused).`);
    if (stale) parts.push(`${plural(stale, 'connection')} had been closed or reset by the backend (70014/104): stale pooled connections.`);
    return [ctx.finding({ confidence: 'likely', explanation: parts.join(' '), evidence: merge(why, own) })];
  },
});
