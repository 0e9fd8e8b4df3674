import { defineRule, type SignalDef } from '../types.js';

/**
 * Tomcat 5.5 / 6.0.x (before 6.0.20, bug 46923) with protocol="AJP/1.3" and no APR native library
 * picked the old org.apache.jk.server.JkCoyoteHandler, not org.apache.coyote.ajp.AjpProtocol: it
 * ignores `executor` and most attributes documented for the AJP connector. Tomcat says so at start-up
 * (ConnectorCreateRule._setExecutor): `Connector [...] does not support external executors. Method
 * setExecutor(java.util.concurrent.Executor) not found.`
 */
const noExecutor: SignalDef = {
  kind: 'tomcat-connector-no-executor',
  source: 'tomcat',
  needles: ['does not support external executors', 'does not\nsupport external executors'],
  re: /does not\s+support external executors/,
};

export default defineRule({
  id: 'ajp-connector-legacy-jk-implementation',
  title: 'Tomcat 5.5/6 runs the legacy JK connector, which ignores the AJP settings',
  severity: 'warning',
  needs: { logs: [noExecutor] },
  docs: {
    summary:
      'On Tomcat 5.5 and 6.0 before 6.0.20 without the APR library, protocol="AJP/1.3" selects the legacy org.apache.jk.server.JkCoyoteHandler, which does not support executor= (the thread pool you configured is not used) nor most documented AJP attributes (connectionTimeout, maxThreads of the executor).',
    remedy: [
      'Name the implementation: <Connector port="8009" protocol="org.apache.coyote.ajp.AjpProtocol" executor="tomcatThreadPool" …/> (or AjpAprProtocol with APR).',
      'Better: upgrade Tomcat (6.0.20+ picks AjpProtocol for AJP/1.3; 6.0 is long out of support).',
    ],
    references: ['https://bz.apache.org/bugzilla/show_bug.cgi?id=46923', 'Tomcat 6 java/org/apache/catalina/startup/ConnectorCreateRule.java _setExecutor()'],
  },
  check(ctx) {
    const s = ctx.signals(noExecutor);
    if (!s.length) return [];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: 'Tomcat says a connector does not support external executors: with protocol="AJP/1.3" on Tomcat 5.5/6.0 before 6.0.20 (no APR) that connector is the legacy JK implementation, so the executor and most AJP settings you configured are not in effect.',
        evidence: s,
      }),
    ];
  },
});
