import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { intValue, lastDirective } from '../../config/index.js';
import { at, backends, jkWorkers, where } from './config-util.js';

/** Below this a reply timeout cuts ordinary slow pages (a report, a search, a cold cache), not only hung backends. */
const SHORT_MS = 10_000;

/**
 * The Timeouts HowTo ("Reply Timeout"): reply_timeout is the longest wait between two reply packets,
 * in milliseconds; when it fires, JK cannot stop the request on the backend, and a load balancer puts
 * the member into error unless max_reply_timeouts tolerates some. "Do not set timeouts to extreme
 * values. Very small timeouts will likely be counterproductive." mod_proxy_ajp waits for the reply
 * for the worker's timeout= (seconds), else ProxyTimeout, else Timeout (mod_proxy_ajp.c ajp_read_header).
 */
export default defineRule({
  id: 'config-reply-timeout-short',
  title: 'Reply timeout so short that slow requests fail (and the backend keeps working on them)',
  severity: 'warning',
  needs: { logs: [], config: ['workers', 'httpd'] },
  confirmedByIncident: ['slow-backend-reply-timeout', 'lb-error-escalation'],
  docs: {
    summary:
      'mod_jk reply_timeout (milliseconds) or the mod_proxy_ajp wait for a reply (timeout= on the worker, else ProxyTimeout, else Timeout; seconds) is under 10 s: any request whose backend takes longer before sending (a report, a search, a cold start) gets 502/504 while Tomcat keeps running it, and mod_jk retries it (a second execution of a POST) and, behind an lb, puts the member into error (max_reply_timeouts tolerates some). The 10 s line is this tool\'s, from the HowTo\'s "very small timeouts will likely be counterproductive"; set it above the slowest expected response.',
    remedy: [
      'mod_jk: worker.<name>.reply_timeout=<ms above the slowest page, e.g. 60000> with worker.<lb>.max_reply_timeouts=<a few> (1.2.24+) and recovery_options=3 to not resend requests after a reply timeout; JK_REPLY_TIMEOUT (env, per URL) for the slow ones.',
      'mod_proxy_ajp: ProxyPass … ajp://host:8009/ timeout=<seconds> (or ProxyTimeout <seconds>) above the slowest expected response.',
    ],
    references: [
      'Timeouts HowTo, "Reply Timeout" (https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html); max_reply_timeouts since mod_jk 1.2.24',
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (reply_timeout, max_reply_timeouts, recovery_options)',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxytimeout',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    const lbOf = new Map<string, string>();
    for (const w of jkWorkers(ctx.config)) for (const m of w.members) lbOf.set(m, w.name);
    const byName = new Map(jkWorkers(ctx.config).map((w) => [w.name, w]));
    const proxyTimeout = lastDirective(ctx.config.httpd, 'ProxyTimeout') ?? lastDirective(ctx.config.httpd, 'Timeout');
    for (const b of backends(ctx.config)) {
      if (b.kind === 'jk') {
        const s = b.worker.settings.get('reply_timeout');
        const ms = intValue(s);
        if (!s || ms === undefined || ms <= 0 || ms >= SHORT_MS) continue;
        const lb = lbOf.get(b.worker.name);
        const mrt = lb === undefined ? undefined : byName.get(lb)?.settings.get('max_reply_timeouts');
        out.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `${b.name} gives up on a reply after ${ms} ms (reply_timeout at ${where(s)}, milliseconds${ms < 1000 ? ` — ${ms} looks like seconds written where milliseconds are read` : ''}): any request slower than that before its next packet gets an error while Tomcat keeps running it${lb ? `, and the lb '${lb}' puts ${b.worker.name} into error${mrt ? ` after ${intValue(mrt) ?? mrt.value} such timeouts (max_reply_timeouts at ${where(mrt)})` : ' at the first one (no max_reply_timeouts)'}` : ''}.`,
            evidence: [at(s), ...(mrt ? [at(mrt)] : [])],
            subject: { worker: b.worker.name },
            remedy: [`worker.${b.worker.name}.reply_timeout=60000`],
          }),
        );
      } else {
        const t = b.proxy.params.get('timeout');
        const sec = t ? intValue(t) : intValue(proxyTimeout?.args[0]);
        const whereText = t ? `timeout=${t.value} at ${where(t)}` : proxyTimeout ? `${proxyTimeout.name} ${proxyTimeout.args[0] ?? ''} at ${where(proxyTimeout)}` : '';
        if (sec === undefined || sec <= 0 || sec * 1000 >= SHORT_MS) continue;
        out.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `${b.name} (${where(b.proxy)}) waits at most ${sec} s for Tomcat's reply (${whereText}, seconds): any request slower than that gets an error (AH01030 / AH00893 then 502/500) while Tomcat keeps running it.`,
            evidence: [t ? { source: 'config' as const, path: b.proxy.path, line: b.proxy.line, text: `${b.proxy.directive} ${b.proxy.mount ?? ''} ${b.proxy.url} timeout=${t.value}`.replace(/\s+/g, ' ') } : { source: 'config' as const, path: proxyTimeout!.path, line: proxyTimeout!.line, text: `${proxyTimeout!.name} ${proxyTimeout!.args.join(' ')}` }],
            subject: { proxy: b.proxy.url },
            remedy: [t ? `${b.proxy.directive} ${b.proxy.mount ?? ''} ${b.proxy.url} timeout=60`.replace(/\s+/g, ' ') : 'ProxyTimeout 60'],
          }),
        );
      }
    }
    return out;
  },
});
