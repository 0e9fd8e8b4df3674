import { defineRule, type SignalDef } from '../types.js';

/** The exception alone: `java.net.BindException: Cannot assign requested address` (an address this host does not have). */
const javaBindAddress: SignalDef = {
  kind: 'java-bind-address',
  source: 'tomcat',
  needles: ['BindException: Cannot assign requested address', "BindException: Can't assign requested address"],
  re: /BindException: Can(?:not|'t) assign requested address/,
};
import { tomcatAjpStartFailed } from '../signals.js';
import { isIpv6, listenerFailures } from '../shared.js';

/**
 * The container's AJP listener cannot bind the address it is configured for: `address=` names an
 * address this host does not have (an IPv6 loopback `::1` on a host or container with IPv6
 * disabled — Tomcat 9.0.31+ / 8.5.51+ default to the loopback —, another machine's IP, a name that
 * does not resolve), or a port below 1024 without the privilege to bind it.
 */
export default defineRule({
  id: 'ajp-connector-bind-address',
  title: "The container's AJP connector cannot bind its configured address",
  severity: 'error',
  needs: { logs: [tomcatAjpStartFailed] },
  docs: {
    summary:
      'The AJP connector did not start because the address it is told to listen on is not usable on this host: "Cannot assign requested address" (an IP of another machine, ::1 where IPv6 is off), "Address family not supported", an unresolvable name, or "Permission denied" for a port below 1024. Nothing listens for AJP, so the web server gets connection refused.',
    remedy: [
      'Set the connector address to one this host has, as the web server reaches it: <Connector protocol="AJP/1.3" address="127.0.0.1" port="8009" …/> (or address="0.0.0.0" behind a firewall, with secret=); Tomcat 9.0.31+ / 8.5.51+ default to the loopback, which is ::1 when IPv6 is preferred.',
      'IPv6 disabled in the host or container: use an IPv4 address (address="127.0.0.1" / "0.0.0.0"), or start Java with -Djava.net.preferIPv4Stack=true.',
      'Port below 1024: use 8009 (or another port ≥ 1024), or give the JVM the capability (setcap cap_net_bind_service=+ep on the java binary).',
    ],
    references: [
      'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html (address, default loopback since 9.0.31 / 8.5.51 / 7.0.100)',
      'Tomcat java/org/apache/tomcat/util/net/NioEndpoint.java bind() → java.net.BindException',
      'https://github.com/oracle/docker-images (ORDS image: AJP connector on ::1 with IPv6 disabled)',
    ],
  },
  readings: [
    {
      signal: javaBindAddress,
      explanation:
        "A Java server could not listen on the address it was given: it is not an address of this host (java.net.BindException: Cannot assign requested address) — a connector's address= naming another machine, ::1 where IPv6 is off, a container's former IP. When it is the AJP connector, nothing listens for AJP and the web server gets connection refused.",
      confirm: 'the lines just before it (which connector: ProtocolHandler ["ajp-nio-<address>-8009"]), the connector\'s address= in server.xml, and ip addr on that host.',
    },
  ],
  check(ctx) {
    return listenerFailures(ctx)
      .filter((g) => g.what === 'address' || g.what === 'permission' || (g.what === 'unknown' && g.phase === 'init' && isIpv6(g.address)))
      .map((g) =>
        ctx.finding({
          confidence: g.what === 'unknown' ? 'possible' : 'likely',
          explanation:
            g.what === 'unknown'
              ? `The AJP listener on port ${g.port} failed while binding ${g.address}, an IPv6 address (the loopback ::1 is Tomcat 9.0.31+ / 8.5.51+'s default address when Java prefers IPv6). The reason is not among the lines shown; when IPv6 is disabled in the host or container, that bind fails with "Cannot assign requested address" or "Address family not supported" (the exception after this line says which).`
              : g.what === 'permission'
              ? `The AJP listener${g.port ? ` on port ${g.port}` : ''} could not bind: permission denied (a port below 1024 needs privileges the JVM does not have).`
              : `The AJP listener${g.port ? ` on port ${g.port}` : ''} could not bind the address it is configured for (Cannot assign requested address / unsupported address family / unknown host): the connector's address= is not an address of this host as it runs now.`,
          evidence: g.handler ? [g.handler, ...g.signals] : g.signals,
          subject: g.port ? { port: String(g.port) } : {},
        }),
      );
  },
});
