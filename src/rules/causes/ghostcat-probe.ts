import { defineRule } from '../types.js';
import { tomcatUnknownAttribute } from '../signals.js';
import { list, plural, span } from '../helpers.js';
import type { CaptureEvidence } from '../../util/evidence.js';
import { captureSpan, framesOf } from './capture-util.js';

export default defineRule({
  id: 'ghostcat-probe',
  title: 'Ghostcat (CVE-2020-1938) attempts against the AJP port',
  severity: 'error',
  needs: { logs: [tomcatUnknownAttribute], capture: ['ghostcat-attribute'] },
  docs: {
    summary:
      'Someone connects straight to the AJP port and sends FORWARD_REQUESTs with javax.servlet.include.request_uri / path_info / servlet_path attributes to read files such as /WEB-INF/web.xml or to run uploaded files as JSP. The web server is not involved. A patched Tomcat (9.0.31 / 8.5.51 / 7.0.100+) rejects them with 403; a 200/404/500 answer means the attributes were let through (unpatched, or allowedRequestAttributesPattern matches them).',
    remedy: [
      'Upgrade Tomcat to 9.0.31 / 8.5.51 / 7.0.100 or later (better 9.0.36 / 8.5.56+, which logs the rejections).',
      'Bind the connector to an internal address (address="…"), require a secret (secret="…" with the same value on the web server), firewall port 8009, or remove the AJP connector if unused.',
    ],
    references: ['https://nvd.nist.gov/vuln/detail/CVE-2020-1938', 'https://tomcat.apache.org/security-9.html', 'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html'],
  },
  check(ctx) {
    const sigs = ctx.signals(tomcatUnknownAttribute).filter((s) => /^(javax|jakarta)\.servlet\.include\./.test(String(s.d.attribute)));
    // One capture item per FORWARD_REQUEST (detect/index.ts ghostcatRequests), with the container's answer.
    const cap = ctx.capture('ghostcat-attribute');
    if (!sigs.length && !cap.length) return [];
    const names = [...new Set(sigs.map((s) => String(s.d.attribute)))];
    if (!cap.length) {
      return [
        ctx.finding({
          confidence: 'likely',
          explanation: `Tomcat rejected ${plural(sigs.length, 'AJP request')} carrying ${list(names)}${span(sigs)}: no web server forwards these include attributes; this is a Ghostcat (CVE-2020-1938) probe reaching the AJP port directly. Tomcat refused the attributes (403), so the probe read nothing.`,
          evidence: sigs,
        }),
      ];
    }
    // Security triage: whether the container let the attributes through decides everything.
    const accepted = cap.filter((c) => c.fields?.accepted === true);
    const rejected = cap.filter((c) => c.fields?.accepted === false);
    const unknown = cap.filter((c) => c.fields?.accepted !== true && c.fields?.accepted !== false);
    const attrs = [...new Set(cap.flatMap((c) => String(c.fields?.attributes ?? '').split(' ').filter(Boolean)))];
    const statuses = (g: readonly CaptureEvidence[]) => [...new Set(g.map((c) => String(c.fields?.status)))].join('/');
    const out = [];
    if (accepted.length) {
      out.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows ${plural(accepted.length, 'FORWARD_REQUEST')} with ${list(attrs)}${captureSpan(accepted)} (${framesOf(accepted)}) that the container ACCEPTED: it answered ${statuses(accepted)}, not 403, so the include attributes were let through and the request was processed with them (Tomcat before 9.0.31 / 8.5.51 / 7.0.100, or an allowedRequestAttributesPattern that matches them). On a vulnerable Tomcat this reads files under the web application (such as /WEB-INF/web.xml) or runs an uploaded file as JSP: treat it as a possible compromise and check what was returned.`,
          evidence: [...accepted, ...sigs],
          subject: { backend: list([...new Set(accepted.map((c) => String(c.fields?.container ?? '?')))]) },
        }),
      );
    }
    if (rejected.length || unknown.length) {
      const g = [...rejected, ...unknown];
      out.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The capture shows ${plural(g.length, 'FORWARD_REQUEST')} with ${list(attrs)}${captureSpan(g)} (${framesOf(g)}) sent straight to the AJP port${rejected.length ? `; the container REJECTED ${rejected.length === g.length ? 'them' : rejected.length} with 403 (a Tomcat that refuses unknown request attributes: the probe read nothing)` : ''}${unknown.length ? `; ${plural(unknown.length, 'request')} got no reply in the capture` : ''}. Someone can reach the AJP port without going through the web server.`,
          evidence: accepted.length ? g : [...g, ...sigs],
        }),
      );
    }
    return out;
  },
});