import { defineRule, type SignalDef } from '../types.js';

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

export default defineRule({
  id: 'mod-cluster-duplicate-node-address',
  title: 'Several mod_cluster nodes register the same address',
  severity: 'error',
  needs: { logs: [sameUrl] },
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
    const s = ctx.signals(sameUrl);
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
