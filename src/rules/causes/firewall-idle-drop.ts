import { append, maxOf, minOf } from '../../util/append.js';
import type { CaptureEvidence } from '../../util/evidence.js';
import { defineRule, type RuleContext, type Signal } from '../types.js';
import { httpdCpingFailed, httpdReceiveHeader, jkConnectCpingFailure, jkCpongTimeout, jkEndpointsDisconnected, jkKeepaliveCpingFailure, jkPrepostCpingFailure, jkReceiveError, jkServiceFailed } from '../signals.js';
import { refusalGroups, refusalSignals } from '../shared.js';
import { around, countWithin, ERRNO, merge, nextWithin, plural, precededBy, span, portOf, MINUTE, SECOND } from '../helpers.js';

/** Milliseconds since the previous line of the same file (undefined when unknown; see Signal.prevTs). */
function idleBefore(s: Signal): number | undefined {
  return s.ev.ts === undefined || s.prevTs === undefined ? undefined : s.ev.ts - s.prevTs;
}

const IDLE = 5 * MINUTE;

/**
 * The settings derived from what was seen: the shortest silence after which a pooled connection was
 * dropped bounds how long a pool may keep a connection idle. Three quarters of it leaves margin for
 * the firewall's own timer granularity; each side in its own unit (mod_jk connection_pool_timeout in
 * seconds, Tomcat keepAliveTimeout / connectionTimeout in ms, mod_proxy ttl in seconds). JK Timeouts
 * HowTo: "connection_pool_timeout … should be set to the same value as connectionTimeout … of Tomcat".
 */
function measuredRemedy(cap: readonly CaptureEvidence[], idleLogMs: readonly number[], workers: readonly string[]): { remedy: string[]; port?: string } {
  const idles = cap.map((c) => c.fields?.idleSeconds).filter((n): n is number => typeof n === 'number' && Number.isFinite(n));
  const containers = [...new Set(cap.map((c) => c.fields?.container).filter((x): x is string => typeof x === 'string'))];
  const port = containers.length === 1 ? portOf(containers[0]) : undefined;
  const w = workers.length === 1 ? workers[0] : '<name>';
  const portAttr = port !== undefined ? ` port="${port}"` : '';
  if (idles.length) {
    const shortest = minOf(idles);
    const longest = maxOf(idles);
    const safe = Math.max(1, Math.floor(shortest * 0.75));
    const seen = idles.length > 1 && longest - shortest >= 0.05 ? `after ${shortest.toFixed(1)}–${longest.toFixed(1)} s of silence (${idles.length} connections)` : `after ${shortest.toFixed(1)} s of silence`;
    return {
      port,
      remedy: [
        `Seen: pooled connections${containers.length ? ` to ${containers.join(', ')}` : ''} were dropped ${seen}, so the firewall forgets idle connections after less than ${shortest.toFixed(0)} s. Keep pooled connections idle for less than that:`,
        `workers.properties: worker.${w}.connection_pool_timeout=${safe} (seconds), and Tomcat <Connector${portAttr} protocol="AJP/1.3" keepAliveTimeout="${safe * 1000}" …/> (milliseconds; or connectionTimeout when keepAliveTimeout is not set); mod_proxy_ajp: ProxyPass … ttl=${safe}. Or keep them busy: worker.${w}.ping_mode=A with connection_ping_interval below ${safe} (mod_jk 1.2.27+).`,
      ],
    };
  }
  if (idleLogMs.length) {
    const quiet = minOf(idleLogMs) / 1000;
    return { port, remedy: [`Seen: the failures hit connections after at least ${Math.round(quiet / 60)} quiet minutes. Set worker.${w}.connection_pool_timeout (seconds) and Tomcat keepAliveTimeout (ms) below the firewall's idle timeout, and below ${Math.floor(quiet)} s.`] };
  }
  return { port, remedy: [] };
}

