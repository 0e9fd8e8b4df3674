import { defineRule } from '../types.js';
import { clusterNodeMarkedForRemoval, managerMemError, managerNodeRemoved } from '../mcmp-signals.js';
import { list, plural, span } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';
import { byNode, exchangesOf } from './mcmp-util.js';

/**
 * A node was removed from httpd (REMOVE-APP /* accepted: mod_manager marks it REMOVED) while it was
 * still running: afterwards its STATUS / *-APP find a node httpd no longer knows (State=NOTOK, then
 * `MEM: Can't read node`) until it registers again. A node that shuts down sends REMOVE-APP /* itself
 * and then stops talking; that is the normal end and is not reported.
 */
export default defineRule({
  id: 'mcmp-node-removed',
  title: 'mod_cluster node removed from httpd while still running (REMOVE-APP /*, then unknown node)',
  severity: 'warning',
  needs: { logs: [managerNodeRemoved, clusterNodeMarkedForRemoval, managerMemError], capture: ['mcmp-node-removed', 'mcmp-node-unknown'] },
  docs: {
    summary:
      "httpd accepted a REMOVE-APP /* for a node (mod_manager marks it REMOVED and stops routing to it), but the node kept sending STATUS or *-APP: httpd answered NOTOK, then MEM \"Can't read node\", until the node sent CONFIG again. Something other than the node's own shutdown removed it: an operator or script, the mod_cluster-manager page, or a second instance using the same jvmRoute.",
    remedy: [
      'Find who sent the REMOVE-APP /* (the capture names the client address): a script, a monitoring tool, or mod_cluster-manager\'s commands — turn those off with `AllowCmd Off` in the <Location /mod_cluster_manager> block and restrict the MCMP VirtualHost (EnableMCMPReceive) with `Require ip <node addresses>`.',
      'Give every node its own jvmRoute (Tomcat <Engine jvmRoute="…">, WildFly instance-id): two instances with one route remove and re-register each other.',
      'The node registers again on its own after the error answer (INFO + CONFIG on its next status round); to shorten the outage lower the status interval (WildFly mod_cluster status-interval, Tomcat backgroundProcessorDelay).',
    ],
    references: [
      'mod_proxy_cluster native/mod_manager/mod_manager.c process_appl_cmd() / mark_node_removed()',
      'mod_cluster core ModClusterService.stop() (REMOVE-APP /* on shutdown), ResetRequestSourceImpl (re-registration)',
      'https://docs.modcluster.io/',
    ],
  },
  check(ctx) {
    const removed = ctx.capture('mcmp-node-removed');
    const unknown = ctx.capture('mcmp-node-unknown');
    const sigs = ctx.signals(managerNodeRemoved);
    const findings = [];
    const unknownBy = byNode(unknown);
    for (const [node, rm] of byNode(removed)) {
      const first = rm[0]!;
      // Still running: the node spoke to httpd after the removal (STATUS answered NOTOK or MEM: unknown node).
      const after = (unknownBy.get(node) ?? []).filter((u) => u.ts > first.ts);
      const notok = ctx.capture('mcmp-node-notok').filter((c) => c.fields?.node === node && c.ts > first.ts);
      if (!after.length && !notok.length) continue;
      const senders = [...new Set(rm.map((c) => String(c.fields?.client ?? '?')))];
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `httpd removed node ${node}${captureSpan(rm)} (REMOVE-APP /* from ${list(senders)}, ${exchangesOf(rm)}), but the node was still running: ${[notok.length ? `${plural(notok.length, 'STATUS', 'STATUS')} answered State=NOTOK` : '', after.length ? `${plural(after.length, 'request')} for a node httpd did not know any more` : ''].filter(Boolean).join(', then ')} (${framesOf([...notok, ...after])}). httpd routed nothing to it until it registered again.`,
          evidence: [...rm, ...notok, ...after],
          subject: { node },
        }),
      );
    }
    if (!removed.length && sigs.length) {
      // From the error_log alone: a removal followed by a probe of the removed node or a MEM "Can't read node"
      // means the node was still talking to httpd (a node that shuts down says nothing more).
      const later = [...ctx.signals(clusterNodeMarkedForRemoval), ...ctx.signals(managerMemError).filter((s) => /Can't read node/i.test(String(s.d.mess)))].filter((s) => s.seq > sigs[0]!.seq);
      if (later.length) {
        findings.push(
          ctx.finding({
            confidence: 'likely',
            explanation: `mod_manager marked ${plural(sigs.length, 'node')} REMOVED (REMOVE-APP /*)${span(sigs)}, and afterwards httpd still got requests for a removed or unknown node (${plural(later.length, 'line')}${span(later)}): the node was removed while it was running.`,
            evidence: [...sigs, ...later],
          }),
        );
      }
    }
    return findings;
  },
});
