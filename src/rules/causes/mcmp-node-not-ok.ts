import { defineRule } from '../types.js';
import { clusterNodeMarkedForRemoval, managerStatusBroken } from '../mcmp-signals.js';
import { list, plural, span } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';
import { byNode, exchangesOf } from './mcmp-util.js';

/**
 * A node's state changed to unusable: httpd answered a STATUS / PING with State=NOTOK (its CPING or
 * OPTIONS probe of the node failed, or the node is marked removed: mod_proxy_cluster
 * proxy_cluster_isup()), or the node itself reported Load=-1 (its connector is not available:
 * ModClusterService.status()). Either way the balancer stops sending it requests.
 */
export default defineRule({
  id: 'mcmp-node-not-ok',
  title: 'mod_cluster node out of service: httpd answers State=NOTOK or the node reports Load=-1',
  severity: 'warning',
  needs: { logs: [managerStatusBroken, clusterNodeMarkedForRemoval], capture: ['mcmp-node-notok', 'mcmp-node-broken', 'mcmp-node-removed'] },
  docs: {
    summary:
      "A node's state changed: httpd answered its STATUS (or a PING) with State=NOTOK because httpd's own probe of the node failed (a CPING to an AJP node, OPTIONS * to an HTTP node) or because the node had been removed, or the node itself sent Load=-1 because its connector is not available. mod_proxy_cluster puts the worker in error and the balancer sends the node no new requests until a STATUS is answered OK again.",
    remedy: [
      'Load=-1 comes from the node: its mod_cluster listener found the connector it registered unavailable (ModClusterService.status()); check the node\'s AJP / HTTP connector (Tomcat server.xml <Connector>, WildFly undertow ajp-listener) and its log at that time.',
      'State=NOTOK with Load ≥ 0: httpd could not reach the node at the Host/Port of its CONFIG (shown by ajp-inspect mcmp): check routing and firewalls between httpd and the node, SELinux (setsebool -P httpd_can_network_connect 1), and that the connector listens on that address.',
      'Slow nodes: httpd waits `ping` seconds for the CPONG (CONFIG ping=, default 10; Tomcat ModClusterListener ping="…", WildFly mod_cluster proxy ping); raise it if the node answers late under load.',
      'State=NOTOK right after a REMOVE-APP /*: the node was removed (see mcmp-node-removed); it must register again.',
    ],
    references: [
      'mod_proxy_cluster native/mod_proxy_cluster/mod_proxy_cluster.c proxy_cluster_isup(), proxy_node_isup()',
      'mod_proxy_cluster native/mod_manager/mod_manager.c process_status() (State=NOTOK)',
      'mod_cluster core ModClusterService.status() (Load=-1 when the connector is unavailable)',
    ],
  },
  check(ctx) {
    const notok = ctx.capture('mcmp-node-notok');
    const broken = ctx.capture('mcmp-node-broken');
    const sigBroken = ctx.signals(managerStatusBroken);
    const sigMarked = ctx.signals(clusterNodeMarkedForRemoval);
    const findings = [];
    for (const [node, items] of byNode([...broken, ...notok])) {
      const self = items.filter((c) => c.kind === 'mcmp-node-broken');
      const httpd = items.filter((c) => c.kind === 'mcmp-node-notok');
      const parts: string[] = [];
      if (self.length) parts.push(`the node reported Load=-1 in ${plural(self.length, 'STATUS', 'STATUS')} (its connector was not available)`);
      // A NOTOK after the node was removed is the removal's doing (mod_proxy_cluster answers NOTOK for a node marked REMOVED).
      const removed = ctx.capture('mcmp-node-removed').find((r) => r.fields?.node === node && httpd.length > 0 && r.ts < httpd[0]!.ts);
      if (httpd.length) {
        parts.push(
          `httpd answered State=NOTOK to ${plural(httpd.length, 'STATUS / PING', 'STATUS / PING')} ` +
            (removed !== undefined
              ? `because it had removed the node (REMOVE-APP /*, exchange ${String(removed.fields?.exchange)}; see mcmp-node-removed)`
              : '(its probe of the node failed)'),
        );
      }
      findings.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `Node ${node} went out of service${captureSpan(items)}: ${parts.join('; ')} (${exchangesOf(items)}, ${framesOf(items)}). The balancer sends it no new requests until a STATUS is answered OK again.`,
          evidence: [...items, ...sigBroken.filter((s) => s.d.node === node)],
          subject: { node },
        }),
      );
    }
    if (!findings.length && (sigBroken.length || sigMarked.length)) {
      const nodes = [...new Set(sigBroken.map((s) => String(s.d.node)))];
      findings.push(
        ctx.finding({
          confidence: 'likely',
          explanation:
            (sigBroken.length ? `${nodes.length === 1 ? 'Node' : 'Nodes'} ${list(nodes)} reported Load=-1 in ${plural(sigBroken.length, 'STATUS', 'STATUS')}${span(sigBroken)} (connector not available). ` : '') +
            (sigMarked.length ? `mod_proxy_cluster found ${plural(sigMarked.length, 'node')} marked for removal when probing${span(sigMarked)}: httpd answers State=NOTOK for them.` : ''),
          evidence: [...sigBroken, ...sigMarked],
        }),
      );
    }
    return findings;
  },
});
