import { defineRule, type Signal, type SignalDef } from '../types.js';
import { list, plural, span } from '../helpers.js';

/**
 * A 5xx in an access log (httpd mod_log_config / Tomcat AccessLogValve `… "%r" %>s %b …`) or in
 * mod_jk's JkRequestLog (`%s`), read from the parsed line (logs/dialects/access.ts, modjk.ts
 * finishJkRequest): its status field, whatever the request line holds (`"-"`, HTTP/0.9). No other
 * dialect has it, so there is no needle and no pattern (`re` never matches).
 */
export const accessServerError: SignalDef = {
  kind: 'access-server-error',
  source: 'access',
  needles: [],
  re: /(?!)/,
  fromEvent: {
    dialects: ['access', 'jk-request'],
    data: (ev) => {
      const status = ev.fields.status;
      if (typeof status !== 'number' || status < 500 || status > 599) return null;
      return { status, uri: typeof ev.fields.uri === 'string' ? ev.fields.uri : undefined, worker: typeof ev.fields.worker === 'string' ? ev.fields.worker : undefined };
    },
  },
};

/** What each status means when a web server fronts an AJP backend (mod_jk jk_ajp_common.c / mod_proxy_ajp.c). */
const MEANING: Record<number, string> = {
  500: '500 = the web server or the application failed (mod_jk answers 500 for several backend errors; mod_proxy_ajp for a bad reply)',
  502: '502 = the backend sent no valid reply (connection reset or closed while reading, a protocol error)',
  503: '503 = no backend could take the request (connect refused or timed out, every lb member in error, a member stopped or disabled)',
  504: '504 = the web server timed out waiting for the backend (mod_jk reply_timeout, mod_proxy_ajp ProxyTimeout / timeout=)',
};

/** The busiest minute of the lines. */
function peak(sigs: readonly Signal[]): string {
  const per = new Map<number, number>();
  for (const s of sigs) if (s.ev.ts !== undefined) per.set(Math.floor(s.ev.ts / 60_000), (per.get(Math.floor(s.ev.ts / 60_000)) ?? 0) + 1);
  let best: number | undefined;
  let n = 0;
  for (const [m, c] of per) if (c > n) [best, n] = [m, c];
  return best === undefined || per.size < 2 ? '' : ` (at most ${n} in the minute from ${new Date(best * 60_000).toISOString().slice(11, 16)} UTC)`;
}

export default defineRule({
  id: 'access-log-server-errors',
  title: 'Clients got server errors (5xx) from the web server',
  severity: 'warning',
  // the statuses are what a cause leads to: under the finding that says why, when there is one
  consequence: true,
  needs: { logs: [accessServerError] },
  docs: {
    summary:
      'An access log or JkRequestLog shows requests answered with 500, 502, 503 or 504. The status tells which side gave up; the web server\'s own log of the same minutes tells why. Listed as a consequence when another finding names the cause.',
    remedy: [
      'Give the mod_jk.log (JkLogLevel info or debug) or httpd error_log (LogLevel proxy_ajp:debug) and catalina.out of the same minutes: their lines name the cause (refused connects, reply timeouts, protocol errors).',
      '`ajp-inspect stats ACCESS_LOG…` prints the requests, errors and latency per minute and per worker, to line the errors up with the other logs.',
    ],
    references: ['https://httpd.apache.org/docs/2.4/mod/mod_log_config.html', 'https://tomcat.apache.org/connectors-doc/reference/apache.html (JkRequestLogFormat)', 'tomcat-connectors native/common/jk_ajp_common.c ajp_service() (the status each failure gives)'],
  },
  check(ctx) {
    const sigs = ctx.signals(accessServerError);
    // one stray 500 is an application error, not a pattern
    if (sigs.length < 3) return [];
    const counts = new Map<number, number>();
    for (const s of sigs) counts.set(Number(s.d.status), (counts.get(Number(s.d.status)) ?? 0) + 1);
    const byStatus = [...counts].sort((a, b) => b[1] - a[1]);
    const meanings = byStatus.map(([st]) => MEANING[st]).filter((m): m is string => m !== undefined);
    const uris = [...new Set(sigs.map((s) => s.d.uri).filter((u): u is string => typeof u === 'string').map((u) => u.split('?')[0]))].slice(0, 3);
    return [
      ctx.finding({
        confidence: 'possible',
        explanation:
          `The access log shows ${plural(sigs.length, 'server error')} (${list(byStatus.map(([st, n]) => `${n}×${st}`))})${span(sigs)}${peak(sigs)}${uris.length ? `, for ${list(uris)}` : ''}. ` +
          (meanings.length ? `${meanings.join('; ')}. ` : '') +
          'The status says which side gave up, not why: the web server\'s log of those minutes does.',
        evidence: sigs,
      }),
    ];
  },
});
