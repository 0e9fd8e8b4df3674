import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { isPlaceholder, tomcatBool, type AjpConnector, type Setting } from '../../config/index.js';
import { at, backendAt, backends, connectorAt, where } from './config-util.js';

/** The secret Tomcat checks: `secret` (9.0.31 / 8.5.51 / 7.0.100+) or the older `requiredSecret`. */
function tomcatSecret(c: AjpConnector): Setting | undefined {
  const s = c.attrs.get('secret') ?? c.attrs.get('requiredSecret');
  return s && s.value !== '' ? s : undefined;
}

/**
 * Tomcat AjpProcessor.prepareRequest: with a secret configured, a FORWARD_REQUEST without the
 * `secret` attribute (0x0C) or with another value is answered 403 and logged nowhere by default.
 * AbstractAjpProtocol.start: secretRequired="true" without a secret stops the connector from starting.
 */
export default defineRule({
  id: 'config-secret-mismatch',
  title: 'AJP secret set on one side only, or different on the two sides',
  severity: 'error',
  needs: { logs: [], config: ['workers', 'httpd', 'tomcat', 'isapi'] },
  confirmedByIncident: ['ajp-secret-mismatch'],
  docs: {
    summary:
      'Tomcat\'s AJP connector has secret= (or the older requiredSecret=) and a mod_jk worker or mod_proxy_ajp URL reaching it sends no secret or another one: every request through it gets 403 from Tomcat, which logs nothing by default. Also: secretRequired="true" without a secret (Tomcat 9.0.31 / 8.5.51 / 7.0.100+ refuse to start the connector), and a secret sent to a connector that checks none (it protects nothing).',
    remedy: [
      'Send the connector\'s secret from every worker that reaches it: worker.<name>.secret=<secret> (mod_jk), ProxyPass … ajp://host:8009/ secret=<secret> (httpd 2.4.42+; on the BalancerMember for a balancer), matching <Connector protocol="AJP/1.3" secret="<secret>" …/> (Tomcat 9.0.31+, 8.5.51+; older: requiredSecret="<secret>").',
      'Several ProxyPass lines with the same worker URL share one worker and its first secret (httpd AH01146 "Ignoring parameter … because of worker sharing"): give each its own URL.',
    ],
    references: [
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (secret, secretRequired, requiredSecret)',
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (secret)',
      'https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass (secret, 2.4.42)',
      'tomcat java/org/apache/coyote/ajp/AjpProcessor.java prepareRequest()',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const c of ctx.config.connectors) {
      if (c.server !== 'tomcat') continue;
      const req = c.attrs.get('secretRequired');
      if (tomcatBool(req) === true && !tomcatSecret(c))
        out.push(
          ctx.finding({
            confidence: 'confirmed',
            explanation: `The connector on port ${c.port ?? '?'} (${where(c)}) has secretRequired="true" and no secret: Tomcat 9.0.31 / 8.5.51 / 7.0.100 and later refuse to start it ("The AJP Connector is configured with secretRequired="true" but the secret attribute is either null or """).`,
            evidence: [connectorAt(c, 'secretRequired')],
            subject: { connector: `port ${c.port ?? '?'}` },
            remedy: [`Add secret="…" to the connector at ${where(c)} and the same secret to the web server's workers.`],
          }),
        );
    }
    for (const b of backends(ctx.config)) {
      const web = b.kind === 'jk' ? b.worker.settings.get('secret') : b.proxy.params.get('secret');
      if (web && isPlaceholder(web.value)) continue;
      for (const c of b.connectors) {
        if (c.server !== 'tomcat') continue;
        const tc = tomcatSecret(c);
        if (tc && isPlaceholder(tc.value)) continue;
        const subject = { backend: `${b.host}:${b.port}`, [b.kind === 'jk' ? 'worker' : 'proxy']: b.kind === 'jk' ? b.worker.name : b.proxy.url };
        const fix = b.kind === 'jk' ? `worker.${b.worker.name}.secret=<the connector's secret>` : `${b.proxy.directive} ${b.proxy.mount ?? ''} ${b.proxy.url} secret=<the connector's secret>`.replace(/\s+/g, ' ');
        if (tc && !web)
          out.push(
            ctx.finding({
              confidence: 'likely',
              explanation: `The connector on port ${b.port} requires a secret (${tc.key} at ${where(tc)}) and ${b.name} sends none: every request through it is answered 403 by Tomcat.`,
              evidence: [backendAt(b), connectorAt(c, tc.key)],
              subject,
              remedy: [fix],
            }),
          );
        else if (tc && web && tc.value !== web.value)
          out.push(
            ctx.finding({
              confidence: 'likely',
              explanation: `${b.name} sends a secret (${where(web)}) that is not the connector's (${tc.key} at ${where(tc)}): every request through it is answered 403 by Tomcat.`,
              evidence: [{ ...at(web), text: `${web.key}=…` }, { ...connectorAt(c, tc.key), text: `Connector port ${c.port ?? '?'}: ${tc.key}=…` }],
              subject,
              remedy: [fix],
            }),
          );
        else if (!tc && web && tomcatBool(c.attrs.get('secretRequired')) === false)
          out.push(
            ctx.finding({
              confidence: 'likely',
              severity: 'info',
              explanation: `${b.name} sends a secret (${where(web)}) but the connector on port ${b.port} (${where(c)}) checks none (secretRequired="${c.attrs.get('secretRequired')?.value ?? 'false'}", no secret): the secret protects nothing.`,
              evidence: [{ ...at(web), text: `${web.key}=…` }, connectorAt(c, 'secretRequired')],
              subject,
              remedy: [`Set secret="…" (the same value) on the connector at ${where(c)} and remove secretRequired="false".`],
            }),
          );
      }
    }
    return out;
  },
});
