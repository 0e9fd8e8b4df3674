import { defineRule } from '../types.js';
import { attemptCount, describeBackend, refusalGroups, refusalSignals, RESTART_GAP_SECONDS } from '../shared.js';
import type { Finding } from '../finding.js';
import { gapMs, list, plural, span, MINUTE } from '../helpers.js';

export default defineRule({
  id: 'backend-restart',
  title: 'Tomcat was stopped or restarted',
  severity: 'warning',
  confirmedBy: ['refused-then-served'],
  needs: { logs: [...refusalSignals], capture: ['refused-then-served'] },
  docs: {
    summary:
      'Connections to a backend were refused (errno 111) for a limited time and then the log goes on without refusals: Tomcat was stopping, restarting or redeploying. Pooled connections typically see EOFs just before.',
    remedy: [
      'Expected during deployments: drain the member first (JK status worker: activation=DIS or STP; httpd balancer-manager) and enable it again after the restart.',
      'mod_proxy: lower retry= on the ProxyPass/BalancerMember (e.g. retry=5) so the worker is used again soon after Tomcat is back (default 60 s of AH00940 "disabled connection").',
      'mod_jk: recover_time on the lb worker (default 60 s) decides when an ERR member is tried again.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/status.html',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass (retry)',
      'tomcat java/org/apache/coyote/ajp/AjpProcessor.java (paused connector closes CPing connections, answers 503)',
    ],
  },
  check(ctx) {
    const findings: Finding[] = [];
    for (const g of refusalGroups(ctx)) {
      const first = g.signals[0];
      const last = g.signals[g.signals.length - 1];
      const dur = gapMs(first, last);
      const short = dur !== undefined && dur <= 10 * MINUTE;
      const stops = g.lifecycle;
      const cameBack = g.cameBack;
      if (!((g.recovered && short) || cameBack)) continue;
      const parts = [
        `${plural(attemptCount(g), 'connection attempt')} to ${describeBackend(g.backend)} ${attemptCount(g) === 1 ? 'was' : 'were'} refused${span(g.signals)}, and then stopped: the backend came back.`,
      ];
      if (g.eofBefore.length) parts.push('Just before, pooled connections were closed by the backend (EOF), as happens when Tomcat stops.');
      // the stop and the start around these refusals, not a later shutdown
      const startup = stops.find((s) => s.d.what === 'Server startup in' && (gapMs(first, s) ?? -1) >= 0);
      const shown = stops.filter((s) => s.d.what !== 'Server version' && (startup === undefined || (gapMs(s, startup) ?? 0) >= 0));
      if (shown.length) parts.push(`The Tomcat log shows ${list([...new Set(shown.map((s) => String(s.d.what)))])} at that time.`);
      // Stop and start back to back: the refusals are the restart's window, not a backend left down.
      const restarted = g.restartGapSeconds !== undefined && g.restartGapSeconds <= RESTART_GAP_SECONDS;
      if (restarted) parts.push(`Tomcat started again ${g.restartGapSeconds!.toFixed(1)} s after it stopped: a restart, and the refused connects are its window.`);
      findings.push(
        ctx.finding({
          confidence: cameBack || g.eofBefore.length ? 'likely' : 'possible',
          explanation: parts.join(' '),
          evidence: [...g.eofBefore, ...g.signals, ...shown],
          subject: { backend: g.backend },
          ...(restarted ? { explains: ['backend-down-or-wrong-port'] } : {}),
        }),
      );
    }
    // Capture: refused connects to a container endpoint, then a connection it served (detect/restart.ts).
    for (const c of ctx.capture('refused-then-served')) {
      const f = c.fields ?? {};
      const target = String(f.container ?? '?');
      const logged = findings.find((x) => x.subject?.backend === target);
      if (logged) {
        logged.evidence.push(c);
        continue;
      }
      const stops = Number(f.pooledClosedBefore ?? 0);
      const waiting = Number(f.cpingsUnansweredWhileStarting ?? 0);
      const parts = [];
      if (stops) parts.push(`The capture shows the container closing ${plural(stops, 'pooled connection')}${stops > 1 ? ' at once' : ''} (FIN from Tomcat, as at a stop),`);
      parts.push(
        `${stops ? 'then' : 'The capture shows'} ${plural(Number(f.refused), 'connection attempt')} to ${target} refused (SYN answered by RST: nothing listening, frames ${String(f.firstRefusedFrame)}–${String(f.lastRefusedFrame)})` +
          (waiting ? `, then ${plural(waiting, 'accepted connection')} whose CPING went unanswered (bound, not started yet)` : '') +
          `, and from frame ${String(f.servedFrame)} on, ${Number(f.outageSeconds).toFixed(1)} s after the first refusal, requests were served again: Tomcat was ${stops ? 'restarted' : 'started (or restarted)'}.`,
      );
      findings.push(
        ctx.finding({
          confidence: stops ? 'likely' : 'possible',
          explanation: parts.join(' '),
          evidence: [c],
          subject: { backend: target },
          // stopped and served again within a restart's gap: the refusals are its window, not a backend left down
          ...(stops && Number(f.outageSeconds) <= RESTART_GAP_SECONDS ? { explains: ['backend-down-or-wrong-port'] } : {}),
          notes: stops ? [] : ['no FIN from Tomcat on pooled connections before the refusals: it may have been started for the first time (or crashed); catalina.out tells'],
        }),
      );
    }
    return findings;
  },
});
