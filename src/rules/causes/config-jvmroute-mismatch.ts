import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { boolValue, isPlaceholder } from '../../config/index.js';
import { at, atLine, jkWorkers, where } from './config-util.js';

/**
 * Sticky sessions: Tomcat appends ".<jvmRoute>" to the session id (Engine jvmRoute; WildFly
 * undertow instance-id), and mod_jk's lb sends a request whose session id ends in ".X" to the member
 * whose route is X (route, the deprecated jvm_route, else the worker's name: jk_lb_worker.c
 * find_by_session); mod_proxy_balancer compares it with BalancerMember route=. A jvmRoute no
 * member has means every request of a session may land anywhere (sessions lost after failover or
 * with several members).
 */
export default defineRule({
  id: 'config-jvmroute-mismatch',
  title: 'Tomcat jvmRoute matches no load-balancer member route (sticky sessions do not stick)',
  severity: 'warning',
  needs: { logs: [], config: ['tomcat', 'jboss'] },
  docs: {
    summary:
      'A Tomcat <Engine jvmRoute="X"> (WildFly instance-id) is given together with a mod_jk lb (sticky_session on, the default) or a mod_proxy_balancer whose members\' routes (worker.<m>.route, else the member name; BalancerMember route=) do not include X: the session ids Tomcat issues end in ".X", no member claims them, and requests of one session are spread over the members. Also an lb with sticky sessions in front of connectors whose Engine has no jvmRoute (reported at info: stickiness cannot work).',
    remedy: [
      'Make each Tomcat\'s jvmRoute the route of the member that reaches it: <Engine name="Catalina" defaultHost="localhost" jvmRoute="node1"> with worker.node1… in balance_workers (or worker.<m>.route=node1), or BalancerMember ajp://host:8009 route=node1 with ProxySet stickysession=JSESSIONID|jsessionid.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (route, sticky_session)', 'https://tomcat.apache.org/tomcat-9.0-doc/config/engine.html (jvmRoute)', 'https://httpd.apache.org/docs/2.4/mod/mod_proxy_balancer.html (stickysession, route)'],
  },
  check(ctx) {
    const out: Finding[] = [];
    const all = jkWorkers(ctx.config);
    const byName = new Map(all.map((w) => [w.name, w]));
    const routes = new Map<string, string>();
    let sticky = false;
    for (const lb of all.filter((w) => w.type === 'lb')) {
      if (boolValue(lb.settings.get('sticky_session')) === false) continue;
      sticky = true;
      for (const m of lb.members) {
        const w = byName.get(m);
        routes.set(w?.settings.get('route')?.value ?? w?.settings.get('jvm_route')?.value ?? m, `member ${m} of lb ${lb.name}`);
      }
    }
    for (const p of ctx.config.proxies) {
      if (p.balancer === undefined) continue;
      const r = p.params.get('route');
      if (r) {
        routes.set(r.value, `BalancerMember ${p.url} of ${p.balancer}`);
        sticky = true;
      }
    }
    if (!routes.size) return out;
    for (const j of ctx.config.jvmRoutes) {
      if (isPlaceholder(j.value) || routes.has(j.value)) continue;
      out.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `Tomcat's ${j.key}="${j.value}" (${where(j)}) is the route of no load-balancer member (routes: ${[...routes.keys()].join(', ')}): sessions created there end in ".${j.value}" and the balancer cannot send their requests back to it.`,
          evidence: [at(j), ...all.filter((w) => w.type === 'lb').map((lb) => atLine(lb.path, lb.settings.get('balance_workers')?.line ?? lb.line, `worker.${lb.name}.balance_workers=${lb.members.join(',')}`))],
          subject: { jvmRoute: j.value },
          remedy: [`jvmRoute="<the member's route>" on that Engine, or worker.<member>.route=${j.value}`],
        }),
      );
    }
    const bare = ctx.config.engines.filter((e) => e.jvmRoute === undefined);
    if (sticky && !ctx.config.jvmRoutes.length && bare.length)
      out.push(
        ctx.finding({
          confidence: 'possible',
          severity: 'info',
          explanation: `A sticky load balancer is configured (${[...routes.values()][0]}) and the server.xml given sets no <Engine jvmRoute>: session ids carry no route, so requests of a session are not kept on one member.`,
          evidence: bare.slice(0, 2).map((e) => atLine(e.path, e.line, '<Engine> without jvmRoute')),
          remedy: ['<Engine name="Catalina" defaultHost="localhost" jvmRoute="<member route>">'],
        }),
      );
    return out;
  },
});
