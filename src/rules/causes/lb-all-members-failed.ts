import { defineRule, type Signal } from '../types.js';
import { httpdBalancerAllError, jkLbAllFailed, jkMemberError, jkUriMapUnknownWorker, jkUnknownWorker, jkServiceError } from '../signals.js';
import { refusalsInOrder, refusalSignals } from '../shared.js';
import { merge, nextWithin, plural, precededBy, span, MINUTE, SECOND } from '../helpers.js';

export default defineRule({
  id: 'lb-all-members-failed',
  title: 'Load balancer has no usable member',
  severity: 'error',
  consequence: true,
  needs: { logs: [jkLbAllFailed, jkMemberError, jkServiceError, httpdBalancerAllError, jkUriMapUnknownWorker, jkUnknownWorker, ...refusalSignals] },
  docs: {
    summary:
      'Every member of the load balancer was in error, busy, stopped or disabled, so the request failed with 503. The cause is in the member-level lines just before (refused connects, timeouts, protocol errors); with none, members are stopped/disabled, busy_limit was reached, or workers.properties was not read.',
    remedy: [
      'Fix the member-level cause first (see the other findings).',
      'Check member states with the status worker (JkMount /jk-status jk-status; states ERR, ERR/REC, ERR/FRC, OK/BUSY; activation ACT/DIS/STP) or httpd balancer-manager.',
      'mod_jk: recover_time (default 60 s) on the lb worker; mod_proxy_balancer: retry= on the members.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/common_howto/loadbalancers.html', 'https://tomcat.apache.org/connectors-doc/reference/status.html', 'tomcat-connectors native/common/jk_lb_worker.c service()'],
  },
  check(ctx) {
    const jk = ctx.signals(jkLbAllFailed).filter((s) => s.d.what !== 'forced-recovery' || true);
    const httpd = ctx.signals(httpdBalancerAllError);
    const all = merge(jk, httpd);
    if (!all.length) return [];
    const memberLines = merge(ctx.signals(jkMemberError), refusalsInOrder(ctx));
    const before = all.map((s) => precededBy(s, memberLines, MINUTE)).filter((x): x is Signal => x !== undefined);
    const lbName = nextWithin(all[0], ctx.signals(jkServiceError), SECOND)?.d.worker;
    const parts = [`The load balancer${lbName ? ` ${lbName}` : ''} found no usable member ${plural(all.length, 'time')}${span(all)}; those requests failed with 503.`];
    const notes: string[] = [];
    if (before.length) parts.push('Member-level failures precede it: see the findings about the members.');
    else {
      parts.push('No member-level failure is logged just before: members may be stopped/disabled (activation STP/DIS), at busy_limit, or the workers file in effect does not define them.');
      if (ctx.signals(jkUriMapUnknownWorker).length || ctx.signals(jkUnknownWorker).length) parts.push('The log also shows undefined workers (jk-config-unknown-worker): the workers.properties in effect is probably not the one you edited.');
      if (!ctx.jkDebug && jk.length) notes.push('raise JkLogLevel to debug to see each member\'s state ("worker X is marked for forced recovery")');
    }
    return [ctx.finding({ confidence: 'likely', explanation: parts.join(' '), evidence: merge(before, all), notes })];
  },
});
