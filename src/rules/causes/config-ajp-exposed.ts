import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { isAnyAddress, isLoopback, isPlaceholder, tomcatBool } from '../../config/index.js';
import { connectorAt, where } from './config-util.js';
import { tomcatAjpStartFailed } from '../signals.js';

/**
 * CVE-2020-1938 (Ghostcat): an AJP connector anyone can reach, without a secret, lets them set the
 * request attributes javax.servlet.include.* and read (or, with an upload, run) any file of a web
 * application. Tomcat 9.0.31 / 8.5.51 / 7.0.100 changed the defaults to address="localhost" and
 * secretRequired="true"; a server.xml written for older versions, or one that sets address="0.0.0.0"
 * and secretRequired="false" to "make it work", is exposed again.
 */
export default defineRule({
  id: 'config-ajp-exposed',
  title: 'AJP connector reachable from other hosts without a secret (Ghostcat exposure)',
  severity: 'error',
  needs: { logs: [], config: ['tomcat', 'jboss'] },
  confirmedByIncident: ['ghostcat-probe', 'http-client-on-ajp-port'],
  docs: {
    summary:
      'An AJP <Connector> bound to every address (address="0.0.0.0" / "::", or no address on Tomcat before 9.0.31 / 8.5.51 / 7.0.100) with no secret (secretRequired="false", or a version without the attribute): anyone who reaches the port can read any file of the web applications (CVE-2020-1938, "Ghostcat") and pass arbitrary request attributes. A connector without address on a version where the secret is not required is reported as possible: from 9.0.31 on it binds to loopback only. WildFly/EAP ajp-listeners on a public interface are reported at warning (Undertow has no AJP secret; CVE-2020-1745).',
    remedy: [
      'Bind the connector to the address the web server connects from and require a secret: <Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" secret="<long random>" …/> (Tomcat 9.0.31+ / 8.5.51+ / 7.0.100+; older versions: upgrade, or requiredSecret="…"), with worker.<name>.secret=… (mod_jk) or ProxyPass … secret=… (httpd 2.4.42+).',
      'If AJP is not used, remove the connector. Otherwise firewall the port to the web servers only.',
    ],
    references: [
      'https://nvd.nist.gov/vuln/detail/CVE-2020-1938',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (address, secret, secretRequired)',
      'https://tomcat.apache.org/security-9.html (Fixed in Apache Tomcat 9.0.31)',
      'https://nvd.nist.gov/vuln/detail/CVE-2020-1745 (Undertow AJP)',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    // A Tomcat log that shows the connector refused for want of a secret (AbstractAjpProtocol.start,
    // ajpprotocol.noSecret) was written by 9.0.31 / 8.5.51 / 7.0.100 or later: there a connector
    // without address listens on loopback only, and one without secret does not start at all
    // (tomcat-ajp-hardening-defaults says so). Such a connector is exposed on no version the log allows.
    // (Read, not declared in `needs`: a configuration check needs no log, configRules; the signal is
    // collected for tomcat-ajp-hardening-defaults, and without it nothing is left out.)
    const newDefaults = ctx.signals(tomcatAjpStartFailed).some((s) => s.d.what === 'secret-required');
    for (const c of ctx.config.connectors) {
      const address = c.address;
      if (address !== undefined && (isLoopback(address) || isPlaceholder(address))) continue;
      if (address !== undefined && !isAnyAddress(address)) continue; // bound to one interface: reachable only on that network
      if (c.server === 'jboss') {
        if (address === undefined) continue;
        out.push(
          ctx.finding({
            confidence: 'likely',
            severity: 'warning',
            explanation: `The ajp-listener at ${where(c)} is on an interface bound to ${address} (every address): Undertow's AJP listener checks no secret, so whoever reaches port ${c.port ?? '?'} talks AJP to the server.`,
            evidence: [connectorAt(c)],
            subject: { connector: `port ${c.port ?? '?'}` },
          }),
        );
        continue;
      }
      const secret = c.attrs.get('secret') ?? c.attrs.get('requiredSecret');
      if (secret && secret.value !== '') continue;
      // (as Tomcat reads it: secretRequired="" is false, the fix a thread posts to get the connector started)
      const reqSetting = c.attrs.get('secretRequired');
      const req = tomcatBool(reqSetting);
      const reqText = `secretRequired="${reqSetting?.value ?? 'false'}"${reqSetting === undefined || reqSetting.value.toLowerCase() === 'false' ? '' : ' (false to Tomcat)'}`;
      if (req === true) continue; // refused at start without a secret (config-secret-mismatch says so)
      const explicit = address !== undefined;
      if (!explicit && req === undefined && newDefaults) continue;
      // No address and secretRequired="false": the attribute exists only since 9.0.31, where the default address is loopback.
      const possible = !explicit && req === false;
      out.push(
        ctx.finding({
          confidence: explicit ? 'confirmed' : possible ? 'possible' : 'likely',
          severity: possible ? 'warning' : 'error',
          explanation: explicit
            ? `The AJP connector on port ${c.port ?? '?'} (${where(c)}) listens on every address (address="${address}") and checks no secret${req === false ? ` (${reqText})` : ''}: anyone who reaches the port can read the web applications' files (CVE-2020-1938, Ghostcat).`
            : possible
              ? `The AJP connector on port ${c.port ?? '?'} (${where(c)}) has no address and ${reqText}: on Tomcat 9.0.31 / 8.5.51 / 7.0.100 and later it listens on loopback only, but with address="0.0.0.0" added later (or a backport without the new default) it is open to CVE-2020-1938 (Ghostcat).`
              : `The AJP connector on port ${c.port ?? '?'} (${where(c)}) has no address and no secret: before Tomcat 9.0.31 / 8.5.51 / 7.0.100 it listens on every address and anyone who reaches it can read the web applications' files (CVE-2020-1938, Ghostcat); from those versions on it does not start without a secret.`,
          evidence: [connectorAt(c)],
          subject: { connector: `port ${c.port ?? '?'}` },
          remedy: [`<Connector protocol="AJP/1.3" address="127.0.0.1" port="${c.port ?? 8009}" secret="<long random>" …/> at ${where(c)} (or the web server's address instead of 127.0.0.1)`],
        }),
      );
    }
    return out;
  },
});
