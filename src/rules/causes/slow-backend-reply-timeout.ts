import { defineRule } from '../types.js';
import { httpdReadResponseFailed, httpdReceiveHeader, jkReplyTimeout, jkServiceError, jkMemberError } from '../signals.js';
import { byWorker, groupBy, perRequest, merge, nextWithin, plural, precededBy, span, MINUTE, SECOND } from '../helpers.js';

export default defineRule({
  id: 'slow-backend-reply-timeout',
  title: 'Response slower than reply_timeout / ProxyTimeout',
  severity: 'warning',
  needs: { logs: [jkReplyTimeout, jkServiceError, jkMemberError, httpdReadResponseFailed, httpdReceiveHeader] },
  docs: {
    summary:
      'The backend did not send the next packet within mod_jk reply_timeout or httpd ProxyTimeout / timeout= (default: Timeout, 60 s): a slow request (database, external call, long report). The client gets 504 (or 502/500) while the request keeps running in Tomcat.',
    remedy: [
      'mod_jk: raise worker.<name>.reply_timeout (milliseconds, between two packets) or set it per URL with SetEnvIf … JK_REPLY_TIMEOUT=… (1.2.27+); on the lb set max_reply_timeouts so a few slow URLs do not put the member in error.',
      'mod_proxy_ajp: ProxyTimeout <seconds> or ProxyPass … timeout=<seconds> for the slow path.',
      'Find and fix the slow request (Tomcat access log %D, thread dump during the wait).',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html', 'https://github.com/uyuni-project/uyuni/pull/212', 'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxytimeout'],
  },
  check(ctx) {
    const findings = [];
    const jk = ctx.signals(jkReplyTimeout);
    for (const [worker, g] of groupBy(jk, byWorker)) {
      const member = ctx.signals(jkMemberError).filter((m) => nextWithin(g[0], [m], MINUTE));
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(perRequest(g).length, 'request')} on ${worker ? `worker ${worker}` : 'the worker'} hit reply_timeout${span(g)}: the backend sent nothing for longer than the configured reply timeout (client gets 504).`,
          evidence: merge(g, member),
          subject: worker ? { worker } : undefined,
        }),
      );
    }
    // httpd: AH00893 "dialog to … failed" with (70007) = timed out between packets after the response had started.
    const dialog = ctx.signals(httpdReadResponseFailed).filter((s) => s.d.phase === 'body' && s.d.apr === 70007);
    if (dialog.length) {
      const headerLines = ctx.signals(httpdReceiveHeader).filter((h) => h.d.apr === 70007);
      const lead = dialog.map((d) => precededBy(d, headerLines, 2 * SECOND)).filter((x) => x !== undefined);
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${plural(dialog.length, 'request')} timed out waiting for the backend (70007, ProxyTimeout / timeout=) after the exchange had started${span(dialog)} (AH00893 "dialog … failed"): the backend was still working on it.`,
          evidence: merge(lead, dialog),
        }),
      );
    }
    return findings;
  },
});
