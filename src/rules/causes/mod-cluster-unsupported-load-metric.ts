import { defineRule, type SignalDef } from '../types.js';

/**
 * mod_cluster's load metrics are computed on the node; one the platform cannot compute
 * (AverageSystemLoadMetric, i.e. `cpu`, on Windows; `mem` / SystemMemoryUsageLoadMetric without the
 * OS MBean) is disabled at start-up: `MODCLUSTER000045: <Metric> is not supported on this system and
 * will be disabled.` The node's load factor then ignores it (often a constant), and the balancer
 * spreads load wrongly.
 */
const unsupportedMetric: SignalDef = {
  kind: 'modcluster-unsupported-metric',
  source: 'tomcat',
  needles: ['is not supported on this system and will be disabled'],
  re: /(?:MODCLUSTER000045: )?(?<!\w)(\w+Metric) is not supported on this system and will be disabled/,
  data: (m) => ({ metric: m[1] }),
};

export default defineRule({
  id: 'mod-cluster-unsupported-load-metric',
  title: 'A mod_cluster load metric the node cannot compute is configured',
  severity: 'warning',
  needs: { logs: [unsupportedMetric] },
  docs: {
    summary:
      "The node's mod_cluster configuration asks for a load metric this platform cannot compute (the cpu / AverageSystemLoadMetric on Windows, for example); mod_cluster disables it, so the load factor the node reports to httpd does not reflect that metric and the balancer spreads requests on other grounds.",
    remedy: [
      'WildFly / JBoss EAP: in the modcluster subsystem, replace the metric with one the platform supports: <dynamic-load-provider><load-metric type="requests"/></dynamic-load-provider> (also busyness, sessions, heap, send-traffic, receive-traffic).',
      'Tomcat with the mod_cluster listener: set loadMetricClass to a supported metric (org.jboss.modcluster.load.metric.impl.BusyConnectorsLoadMetric).',
    ],
    references: ['https://docs.modcluster.io/ (load metrics)', 'https://glenware.wordpress.com/?p=488'],
  },
  check(ctx) {
    const s = ctx.signals(unsupportedMetric);
    if (!s.length) return [];
    const metrics = [...new Set(s.map((x) => String(x.d.metric)))];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `mod_cluster disabled ${metrics.join(', ')} on this node (not supported on this system): the load factor it reports to httpd leaves that metric out.`,
        evidence: s,
        subject: { metric: metrics[0] },
      }),
    ];
  },
});
