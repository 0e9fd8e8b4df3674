import { defineRule } from '../types.js';
import { tomcatAjpHandler, tomcatAjpStartFailed } from '../signals.js';
import { listenerFailures, refusalGroups, refusalSignals } from '../shared.js';
import { isLoopback, list } from '../helpers.js';

export default defineRule({
  id: 'tomcat-ajp-hardening-defaults',
  title: 'Tomcat Ghostcat-fix defaults: AJP connector off, on loopback, or refusing to start without a secret',
  severity: 'error',
  needs: { logs: [tomcatAjpStartFailed, tomcatAjpHandler, ...refusalSignals] },
  docs: {
    summary:
      'Since Tomcat 9.0.31, 8.5.51 and 7.0.100 (CVE-2020-1938 fixes) the AJP connector is commented out in the default server.xml, listens on the loopback address only, and does not start without a secret (secretRequired="true"); requiredSecret was renamed secret. After an upgrade the web server gets connection refused.',
    remedy: [
      'server.xml: <Connector protocol="AJP/1.3" port="8009" address="0.0.0.0" (or the internal IP the web server uses) secret="…" redirectPort="8443"/>',
      'Same secret on the web server: workers.properties worker.<name>.secret=… (mod_jk 1.2.12+; for lb set it on the members or the lb), or ProxyPass … ajp://host:8009/ secret=… (httpd 2.4.42+).',
      'Only on a trusted network and as a stop-gap: secretRequired="false". Firewall port 8009 in any case.',
    ],
    references: [
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html',
      'https://tomcat.apache.org/tomcat-9.0-doc/changelog.html (9.0.31)',
      'https://github.com/docker-library/tomcat/issues/190',
      'https://www.microfocus.com/documentation/access-manager/5.0/install_upgrade/t4c4bkesyvcc.html',
    ],
  },
  check(ctx) {
    const findings = [];
    // Start failures for a bind reason are ajp-connector-port-in-use / -bind-address; this cause is the
    // secret check of AbstractAjpProtocol.start(), or a start failure whose reason the paste does not show.
    const groups = listenerFailures(ctx).filter((g) => g.what === 'secret-required' || (g.what === 'unknown' && g.phase === 'start'));
    const failed = groups.flatMap((g) => g.signals);
    if (failed.length) {
      const secret = groups.some((g) => g.what === 'secret-required');
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation: secret
            ? 'The AJP connector did not start: it requires a secret (secretRequired="true", the default since 9.0.31 / 8.5.51 / 7.0.100) and none is configured. Nothing listens on the AJP port, so the web server gets connection refused.'
            : 'The AJP connector failed to start, so nothing listens on the AJP port and the web server gets connection refused. After a Tomcat upgrade to 9.0.31 / 8.5.51 / 7.0.100 or later the usual reason is the missing secret (the exception after this line says which).',
          evidence: failed,
        }),
      );
    }
    const loop = ctx.signals(tomcatAjpHandler).filter((s) => s.d.address !== undefined && isLoopback(String(s.d.address)));
    const remoteRefused = refusalGroups(ctx).filter((g) => !isLoopback(g.backend.replace(/^(name|worker):/, '')) && !g.backend.startsWith('worker:'));
    // With web-server logs at hand and no refused connect to a non-loopback address, the loopback bind is the working setup.
    const webServerLogs = ctx.dialects.has('modjk') || ctx.dialects.has('isapi') || ctx.dialects.has('httpd');
    if (loop.length && (remoteRefused.length || !webServerLogs)) {
      findings.push(
        ctx.finding({
          confidence: remoteRefused.length ? 'likely' : 'possible',
          severity: remoteRefused.length ? 'error' : 'info',
          explanation:
            `The AJP connector listens on the loopback address only (${list([...new Set(loop.map((s) => `${s.d.address}:${s.d.port}`))])}), the default since Tomcat 9.0.31 / 8.5.51 / 7.0.100. A web server on another host (or container) cannot connect.` +
            (remoteRefused.length ? ` Connections to ${list(remoteRefused.map((g) => g.backend))} were refused.` : ' Fine when the web server runs on the same host and uses the same address.'),
          evidence: [...loop, ...remoteRefused.flatMap((g) => g.signals)],
        }),
      );
    }
    return findings;
  },
});
