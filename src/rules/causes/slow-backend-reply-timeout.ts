import { defineRule } from '../types.js';
import { httpdReadResponseFailed, httpdReceiveHeader, jkReplyTimeout, jkServiceError, jkMemberError } from '../signals.js';
import { byWorker, groupBy, perRequest, merge, nextWithin, plural, precededBy, span, MINUTE, SECOND } from '../helpers.js';
import type { CaptureEvidence } from '../../util/evidence.js';
import type { Finding } from '../finding.js';
import type { RuleContext } from '../types.js';
import { captureSpan, framesOf, groupByField, numbers, secondsRange } from './capture-util.js';
import { maxOf, minOf } from '../../util/append.js';

/** Waits that agree within 10 % (or 100 ms): the web server stopped at a configured timeout, not at random. */
function consistent(waits: readonly number[]): boolean {
  if (waits.length < 2) return false;
  const lo = minOf(waits);
  const hi = maxOf(waits);
  return hi - lo <= Math.max(0.1, 0.1 * hi);
}

const MODULE_TIMEOUT: Record<string, string> = {
  mod_jk: 'mod_jk reply_timeout',
  mod_proxy_ajp: 'mod_proxy_ajp ProxyTimeout / timeout=',
};

/**
 * The timeout the wire shows: every close after the same wait is the configured reply timeout; the
 * replies that came later show that the backend needed longer. mod_jk reply_timeout is in ms,
 * ProxyTimeout / timeout= in seconds.
 */
function waitRemedy(cap: readonly CaptureEvidence[], worker: string | undefined): string | undefined {
  const waits = numbers(cap, 'waitedSeconds');
  if (!waits.length) return undefined;
  const w = maxOf(waits);
  const late = cap.filter((c) => typeof c.fields?.lateStatus === 'number').length;
  const name = worker ?? '<name>';
  const ms = Math.round((w * 1000) / 100) * 100;
  return `Seen: the web server gave up ${secondsRange(waits)} after sending the request (${plural(waits.length, 'request')}${late ? `; the container's reply came later on ${plural(late, 'connection')}` : ''}): the timeout in effect is about ${w.toFixed(1)} s (mod_jk worker.${name}.reply_timeout=${ms}, in ms; mod_proxy_ajp ProxyTimeout / ProxyPass … timeout=${Math.max(1, Math.round(w))}, in s). If those requests are legitimately that slow, raise it above their real duration (Tomcat access log %D); otherwise find what makes the backend slow.`;
}

/** Capture: the web server closed the connection after the whole request, before any reply (detect/timeouts.ts). */
function fromCapture(ctx: RuleContext, cap: readonly CaptureEvidence[]): Finding[] {
  const out: Finding[] = [];
  for (const [container, g0] of groupByField(cap, 'container')) {
    for (const [client, g] of groupByField(g0, 'client')) {
      const waits = numbers(g, 'waitedSeconds');
      const late = g.filter((c) => typeof c.fields?.lateStatus === 'number');
      const uris = [...new Set(g.map((c) => `${String(c.fields?.method)} ${String(c.fields?.uri)}`))].slice(0, 3);
      const same = consistent(waits);
      const who = MODULE_TIMEOUT[client] ?? 'the web server (mod_jk reply_timeout or mod_proxy_ajp ProxyTimeout / timeout=)';
      const parts = [
        `The capture shows ${plural(g.length, 'FORWARD_REQUEST')} to ${container} (${uris.join(', ')}; a retried request counts once per attempt) on which the web server closed the connection${waits.length ? ` ${secondsRange(waits)} after the FORWARD_REQUEST` : ''}, no reply from the container having come yet,${captureSpan(g)} (${framesOf(g)}).`,
        same
          ? `Every wait is the same length: a configured timeout of about ${maxOf(waits).toFixed(1)} s in ${who} ran out.`
          : `That is ${who} running out, or the web server giving up for another reason; the capture cannot tell which timeout is configured.`,
      ];
      if (late.length) parts.push(`On ${plural(late.length, 'connection')} the container's reply (SEND_HEADERS ${[...new Set(late.map((c) => String(c.fields?.lateStatus)))].join('/')}) came later and was refused with RST: Tomcat was still working on the request and finished it.`);
      const seen = waitRemedy(g, undefined);
      out.push(
        ctx.finding({
          ...(seen ? { remedy: [seen] } : {}),
          confidence: same ? 'likely' : 'possible',
          explanation: parts.join(' '),
          evidence: g,
          subject: { backend: container },
          notes: [
            'compare the wait with worker.<name>.reply_timeout (ms) / ProxyTimeout or ProxyPass timeout= (s); the Tomcat access log (%D) shows how long the request really took',
            'a mod_jk socket_timeout (seconds) shorter than the request closes the connection the same way (socket-timeout-too-low); the mod_jk log tells them apart',
          ],
        }),
      );
    }
  }
  return out;
}

export default defineRule({
  id: 'slow-backend-reply-timeout',
  title: 'Response slower than reply_timeout / ProxyTimeout',
  severity: 'warning',
  concerns: ['jk:reply_timeout', 'jk:max_reply_timeouts', 'proxy:timeout', 'httpd:ProxyTimeout', 'httpd:Timeout'],
  confirmedBy: ['reply-timeout'],
  needs: { logs: [jkReplyTimeout, jkServiceError, jkMemberError, httpdReadResponseFailed, httpdReceiveHeader], capture: ['reply-timeout'] },
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
  readings: [
    {
      signal: httpdReceiveHeader,
      when: (d) => d.apr === undefined || d.apr === 70007,
      explanation:
        'mod_proxy_ajp sent the request but did not receive the reply header (AH01030): with the timeout status (70007), or without a status, the backend did not answer within ProxyTimeout / timeout= — a slow request, a backend out of threads, or a pause (GC) on its side. A reset (104) or an end of file (70014) instead would point at the connection itself.',
      confirm: 'the status in front of AH01030 in the full error_log line, the request durations in the access log (%D), and catalina.out or a thread dump of the backend at that minute.',
    },
  ],
  check(ctx) {
    const findings: Finding[] = [];
    const jk = ctx.signals(jkReplyTimeout);
    for (const [worker, g] of groupBy(jk, byWorker)) {
      // (the member errors after it looked for only when the finding is kept: one look through them per worker)
      findings.push(
        ctx.findingIf({ confidence: 'likely' }, () => ({
          explanation: `${plural(perRequest(g).length, 'request')} on ${worker ? `worker ${worker}` : 'the worker'} hit reply_timeout${span(g)}: the backend sent nothing for longer than the configured reply timeout (client gets 504).`,
          evidence: merge(
            g,
            ctx.signals(jkMemberError).filter((m) => nextWithin(g[0], [m], MINUTE)),
          ),
          subject: worker ? { worker } : undefined,
        })),
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
    const cap = ctx.capture('reply-timeout');
    if (cap.length) {
      // With logs, the capture's closes back the logged timeouts; alone they make their own finding.
      if (findings.length) {
        findings[0]!.evidence.push(...cap.slice(0, 3));
        const seen = waitRemedy(cap, findings[0]!.subject?.worker);
        if (seen) findings[0]!.remedy = `${seen}\n${findings[0]!.remedy}`;
      } else findings.push(...fromCapture(ctx, cap));
    }
    return findings;
  },
});
