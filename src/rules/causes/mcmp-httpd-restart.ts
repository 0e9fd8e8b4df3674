import { defineRule } from '../types.js';
import { httpdRestart } from '../mcmp-signals.js';
import { list, plural, span } from '../helpers.js';
import { captureSpan, framesOf } from './capture-util.js';

/**
 * httpd restarted under a mod_cluster: the `id=` of STATUS-RSP / PING-RSP (httpd's restart time,
 * ap_scoreboard_image->global->restart_time, mcmp-reference §5.1) changed. httpd forgot every node,
 * context and balancer it had been told; until each node registers again its requests fail.
 */
export default defineRule({
  id: 'mcmp-httpd-restart',
  title: 'httpd restarted and lost its mod_cluster nodes until they registered again',
  severity: 'warning',
  needs: { logs: [httpdRestart], capture: ['mcmp-httpd-restarted'] },
  docs: {
    summary:
      "The restart id in httpd's STATUS / PING answers changed: httpd restarted (or was restarted gracefully) and its mod_cluster tables started empty. Nodes are not told; they find out when their next STATUS is answered with an error, then send INFO, CONFIG and ENABLE-APP again. Until then httpd answers 404/503 for their contexts.",
    remedy: [
      'Keep the tables across restarts: `PersistSlots On` (mod_manager) with `MemManagerFile` on a directory that survives the restart.',
      'Shorten the gap: a shorter status interval on the nodes (WildFly mod_cluster status-interval, Tomcat backgroundProcessorDelay × status-frequency) makes them notice sooner.',
      'Schedule graceful restarts (apachectl -k graceful, log rotation with a reload) outside busy hours, or drain one httpd at a time behind the front load balancer.',
    ],
    references: [
      'mod_proxy_cluster native/mod_manager/mod_manager.c process_status() (id = restart time)',
      'mod_cluster core DefaultMCMPHandler / ResetRequestSourceImpl (re-registration after an error)',
      'https://httpd.apache.org/docs/2.4/stopping.html',
    ],
  },
  check(ctx) {
    const cap = ctx.capture('mcmp-httpd-restarted');
    const sigs = ctx.signals(httpdRestart);
    if (!cap.length && !sigs.length) return [];
    if (cap.length) {
      const ids = cap.map((c) => `${String(c.fields?.previousId)} → ${String(c.fields?.id)}`);
      return [
        ctx.finding({
          confidence: 'confirmed',
          explanation: `The restart id in httpd's STATUS/PING answers changed ${plural(cap.length, 'time')}${captureSpan(cap)} (${list(ids.slice(0, 3))}; ${framesOf(cap)}): httpd restarted and started with no nodes, contexts or balancers; each node was unknown to it until it registered again.`,
          evidence: [...cap, ...sigs],
        }),
      ];
    }
    return [
      ctx.finding({
        confidence: 'possible',
        explanation: `httpd restarted ${plural(sigs.length, 'time')}${span(sigs)}; if mod_cluster nodes were registered, httpd forgot them until their next status round (a capture of the MCMP traffic would show the restart id change).`,
        evidence: sigs,
      }),
    ];
  },
});
