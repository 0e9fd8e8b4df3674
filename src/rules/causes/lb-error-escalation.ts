import { defineRule, type SignalDef } from '../types.js';
import { jkEscalation, jkFailOnStatus, jkLbAllFailed, jkMemberError, jkReplyTimeout, jkVersion } from '../signals.js';
import { refusalsInOrder, refusalSignals } from '../shared.js';
import { around, compareVersions, groupBy, merge, plural, precededBy, span, SECOND } from '../helpers.js';

/**
 * httpd's balancer putting a member in error for one request (mod_proxy_balancer.c
 * proxy_balancer_post_request; mod_proxy_cluster's proxy_cluster_post_request words it the same):
 * AH01174 `%s: Forcing worker (%s) into error state due to status code %d matching 'failonstatus'
 * balancer parameter` (2.4.3+; 2.4.1 `%s:  Forcing recovery for worker (%s), failonstatus %d`),
 * AH02460 `… into error state due to timeout and 'failontimeout' parameter being set` (2.4.7–2.4.10
 * said 'failonstatus' there).
 */
const httpdForcedError: SignalDef = {
  kind: 'httpd-balancer-forced-error',
  source: 'httpd',
  needles: ["matching 'failonstatus'", 'Forcing recovery for worker', "due to timeout and 'fail"],
  re: /Forcing worker \(([^)]*)\) into error state due to (?:status code (\d+) matching 'failonstatus'|(timeout) and 'fail)|Forcing recovery for worker \(([^)]*)\), failonstatus (\d+)/,
  data: (m) => ({ member: m[1] ?? m[4], status: m[2] ?? m[5], timeout: m[3] === undefined ? undefined : 'yes' }),
};

export default defineRule({
  id: 'lb-error-escalation',
  title: 'A transient error put a load-balancer member into global error (sessions fail over)',
  severity: 'warning',
  consequence: true,
  concerns: ['jk:max_reply_timeouts', 'jk:recover_time', 'jk:error_escalation_time'],
  needs: { logs: [jkMemberError, jkEscalation, jkFailOnStatus, jkReplyTimeout, jkLbAllFailed, jkVersion, httpdForcedError, ...refusalSignals], debug: '"worker X escalating local error to global error"' },
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
    const findings = [];
    // httpd: the line says both what happened to the request and to the member
    for (const [member, g] of groupBy(ctx.signals(httpdForcedError), (s) => String(s.d.member))) {
      const codes = [...new Set(g.map((s) => s.d.status).filter((c) => c !== undefined))];
      const timeouts = g.filter((s) => s.d.timeout === 'yes').length;
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation:
            `httpd's balancer put member ${member} into error state ${plural(g.length, 'time')}${span(g)} over a single request${g.length > 1 ? ' each time' : ''}: ${[codes.length ? `the backend answered ${codes.join(', ')}, a status listed in failonstatus` : '', timeouts ? `${plural(timeouts, 'request')} timed out with failontimeout on` : ''].filter(Boolean).join('; ')}. The member takes no requests until its retry= interval has passed, and sticky sessions move to the others.`,
          evidence: g,
          subject: { member },
          remedy: [
            `httpd: keep only the codes that mean the whole member is unusable in failonstatus= (ProxySet / BalancerMember of the balancer); find out why the backend answered ${codes.length ? codes.join(', ') : 'so slowly'} (its own log at that time); retry= sets how long the member stays out (60 s by default).`,
          ],
        }),
      );
    }
    const global = ctx.signals(jkMemberError).filter((s) => s.d.scope === 'global');
    const escal = ctx.signals(jkEscalation);
    if (!global.length && !escal.length) return findings;
    const refused = refusalsInOrder(ctx);
    const soft = merge(ctx.signals(jkReplyTimeout), ctx.signals(jkFailOnStatus).filter((s) => s.d.soft === 'no'));
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
