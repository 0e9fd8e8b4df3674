import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { isPlaceholder } from '../../config/index.js';
import { atLine, jkWorkers, where } from './config-util.js';

/**
 * mod_jk maps a URL only to a worker it created: one in worker.list (jk_worker.c build_worker_map);
 * a mount naming another gets "Could not find worker with name '…' in uri map post processing" at
 * start and 500 per request (jk_uri_worker_map.c). An lb member that is not defined is dropped
 * (jk_lb_worker.c validate: "Could not find worker …") and the lb has fewer members than it seems.
 */
export default defineRule({
  id: 'config-undefined-worker',
  title: 'JkMount / uriworkermap / balance_workers names a worker the workers file does not define',
  severity: 'error',
  needs: { logs: [], config: ['workers', 'uriworkermap', 'httpd', 'isapi'] },
  confirmedBy: ['jk-config-unknown-worker'],
  docs: {
    summary:
      'A JkMount (httpd), a uriworkermap.properties line, a worker.<name>.mount, or an lb\'s balance_workers names a worker that the workers.properties given does not define or does not list in worker.list. mod_jk logs "Could not find worker with name \'X\' in uri map post processing" at start and answers 500 for those URLs; an undefined lb member is missing from the balancer. Checked only when a workers.properties is given with the mounts.',
    remedy: [
      'Define and list the worker: worker.list=…,X with worker.X.type / host / port (a status worker: worker.X.type=status), or correct the name in the JkMount / uriworkermap line. lb members need not be in worker.list, but must be defined.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (worker.list, balance_workers)', 'https://tomcat.apache.org/connectors-doc/reference/uriworkermap.html', 'tomcat-connectors native/common/jk_uri_worker_map.c uri_worker_map_ext'],
  },
  check(ctx) {
    const out: Finding[] = [];
    if (!ctx.config.workers.length) return out;
    const all = jkWorkers(ctx.config);
    const defined = new Map(all.map((w) => [w.name, w]));
    const listed = new Set(ctx.config.workers.flatMap((f) => f.list));
    const bad = new Map<string, { mounts: typeof ctx.config.mounts; defined: boolean }>();
    for (const m of ctx.config.mounts) {
      if (m.unmount || m.worker === '*' || isPlaceholder(m.worker) || listed.has(m.worker)) continue;
      const e = bad.get(m.worker) ?? { mounts: [], defined: defined.has(m.worker) };
      e.mounts.push(m);
      bad.set(m.worker, e);
    }
    for (const [name, e] of bad) {
      const m0 = e.mounts[0]!;
      out.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `${e.mounts.length === 1 ? `${m0.from === 'JkMount' ? 'JkMount' : 'The mount'} ${m0.uri} at ${where(m0)} names` : `${e.mounts.length} mounts (first ${m0.uri} at ${where(m0)}) name`} worker '${name}', which ${e.defined ? 'is defined but not in worker.list' : 'no workers file given defines'}: mod_jk logs "Could not find worker with name '${name}' in uri map post processing" and answers 500 for ${e.mounts.length === 1 ? 'that URL' : 'those URLs'}.`,
          evidence: e.mounts.map((m) => atLine(m.path, m.line, `${m.from === 'JkMount' ? 'JkMount ' : ''}${m.uri} ${m.worker}`)),
          subject: { worker: name },
          remedy: [e.defined ? `worker.list=${[...listed, name].join(',')}` : `worker.list=${[...listed, name].join(',')} and worker.${name}.type=ajp13, worker.${name}.host=…, worker.${name}.port=8009 (or correct the name)`],
        }),
      );
    }
    for (const w of all) {
      for (const m of w.members) {
        if (defined.has(m) || isPlaceholder(m)) continue;
        const s = w.settings.get('balance_workers') ?? w.settings.get('balanced_workers');
        out.push(
          ctx.finding({
            confidence: 'likely',
            explanation: `The load balancer '${w.name}' lists member '${m}' (${s ? where(s) : where(w)}), which is not defined: mod_jk cannot create it and the balancer runs without it (or fails to start when no member is left).`,
            evidence: s ? [atLine(s.path, s.line, `${s.key}=${s.value}`)] : [atLine(w.path, w.line, `worker.${w.name}`)],
            subject: { worker: w.name, member: m },
            remedy: [`worker.${m}.type=ajp13, worker.${m}.host=…, worker.${m}.port=8009 (or remove '${m}' from worker.${w.name}.balance_workers)`],
          }),
        );
      }
    }
    return out;
  },
});
