import { defineRule } from '../types.js';
import { tomcatUnknownAttribute } from '../signals.js';
import { list, plural } from '../helpers.js';

export default defineRule({
  id: 'unknown-request-attribute-rejected',
  title: 'Tomcat rejects a forwarded request attribute (allowedRequestAttributesPattern)',
  severity: 'error',
  needs: { logs: [tomcatUnknownAttribute], capture: ['unknown-attribute'] },
  docs: {
    summary:
      'Since 9.0.31 / 8.5.51 / 7.0.100 Tomcat accepts only the known AJP request attributes plus names matching allowedRequestAttributesPattern; a request carrying any other (JkEnvVar, SetEnv AJP_*, exported SSL variables) gets 403. Since 9.0.36 / 8.5.56 it logs the attribute name.',
    remedy: [
      'server.xml: <Connector protocol="AJP/1.3" … allowedRequestAttributesPattern="ATTR_ONE|SSL_CLIENT_.*"/> (a Java regex over the attribute names you forward),',
      'or stop forwarding the attribute (remove the JkEnvVar / SetEnv AJP_…).',
    ],
    references: ['https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html', 'https://bz.apache.org/bugzilla/show_bug.cgi?id=64483'],
  },
  check(ctx) {
    const sigs = ctx.signals(tomcatUnknownAttribute).filter((s) => !String(s.d.attribute).startsWith('javax.servlet.include.') && !String(s.d.attribute).startsWith('jakarta.servlet.include.'));
    if (!sigs.length) return [];
    const names = [...new Set(sigs.map((s) => String(s.d.attribute)))];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `Tomcat rejected ${plural(sigs.length, 'request')} (403) because the web server forwarded the request ${names.length === 1 ? 'attribute' : 'attributes'} ${list(names)}, which the AJP connector does not allow.`,
        evidence: sigs,
        subject: { attribute: names.join(',') },
      }),
    ];
  },
});
