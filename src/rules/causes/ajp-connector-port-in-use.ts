import { defineRule, type SignalDef } from '../types.js';

/** The exception alone (a `Caused by:` pasted by itself): `java.net.BindException: Address already in use[: JVM_Bind | (Bind failed) | : bind]`. */
const javaBindInUse: SignalDef = {
  kind: 'java-bind-in-use',
  source: 'tomcat',
  needles: ['BindException: Address already in use'],
  re: /BindException: Address already in use(?:[: ]+(?:JVM_Bind|bind|\(Bind failed\)))?(?:\s*<null>:(\d+)|:(\d+))?/,
  data: (m) => ({ port: m[1] ?? m[2] }),
};
import { tomcatAjpStartFailed } from '../signals.js';
import { isIpv6, listenerFailures } from '../shared.js';

/**
 * The container's AJP listener cannot bind its port because another process holds it: a second
 * Tomcat / Jenkins / JBoss instance on the same host with only the HTTP port changed, a container
 * with host networking, a stale process. Tomcat binds in Connector.initInternal() →
 * AbstractProtocol.init() → AbstractEndpoint.bind() (bindOnInit="true" by default), so the failure
 * is `Failed to initialize …` with `java.net.BindException: Address already in use` in its chain.
 */
export default defineRule({
  id: 'ajp-connector-port-in-use',
  title: "The container's AJP connector cannot bind: the port is already in use",
  severity: 'error',
  needs: { logs: [tomcatAjpStartFailed] },
  docs: {
    summary:
      'The servlet container could not open its AJP port because another process already listens on it (java.net.BindException: Address already in use): usually a second Tomcat, JBoss or Jenkins instance on the same host, or a previous instance that did not stop. The web server then reaches the other process, or nothing that answers AJP.',
    remedy: [
      'Find who holds the port on the container host: ss -ltnp | grep :8009 (Windows: netstat -ano | findstr :8009), and stop the stale instance.',
      'Several instances on one host: give each its own AJP port (server.xml <Connector protocol="AJP/1.3" port="8010" …/>; JBoss/WildFly socket-binding "ajp" with port-offset; Jenkins --ajp13Port=-1 to disable it) and the matching worker.<name>.port / ProxyPass ajp://host:port.',
      'An AJP connector nobody uses: remove or comment it out in server.xml (Tomcat 9.0.31+ ships it commented out).',
    ],
    references: [
      'Tomcat java/org/apache/catalina/connector/Connector.java initInternal(), java/org/apache/coyote/AbstractProtocol.java init() (abstractProtocolHandler.initError), AbstractEndpoint.bindOnInit',
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html',
      'https://github.com/jenkinsci/winstone/pull/7 (second instance, default AJP port)',
    ],
  },
  readings: [
    {
      signal: javaBindInUse,
      explanation:
        "A Java server could not open a listening port: another process already holds it (java.net.BindException: Address already in use). When it is Tomcat's (or JBoss') AJP connector, the web server then reaches the other process or nothing; the same exception for the HTTP or shutdown port means the same thing for that port.",
      confirm: 'the lines just before it (Failed to initialize end point associated with ProtocolHandler ["ajp-nio-8009"] names the connector and port), and on that host: ss -ltnp | grep :8009 (Windows: netstat -ano | findstr :8009).',
    },
  ],
  check(ctx) {
    return listenerFailures(ctx)
      .filter((g) => g.what === 'in-use' || (g.what === 'unknown' && g.phase === 'init' && !isIpv6(g.address)))
      .map((g) =>
        ctx.finding({
          confidence: g.what === 'in-use' ? 'likely' : 'possible',
          explanation:
            g.what === 'in-use'
              ? `The AJP listener${g.port ? ` on port ${g.port}` : ''} could not bind: another process already listens on it (Address already in use). Until it is free, connections to that port reach the other process or nothing.`
              : `The AJP listener${g.port ? ` on port ${g.port}` : ''} failed while binding its socket (initialisation), and the lines shown do not include the reason. The usual one is another process on the same port; the exception chain after this line ("Caused by: java.net.BindException: …") confirms it.`,
          evidence: g.signals,
          subject: g.port ? { port: String(g.port) } : {},
        }),
      );
  },
});
