import { defineRule } from '../types.js';
import { httpdReadResponseFailed, httpdReceiveHeader, httpdReadZero } from '../signals.js';
import { plural, precededBy, nextWithin, merge, span, SECOND } from '../helpers.js';

export default defineRule({
  id: 'content-length-without-body',
  title: 'Client announced a request body but sent none',
  severity: 'warning',
  needs: { logs: [httpdReadZero, httpdReceiveHeader, httpdReadResponseFailed] },
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
    const timeouts = merge(ctx.signals(httpdReceiveHeader), ctx.signals(httpdReadResponseFailed)).filter((s) => s.d.apr === 70007);
    const sideEffect = zero.filter((z) => precededBy(z, timeouts, 2 * SECOND) || nextWithin(z, timeouts, 2 * SECOND));
    return [
      ctx.finding({
        confidence: sideEffect.length === zero.length ? 'possible' : 'likely',
        severity: sideEffect.length === zero.length ? 'info' : undefined,
        explanation:
          `${plural(zero.length, 'request')} announced a body (Content-Length) but none arrived${span(zero)}; httpd answered 400.` +
          (sideEffect.length ? ' They come in the same burst as backend timeouts on that process, so they may be a side effect of the stalled exchange rather than a client fault.' : ''),
        evidence: zero,
      }),
    ];
  },
});