export default defineRule({
  id: 'firewall-idle-drop',
  title: 'A firewall / NAT silently drops idle pooled AJP connections',
  severity: 'warning',
  concerns: ['jk:connection_pool_timeout', 'jk:socket_keepalive', 'jk:ping_mode', 'proxy:ttl', 'proxy:keepalive', 'tomcat:keepAliveTimeout', 'tomcat:connectionTimeout'],
  needs: {
    logs: [jkKeepaliveCpingFailure, jkCpongTimeout, jkPrepostCpingFailure, jkReceiveError, jkEndpointsDisconnected, jkConnectCpingFailure, jkServiceFailed, httpdReceiveHeader, httpdCpingFailed, ...refusalSignals],
    capture: ['idle-connection-dropped'],
  },
  docs: {
    summary:
      'A stateful firewall, NAT or load balancer between web server and Tomcat forgets idle connections. The next use of such a pooled connection times out (errno 110, APR 70007) or is reset (104), while new connections work at once and Tomcat logs nothing.',
    remedy: [
      'workers.properties: worker.<name>.connection_pool_timeout=600 (seconds, below the firewall idle timeout) and the same idle time on Tomcat: <Connector protocol="AJP/1.3" keepAliveTimeout="600000" …/> (or connectionTimeout; milliseconds).',
      'worker.<name>.ping_mode=A, ping_timeout=10000, connection_ping_interval below the firewall timeout (mod_jk 1.2.27+); socket_keepalive=true with net.ipv4.tcp_keepalive_time below the firewall timeout.',
      'mod_proxy_ajp: ProxyPass /app ajp://host:8009/app ttl=<below the firewall timeout> keepalive=On ping=5 (or disablereuse=On).',
      'Or ask the firewall team to raise the idle timeout for port 8009.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html',
      'https://tomcat.apache.org/connectors-doc/miscellaneous/faq.html',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass',
    ],
  },
  readings: [
    {
      signal: httpdReceiveHeader,
      when: (d) => ERRNO.reset.has(Number(d.apr)),
      explanation:
        'httpd\'s connection to the backend was reset while it waited for the reply header (AH01030 with (104) Connection reset by peer, or (OS 10054) on Windows). On a pooled connection that has been idle, that is what a firewall or NAT between them does after dropping its state; a backend that closed or crashed the connection would give the same line.',
      confirm: 'the stamps of the failing requests (first request after a quiet period?), whether a firewall / load balancer sits between httpd and the backend and its idle timeout, or a capture on both sides (ajp-inspect CAPTURE).',
    },
    {
      signal: jkReceiveError,
      when: (d) => d.errno !== undefined && (ERRNO.timedOut.has(Number(d.errno)) || ERRNO.reset.has(Number(d.errno))),
      explanation:
        'mod_jk could not read the reply from the backend: the connection timed out or was reset (errno 110 / 104) while it waited. On a pooled connection after a quiet period that is the mark of a firewall or NAT that silently dropped the idle connection; an overloaded or paused backend (reply_timeout / socket_timeout) gives the same line.',
      confirm: 'whether the failures come on the first requests after idle periods (the time stamps), the worker\'s socket_timeout / reply_timeout, JkLogLevel debug around the failure, or a capture between httpd and the backend.',
    },
  ],
  check(ctx) {
    if (refusalGroups(ctx).length) return []; // refused connects: the backend itself is down, not a middlebox
    const keepalive = ctx.signals(jkKeepaliveCpingFailure).filter((s) => s.d.errno === undefined || ERRNO.timedOut.has(Number(s.d.errno)) || ERRNO.reset.has(Number(s.d.errno)));
    const stale = merge(
      ctx.signals(jkCpongTimeout),
      ctx.signals(jkPrepostCpingFailure).filter((s) => ERRNO.timedOut.has(Number(s.d.errno))),
      ctx.signals(jkReceiveError).filter((s) => ERRNO.timedOut.has(Number(s.d.errno)) || ERRNO.reset.has(Number(s.d.errno))),
      ctx.signals(httpdReceiveHeader).filter((s) => s.d.apr === 70007 || ERRNO.reset.has(Number(s.d.apr)) || ERRNO.timedOut.has(Number(s.d.apr))),
    );
    // Many at once = an overloaded or paused backend, not idle connections.
    const crowded = new Set(countWithin(stale, { n: 3, windowMs: 10 * SECOND }).flatMap((c) => c.signals));
    const afterIdle = stale.filter((s) => !crowded.has(s) && (idleBefore(s) ?? 0) >= IDLE);
    const afterIdleSet = new Set(afterIdle);
    const cap = ctx.capture('idle-connection-dropped');
    // mod_jk 1.2.41+: pooled connections failed their CPing by timeout, then a new connection worked.
    const timedOutPrepost = ctx.signals(jkPrepostCpingFailure).filter((s) => ERRNO.timedOut.has(Number(s.d.errno)));
    const newFailed = merge(ctx.signals(jkConnectCpingFailure), ctx.signals(jkServiceFailed));
    const deadPool = ctx
      .signals(jkEndpointsDisconnected)
      .filter((s) => Number(s.d.cping ?? 0) > 0 && !Number(s.d.send ?? 0))
      .filter((s) => precededBy(s, timedOutPrepost, 30 * SECOND) && !nextWithin(s, newFailed, 10 * SECOND));
    const deadPoolEvidence = merge(deadPool, timedOutPrepost.filter((p) => nextWithin(p, deadPool, 30 * SECOND)), ctx.signals(jkCpongTimeout).filter((p) => nextWithin(p, deadPool, 30 * SECOND)));
    // mod_proxy_ajp: one CPing timeout (70007) on a pooled connection, and the retry on a new one did not fail.
    const cpingFails = ctx.signals(httpdCpingFailed).filter((s) => s.d.what === 'AH00897');
    // (a signal is not its own neighbour: around() looks past its place in the list)
    const loneProxy = cpingFails.filter((s) => s.d.apr === 70007 && !around(s, cpingFails, 10 * SECOND));
    const findings = [];
    if (keepalive.length || afterIdle.length || cap.length || deadPool.length || loneProxy.length) {
      const parts: string[] = [];
      if (deadPool.length)
        parts.push(
          `mod_jk found ${plural(deadPool.reduce((n, s) => n + Number(s.d.cping), 0), 'pooled connection')} dead by CPing timeout${span(deadPool)} and then served the request on a new connection: the old connections were silently dropped, new ones work.`,
        );
      if (loneProxy.length)
        parts.push(`mod_proxy_ajp's CPing on a pooled connection timed out ${plural(loneProxy.length, 'time')}${span(loneProxy)} and the retry on a new connection went through.`);
      if (keepalive.length) parts.push(`${plural(keepalive.length, 'keep-alive CPing')} on idle pooled connections failed${span(keepalive)}: the connections were dead while unused.`);
      if (afterIdle.length)
        parts.push(
          `${plural(afterIdle.length, 'timeout or reset', 'timeouts or resets')} hit the first use of a connection after at least ${Math.round(IDLE / MINUTE)} quiet minutes${span(afterIdle)}, without connection refusals: typical of a middlebox that dropped the idle connection.`,
        );
      const measured = measuredRemedy(cap, afterIdle.map((x) => idleBefore(x)).filter((n): n is number => n !== undefined), [...new Set([...keepalive, ...deadPoolEvidence, ...afterIdle].map((x) => x.d.worker).filter((w): w is string => typeof w === 'string'))]);
      findings.push(
        ctx.finding({
          remedy: measured.remedy,
          confidence: cap.length ? 'confirmed' : keepalive.length || deadPool.length || afterIdle.length >= 2 ? 'likely' : 'possible',
          explanation: parts.join(' ') || 'The capture shows an idle connection that the backend never saw again.',
          evidence: merge(keepalive, deadPoolEvidence, afterIdle, loneProxy, stale.filter((s) => !afterIdleSet.has(s) && around(s, afterIdle, 2 * SECOND))),
          notes: [`compare the failure times with the idle time of the connections and the firewall idle timeout for ${measured.port === undefined ? 'the AJP port' : `port ${measured.port}`}`],
        }),
      );
      if (cap.length) append(findings[0].evidence, cap);
    }
    return findings;
  },
});
