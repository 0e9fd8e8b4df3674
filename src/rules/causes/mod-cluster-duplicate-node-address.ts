import { defineRule, type SignalDef } from '../types.js';
import { SAME_WORKER_MESS } from './mcmp-util.js';

/**
 * Several mod_cluster nodes register the same AJP/HTTP address (they bind to 0.0.0.0 or 127.0.0.1
 * and report that): httpd keeps one proxy worker per URL, so the nodes share a worker and its
 * connection pool. mod_proxy_cluster warns (`Apparently, there are workers that reported the same
 * url …`); older mod_cluster crashes its children in the pool cleanup (apr_reslist assertion).
 */
const sameUrl: SignalDef = {
  kind: 'modcluster-same-url',
  source: 'httpd',
  needles: ['reported the same url', 'reslist_cleanup: Assertion'],
  re: /reported the same url (\S+)|reslist_cleanup: Assertion `rl->ntotal == 0' failed/,
  data: (m) => ({ url: m[1] }),
};

/**
 * mod_manager refusing a node's CONFIG because its worker (scheme, host, port) is another node's
 * (mod_manager.c process_config, mod_cluster 1.3.x and mod_proxy_cluster 2.x): the answer `MEM:
 * Another for the same worker already exist` (MNODEET, logged by httpd as `manager_handler CONFIG
 * error: …` and by the node as MODCLUSTER000042), with `process_config: worker %d (%s) exists and
 * does NOT correspond to %s` before it; and, 2.x, `MEM: Node with "%s" JVMRoute already exists`
 * (`process_config: node %s %d %s : %s %s already exists`): the same jvmRoute from another address.
 */
const sameWorker: SignalDef = {
  kind: 'modcluster-same-worker',
  source: 'httpd',
  needles: ['Another for the same worker', 'does NOT correspond to', 'JVMRoute already exists'],
  re: /MEM: Another for the same worker already exist|process_config: worker \d+ \(([^)]*)\) exists and does NOT correspond to (\S+)|MEM: Node with "([^"]*)" JVMRoute already exists/,
  data: (m) => ({ had: m[1], node: m[2], route: m[3] }),
};

export default defineRule({
  id: 'mod-cluster-duplicate-node-address',
  title: 'Several mod_cluster nodes register the same address',
  severity: 'error',
  needs: { logs: [sameUrl, sameWorker], capture: ['mcmp-mem-error'] },
  docs: {
    summary:
      'Several nodes told mod_cluster the same connector address (typically all bound to 0.0.0.0 or 127.0.0.1 and reporting it), so httpd maps them to one proxy worker: requests and failover go to the wrong node, and with older mod_cluster the httpd children abort in apr_reslist cleanup.',
    remedy: [
      'Bind each node to its own routable address: WildFly -b 10.0.0.11 (or the interface of socket-binding "ajp"), Tomcat <Connector protocol="AJP/1.3" address="10.0.0.11" …/>, never 0.0.0.0 as the reported address.',
      'Give every node a unique jvmRoute / instance-id (WildFly: -Djboss.node.name=node1; Tomcat: <Engine jvmRoute="node1">).',
      'Check what httpd registered: the mod_cluster-manager page (SetHandler mod_cluster-manager) lists each node with its Host and Port.',
    ],
    references: ['https://github.com/modcluster/mod_cluster/issues/138', 'https://docs.modcluster.io/'],
  },
  check(ctx) {
    const refused = ctx.signals(sameWorker);
    const s = ctx.signals(sameUrl);
    // the same answer in a capture of the MCMP traffic (its Mess header)
    const cap = ctx.capture('mcmp-mem-error').filter((c) => SAME_WORKER_MESS.test(String(c.fields?.mess ?? '')));
    if (refused.length || cap.length) {
      const routes = [...new Set([...refused.map((x) => x.d.route), ...cap.map((c) => /Node with "([^"]*)"/.exec(String(c.fields?.mess))?.[1])].filter((r): r is string => typeof r === 'string'))];
      const pairs = [...new Set(refused.filter((x) => x.d.had !== undefined).map((x) => `${String(x.d.node)} (the worker is ${String(x.d.had)}'s)`))];
      return [
        ctx.finding({
          confidence: cap.length ? 'confirmed' : 'likely',
          explanation: routes.length && !pairs.length
            ? `httpd refused a node's CONFIG: a node with jvmRoute ${routes.join(', ')} is already registered from another address (MEM: Node with "…" JVMRoute already exists). Two nodes share a jvmRoute, and only the first gets requests.`
            : `httpd refused a node's CONFIG because another node already registered the same worker (scheme, host and port)${pairs.length ? `: ${pairs.slice(0, 3).join('; ')}` : ''} (MEM: Another for the same worker already exist). Nodes that report one address share one proxy worker; the one refused gets no requests.`,
          evidence: [...cap, ...refused, ...s],
        }),
      ];
    }
    if (!s.length) return [];
    const url = s.find((x) => x.d.url)?.d.url;
    return [
      ctx.finding({
        confidence: url ? 'likely' : 'possible',
        explanation: url
          ? `Several nodes reported the same URL ${url} to mod_cluster: httpd keeps one worker for it, so the nodes share it.`
          : 'httpd children abort in the connection-pool cleanup (apr_reslist assertion): with mod_cluster, the known cause is several nodes that registered the same address (bound to 0.0.0.0 / 127.0.0.1). The mod_cluster-manager page would show it.',
        evidence: s,
        subject: url ? { url: String(url) } : {},
      }),
    ];
  },
});
