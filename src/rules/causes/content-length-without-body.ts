import { defineRule } from '../types.js';
import { httpdReadHeaderFailed, httpdReadResponseFailed, httpdReceiveHeader, httpdReadZero } from '../signals.js';
import type { Signal } from '../types.js';
import { plural, precededBy, nextWithin, merge, span, SECOND } from '../helpers.js';

export default defineRule({
  id: 'content-length-without-body',
  title: 'Client announced a request body but sent none',
  severity: 'warning',
  needs: { logs: [httpdReadZero, httpdReceiveHeader, httpdReadResponseFailed, httpdReadHeaderFailed] },
  docs: {
    summary:
      'mod_proxy_ajp read zero bytes of a request body that Content-Length announced (AH00877): the client (or a middlebox) sent a bogus Content-Length or went away before the body. httpd answers 400 and closes the backend connection (since 2.2.15, CVE-2010-0408; before, the connection could be reused in a wrong state).',
    remedy: [
      'Nothing to change on a patched httpd (≥ 2.2.15 / any 2.4): the request is rejected with 400.',
      'Find the client or proxy that sends Content-Length without a body (access log with %{Content-Length}i, client IP from the [client …] part).',
    ],
    references: ['https://httpd.apache.org/security/vulnerabilities_22.html (CVE-2010-0408)', 'httpd modules/proxy/mod_proxy_ajp.c ap_proxy_ajp_request() AH00877'],
  },
  check(ctx) {
    const zero = ctx.signals(httpdReadZero);
    if (!zero.length) return [];
    const failures = merge(merge(ctx.signals(httpdReceiveHeader), ctx.signals(httpdReadResponseFailed)), ctx.signals(httpdReadHeaderFailed));
    const timeouts = failures.filter((s) => s.d.apr === 70007);
    // The same httpd process and thread (one request at a time) failing its backend exchange within
    // the same moment, whatever the failure (a timeout, an EOF on a reused connection the backend had
    // closed): the zero-byte body belongs to that failed request, not to a client that announced a
    // body it never sent. Seen as AH00992, AH00878 (120006) then AH00877 "expecting 386 bytes", one
    // pid and one client connection within the second (uyuni-project/uyuni#3417, Tomcat closing idle
    // pooled connections); mod_proxy_ajp.c ap_proxy_ajp_request() logs AH00877 when the client's body
    // read returns nothing while Content-Length announced some.
    const sameThread = (s: Signal): string | undefined => (s.ev.pid === undefined ? undefined : `${s.ev.path}|${s.ev.pid}|${s.ev.tid ?? ''}`);
    const sideEffect = zero.filter(
      (z) =>
        (sameThread(z) !== undefined && (precededBy(z, failures, 2 * SECOND, sameThread) || nextWithin(z, failures, 2 * SECOND, sameThread))) ||
        precededBy(z, timeouts, 2 * SECOND) ||
        nextWithin(z, timeouts, 2 * SECOND),
    );
    return [
      ctx.finding({
        confidence: sideEffect.length === zero.length ? 'possible' : 'likely',
        severity: sideEffect.length === zero.length ? 'info' : undefined,
        explanation:
          `${plural(zero.length, 'request')} announced a body (Content-Length) but none arrived${span(zero)}; httpd answered 400.` +
          (sideEffect.length ? ' They come with failed backend exchanges of the same httpd process (a timeout, or a reused connection the backend had closed), so they may be a side effect of that failure (the body read by the first try, the retry finds none) rather than a client fault.' : ''),
        evidence: zero,
      }),
    ];
  },
});
