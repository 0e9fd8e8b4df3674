import { defineRule } from '../types.js';
import { tomcatUnknownAttribute } from '../signals.js';
import { list, plural, span } from '../helpers.js';

export default defineRule({
  id: 'ghostcat-probe',
  title: 'Ghostcat (CVE-2020-1938) attempts against the AJP port',
  severity: 'error',
  concerns: ['tomcat:address', 'tomcat:secretRequired', 'tomcat:secret', 'tomcat:allowedRequestAttributesPattern'],
  needs: { logs: [tomcatUnknownAttribute], capture: ['ghostcat-attribute'] },
  docs: {
    summary:
      'Someone connects straight to the AJP port and sends FORWARD_REQUESTs with javax.servlet.include.request_uri / path_info / servlet_path attributes to read files such as /WEB-INF/web.xml or to run uploaded files as JSP. The web server is not involved; a patched Tomcat rejects them with 403.',
    remedy: [
      'Upgrade Tomcat to 9.0.31 / 8.5.51 / 7.0.100 or later (better 9.0.36 / 8.5.56+, which logs the rejections).',
      'Bind the connector to an internal address (address="…"), require a secret (secret="…" with the same value on the web server), firewall port 8009, or remove the AJP connector if unused.',
    ],
    references: ['https://nvd.nist.gov/vuln/detail/CVE-2020-1938', 'https://tomcat.apache.org/security-9.html', 'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html'],
  },
  check(ctx) {
    const sigs = ctx.signals(tomcatUnknownAttribute).filter((s) => /^(javax|jakarta)\.servlet\.include\./.test(String(s.d.attribute)));
    const cap = ctx.capture('ghostcat-attribute');
    if (!sigs.length && !cap.length) return [];
    const names = [...new Set(sigs.map((s) => String(s.d.attribute)))];
    return [
      ctx.finding({
        confidence: cap.length ? 'confirmed' : 'likely',
        explanation: sigs.length
          ? `Tomcat rejected ${plural(sigs.length, 'AJP request')} carrying ${list(names)}${span(sigs)}: no web server forwards these include attributes; this is a Ghostcat (CVE-2020-1938) probe reaching the AJP port directly.`
          : `The capture shows FORWARD_REQUESTs with javax.servlet.include.* attributes (${plural(cap.length, 'request')}).`,
        evidence: [...sigs, ...cap],
      }),
    ];
  },
});
