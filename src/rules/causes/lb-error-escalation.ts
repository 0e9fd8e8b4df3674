import { defineRule } from '../types.js';
import { jkEscalation, jkFailOnStatus, jkLbAllFailed, jkMemberError, jkReplyTimeout, jkVersion } from '../signals.js';
import { refusalsInOrder, refusalSignals } from '../shared.js';
import { around, compareVersions, groupBy, merge, plural, precededBy, span, SECOND } from '../helpers.js';

export default defineRule({
  id: 'lb-error-escalation',
  title: 'A transient error put a load-balancer member into global error (sessions fail over)',
  severity: 'warning',
  consequence: true,
  concerns: ['jk:max_reply_timeouts', 'jk:recover_time', 'jk:error_escalation_time'],
  needs: { logs: [jkMemberError, jkEscalation, jkFailOnStatus, jkReplyTimeout, jkLbAllFailed, jkVersion, ...refusalSignals], debug: '"worker X escalating local error to global error"' },
  docs: {
    summary:
      'A member went into global error state (not used for recover_time, sticky sessions move to other members and users may have to log in again) after a single failed request while other requests on it were fine: a reply timeout with max_reply_timeouts=0, a positive fail_on_status code, or JK ≤ 1.2.26 treating every error as global.',
    remedy: [
      'mod_jk 1.2.28 or later (local vs. global errors, error_escalation_time).',
      'lb worker: max_reply_timeouts=<N> (1.2.24+) so a few slow requests do not take the member out; error_escalation_time (1.2.28+, default recover_time/2).',
      'Use negative fail_on_status codes (e.g. fail_on_status=-503) for "soft" failures that should not put the member in error.',
      'Detect dead members with ping_mode=A and socket_connect_timeout rather than with reply timeouts.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html', 'https://tomcat.apache.org/connectors-doc/reference/workers.html', 'tomcat-connectors native/common/jk_lb_worker.c service()'],
  },
  check(ctx) {
    const global = ctx.signals(jkMemberError).filter((s) => s.d.scope === 'global');
    const escal = ctx.signals(jkEscalation);
    if (!global.length && !escal.length) return [];
    const refused = refusalsInOrder(ctx);
    const soft = merge(ctx.signals(jkReplyTimeout), ctx.signals(jkFailOnStatus).filter((s) => s.d.soft === 'no'));
    const findings = [];
    const old = ctx.jkVersion !== undefined && compareVersions(ctx.jkVersion, '1.2.27') < 0;
    for (const [member, g] of groupBy(merge(global, escal), (s) => String(s.d.member))) {
      // A member whose backend refuses connections is really down: that is not an escalation problem.
      const isolated = g.filter((s) => !precededBy(s, refused, 30 * SECOND) && !around(s, ctx.signals(jkLbAllFailed), SECOND));
      if (!isolated.length) continue;
      const triggers = isolated.map((s) => precededBy(s, soft, 10 * SECOND)).filter((x) => x !== undefined);
      if (!triggers.length && !old && !escal.length) continue;
      findings.push(
        ctx.finding({
          confidence: triggers.length ? 'likely' : 'possible',
          explanation:
            `Member ${member} was put into global error state ${plural(isolated.length, 'time')}${span(isolated)}` +
            (triggers.length ? ` right after a ${triggers.some((t) => t.kind === 'jk-reply-timeout') ? 'reply timeout' : 'fail_on_status match'}, not after refused connects: one slow or failed request took the member out for recover_time.` : '.') +
            (old ? ` This JK (${ctx.jkVersion}) treats every member error as global.` : ''),
          evidence: merge(triggers, isolated),
          subject: { member },
        }),
      );
    }
    return findings;
  },
});
