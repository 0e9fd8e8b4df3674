import { defineRule } from '../types.js';
import { managerSyntaxError, nodeSyntaxAnswer } from '../mcmp-signals.js';
import { list, plural, span } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';
import { exchangesOf, messages, nodeLogged } from './mcmp-util.js';

/**
 * httpd's mod_manager refused an MCMP message as malformed (500, `Type: SYNTAX`). The Java listener
 * takes a SYNTAX answer as final: it sets that proxy DOWN (DefaultMCMPHandler, mod_cluster
 * reference §5.2), so the node's registration with that httpd does not recover by itself.
 */
export default defineRule({
  id: 'mcmp-syntax-error',
  title: 'httpd (mod_cluster mod_manager) rejects MCMP messages as malformed (SYNTAX)',
  severity: 'error',
  needs: { logs: [managerSyntaxError, nodeSyntaxAnswer], capture: ['mcmp-syntax-error', 'mcmp-param-too-long', 'mcmp-param-missing', 'mcmp-param-invalid'] },
  docs: {
    summary:
      'mod_manager answered an MCMP request (CONFIG, *-APP, STATUS, PING) with 500 and `Type: SYNTAX`: a value too long, a parameter missing, an illegal character, a field the command does not take. The mod_cluster Java listener marks that proxy DOWN on a SYNTAX answer and does not retry, so the node stays unregistered (or its contexts stay disabled) on that httpd.',
    remedy: [
      '`SYNTAX: JVMRoute field too big` (or any `field too big`): shorten the value: jvmRoute at most 63 characters on httpd 2.4 (Tomcat <Engine jvmRoute="…">, WildFly instance-id), Alias items 99 (mod_cluster 1.3.x) / 254 (mod_proxy_cluster 2.x), Context paths 79, Balancer 39, Domain (load-balancing-group) 19.',
      "`SYNTAX: Can't parse MCMP message … illegal symbols`: a decoded value contains < > \" ' CR or LF (host name, alias, context path): fix the name on the node (Tomcat <Host>/<Alias>, WildFly undertow host aliases).",
      '`SYNTAX: No Context and Alias in APP command` / `Invalid field` / `Mandatory field(s) missing`: the sender does not speak this httpd\'s MCMP (an old or third-party client, a script): use a mod_cluster Java side that matches the httpd module (mod_proxy_cluster 2.x needs Alias and Context on non-wildcard *-APP).',
      'After fixing, restart the node\'s mod_cluster listener (Tomcat ModClusterListener / WildFly mod_cluster subsystem) so it registers again; the proxy it marked DOWN is not retried on its own.',
    ],
    references: [
      'mod_proxy_cluster native/mod_manager/mod_manager.c process_error(), process_config(), process_appl_cmd()',
      'mod_cluster core DefaultMCMPHandler (SYNTAX → proxy DOWN)',
      'https://docs.modcluster.io/',
    ],
  },
  check(ctx) {
    const httpd = ctx.signals(managerSyntaxError);
    // the node's side (MODCLUSTER000041): the same answer, read where it arrived
    const node = ctx.signals(nodeSyntaxAnswer);
    const sigs = [...httpd, ...node];
    const cap = ctx.capture('mcmp-syntax-error');
    if (!sigs.length && !cap.length) return [];
    // The request problems httpd named (too long, missing, invalid), on the same exchanges.
    const exchanges = new Set(cap.map((c) => c.fields?.exchange));
    const why = [...ctx.capture('mcmp-param-too-long'), ...ctx.capture('mcmp-param-missing'), ...ctx.capture('mcmp-param-invalid')].filter((c) => exchanges.has(c.fields?.exchange));
    const mess = messages(cap, sigs);
    const methods = [...new Set([...cap.map((c) => String(c.fields?.method)), ...sigs.map((s) => String(s.d.method))])];
    return [
      ctx.finding({
        confidence: cap.length ? 'confirmed' : 'likely',
        explanation: cap.length
          ? `httpd refused ${plural(cap.length, 'MCMP message')} (${list(methods)}) with 500 Type: SYNTAX${captureSpan(cap)} (${exchangesOf(cap)}, ${framesOf(cap)}): ${list(mess.map((m) => `"${m}"`))}. The mod_cluster listener sets that proxy DOWN on a SYNTAX answer and does not retry.`
          : `${httpd.length ? `mod_manager logged ${plural(httpd.length, 'refused MCMP message')}` : `${nodeLogged(node, 'SYNTAX answer', 'MODCLUSTER000041')} to its`} (${list(methods)})${span(sigs)}: ${list(mess.map((m) => `"${m}"`))}. The mod_cluster listener sets that proxy DOWN on a SYNTAX answer and does not retry.`,
        evidence: [...cap, ...why, ...sigs],
      }),
    ];
  },
});
