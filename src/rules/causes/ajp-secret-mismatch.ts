import { defineRule } from '../types.js';
import { jkNoBodyStatus, jkResponseStatus, jkReuseFalse, tomcatUnknownAttribute } from '../signals.js';
import { byThread, byWorker, groupBy, indexBy, merge, plural, precededBy, span, SECOND } from '../helpers.js';
import { append } from '../../util/append.js';

export default defineRule({
  id: 'ajp-secret-mismatch',
  title: 'AJP secret missing or different on the web server',
  severity: 'error',
  concerns: ['jk:secret', 'proxy:secret', 'tomcat:secret', 'tomcat:requiredSecret', 'tomcat:secretRequired'],
  needs: {
    logs: [jkReuseFalse, jkNoBodyStatus, jkResponseStatus, tomcatUnknownAttribute],
    capture: ['secret-rejected'],
    debug: '"(worker) status = 403" before each "Reuse is set to false"',
  },
  docs: {
    summary:
      'Tomcat has a secret (secret= / requiredSecret=, required by default since 9.0.31 / 8.5.51 / 7.0.100) and the web server sends none or another one. Tomcat answers every request with 403, sets reuse=0 in END_RESPONSE and closes the connection — and logs nothing. mod_jk warns "AJP13 protocol: Reuse is set to false" for each request (older Tomcats send no body: "No body with status=403").',
    remedy: [
      'Same value on both sides: server.xml <Connector protocol="AJP/1.3" secret="…"/> and workers.properties worker.<name>.secret=… (mod_jk 1.2.12+) or ProxyPass … ajp://host:8009/ secret=… (httpd 2.4.42+; older httpd cannot send a secret: only secretRequired="false" helps there).',
      'Tomcat 9.0.31+ renamed requiredSecret to secret; check both names after an upgrade.',
    ],
    references: ['https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html', 'https://tomcat.apache.org/connectors-doc/reference/workers.html', 'tomcat java/org/apache/coyote/ajp/AjpProcessor.java prepareRequest() (secret check)'],
  },
  check(ctx) {
    if (ctx.signals(tomcatUnknownAttribute).length) return []; // Tomcat named the reason: unknown-request-attribute-rejected
    const reuse = ctx.signals(jkReuseFalse);
    const noBody = ctx.signals(jkNoBodyStatus);
    const statuses = ctx.signals(jkResponseStatus);
    const cap = ctx.capture('secret-rejected');
    const findings = [];
    const statusesOf = indexBy(statuses, byWorker);
    const noBodyOf = indexBy(noBody, (s) => s.d.worker);
    for (const [worker, g] of groupBy(reuse, byWorker)) {
      if (g.length < 3) continue;
      const st = statusesOf.get(worker) ?? [];
      const nb = noBodyOf.get(worker) ?? [];
      let confidence: 'confirmed' | 'likely' | 'possible';
      const why: typeof g = [];
      if (st.length) {
        // debug log: every response of this worker must be a 403
        if (st.some((s) => s.d.status !== 403)) continue;
        append(why, g.map((r) => precededBy(r, st, 2 * SECOND, byThread)).filter((x) => x !== undefined));
        confidence = 'likely';
      } else if (nb.length) {
        if (nb.some((s) => s.d.status !== 403)) continue;
        append(why, nb);
        confidence = 'likely';
      } else confidence = 'possible';
      if (cap.length) confidence = 'confirmed';
      findings.push(
        ctx.finding({
          confidence,
          severity: confidence === 'possible' ? 'warning' : undefined,
          explanation:
            `Tomcat ended ${plural(g.length, 'response')} on worker ${worker || '?'} with reuse=0 ("Reuse is set to false")${span(g)}` +
            (confidence === 'possible' ? '' : ', each one a 403') +
            ': Tomcat rejects the requests and closes the connection, which is what it does when the AJP secret is missing or wrong. Tomcat itself logs nothing about it.',
          evidence: [...merge(why, g), ...cap],
          subject: worker ? { worker } : undefined,
          notes: confidence === 'possible' ? ['raise JkLogLevel to debug to confirm: "(worker) status = 403" before each "Reuse is set to false"; compare the Tomcat access log (403s)'] : [],
        }),
      );
    }
    if (!findings.length && cap.length >= 2)
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows ${plural(cap.length, 'request')} answered with 403 and END_RESPONSE reuse=0, each on its own connection: Tomcat rejects the AJP secret (or its absence).`,
          evidence: cap,
        }),
      );
    return findings;
  },
});
