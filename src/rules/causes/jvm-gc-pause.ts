import { defineRule, type Signal } from '../types.js';
import { httpdCpingFailed, httpdReceiveHeader, jkConnectCpingFailure, jkCpongTimeout, jkReceiveError, jkReplyTimeout } from '../signals.js';
import { refusalGroups, refusalSignals } from '../shared.js';
import { around, bursts, byWorker, ERRNO, gapMs, groupBy, merge, plural, span, SECOND, MINUTE } from '../helpers.js';

export default defineRule({
  id: 'jvm-gc-pause',
  title: 'Long stop-the-world GC pauses on the backend',
  severity: 'warning',
  needs: { logs: [jkCpongTimeout, jkReplyTimeout, jkReceiveError, jkConnectCpingFailure, httpdCpingFailed, httpdReceiveHeader, ...refusalSignals] },
  docs: {
    summary:
      'All connections of one backend time out within the same second or two and then everything is normal again, with no refusals and no EOFs: the JVM stopped the world (garbage collection) for longer than ping_timeout / reply_timeout.',
    remedy: [
      'Check the GC log (-Xlog:gc* / -verbose:gc) for a pause at that time; tune heap size and collector (G1/ZGC) to shorten pauses.',
      'Make worker.<name>.ping_timeout and reply_timeout (mod_jk) or ping= / timeout= (mod_proxy_ajp) longer than the worst pause, so a pause does not fail requests or put the member in error.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html', 'https://github.com/uyuni-project/uyuni/pull/3417'],
  },
  check(ctx) {
    if (refusalGroups(ctx).length) return [];
    const timeouts: Signal[] = merge(
      ctx.signals(jkCpongTimeout),
      ctx.signals(jkReplyTimeout),
      ctx.signals(jkReceiveError).filter((s) => ERRNO.timedOut.has(Number(s.d.errno))),
      ctx.signals(httpdReceiveHeader).filter((s) => s.d.apr === 70007),
    ).filter((s) => s.ev.ts !== undefined);
    const fresh = merge(ctx.signals(jkConnectCpingFailure), ctx.signals(httpdCpingFailed));
    const findings = [];
    for (const [worker, g] of groupBy(timeouts, byWorker)) {
      const bs = bursts(g, 2 * MINUTE);
      for (const b of bs) {
        const dur = gapMs(b[0], b[b.length - 1]) ?? Infinity;
        // a tight burst (≤ 3 s) of ≥ 3 timeouts, isolated from others by 2 minutes on each side
        if (b.length < 3 || dur > 3 * SECOND) continue;
        // New connections not answered either (connect-CPing, repeated mod_proxy_ajp CPing failures) = no free thread, not a pause.
        if (around(b[0], fresh, 10 * SECOND) || around(b[b.length - 1], fresh, 10 * SECOND)) continue;
        findings.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `${plural(b.length, 'timeout')} on ${worker ? `worker ${worker}` : 'one backend'} within ${Math.max(1, Math.round(dur / SECOND))} s${span(b)}, then none for minutes, with no refused connects: the backend stopped answering all connections at once for a short time, as during a long GC pause.`,
            evidence: b,
            subject: worker ? { worker } : undefined,
            notes: ['compare with the backend GC log at that time'],
          }),
        );
      }
    }
    return findings;
  },
});
