import { defineRule } from '../types.js';
import { jkNoBodyStatus, jkReuseFalse, tomcatUnknownAttribute } from '../signals.js';
import { groupBy, nextWithin, plural, span, SECOND } from '../helpers.js';

export default defineRule({
  id: 'ajp-secret-mismatch',
  title: 'AJP secret missing or different on the web server',
  severity: 'error',
  needs: { logs: [jkReuseFalse, jkNoBodyStatus, tomcatUnknownAttribute], capture: ['secret-rejected'], debug: '"socket N [...] connected" before every request (Tomcat closes each connection)' },
  docs: {
    summary:
      'Tomcat has a secret (secret= / requiredSecret=, required by default since 9.0.31 / 8.5.51 / 7.0.100) and the web server sends none or another one. Tomcat answers every request with 403 without a body, sets reuse=0 and closes the connection — and logs nothing.',
    remedy: [
      'Same value on both sides: server.xml <Connector protocol="AJP/1.3" secret="…"/> and workers.properties worker.<name>.secret=… (mod_jk 1.2.12+) or ProxyPass … ajp://host:8009/ secret=… (httpd 2.4.42+; older httpd cannot send a secret: only secretRequired="false" helps there).',
      'Tomcat 9.0.31+ renamed requiredSecret to secret; check both names after an upgrade.',
    ],
    references: ['https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html', 'https://tomcat.apache.org/connectors-doc/reference/workers.html', 'tomcat java/org/apache/coyote/ajp/AjpProcessor.java prepareRequest() (secret check)'],
  },
  check(ctx) {
    const forbidden = ctx.signals(jkNoBodyStatus).filter((s) => s.d.status === 403);
    if (ctx.signals(tomcatUnknownAttribute).length) return []; // Tomcat named the reason: unknown-request-attribute-rejected
    const reuse = ctx.signals(jkReuseFalse);
    const cap = ctx.capture('secret-rejected');
    const findings = [];
    for (const [worker, g] of groupBy(forbidden, (s) => String(s.d.worker))) {
      const all = ctx.signals(jkNoBodyStatus).filter((s) => s.d.worker === worker);
      const paired = g.filter((s) => reuse.some((r) => r.ev.path === s.ev.path && nextWithin(r, [s], 2 * SECOND)));
      if (g.length < 3 || g.length / all.length < 0.9) continue;
      findings.push(
        ctx.finding({
          confidence: cap.length ? 'confirmed' : paired.length >= 3 ? 'likely' : 'possible',
          explanation: `Every backend error on worker ${worker} is a 403 without body (${plural(g.length, 'request')}${span(g)})${paired.length ? ', each after "Reuse is set to false"' : ''}: Tomcat rejects the requests and closes the connection, which is what it does when the AJP secret does not match. Tomcat itself logs nothing about it.`,
          evidence: [...(paired.length ? reuse.filter((r) => paired.some((p) => nextWithin(r, [p], 2 * SECOND))).slice(0, 3) : []), ...g, ...cap],
          subject: { worker },
        }),
      );
    }
    return findings;
  },
});
