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
/** The status workers mounted by the sample httpd-jk.conf that distributions ship (Debian jk.conf): only those URLs fail. */
const SAMPLE_STATUS_WORKERS = new Set(['jk-status', 'jk-manager']);

export default defineRule({
  id: 'config-missing-worker',
  title: 'JkMount / uriworkermap / balance_workers names a worker the workers file does not define (or an lb is not one)',
  severity: 'error',
  needs: { logs: [], config: ['workers', 'uriworkermap', 'httpd', 'isapi'] },
  confirmedByIncident: ['jk-config-unknown-worker'],
  docs: {
    summary:
      'A JkMount (httpd), a uriworkermap.properties line, a worker.<name>.mount, or an lb\'s balance_workers names a worker that the workers.properties given does not define or does not list in worker.list; or a worker meant as a load balancer (it has balance_workers) lacks type=lb and is an ajp13 worker instead. mod_jk logs "Could not find worker with name \'X\' in uri map post processing" at start and answers 500 for those URLs; an undefined lb member is missing from the balancer. Checked only when a workers.properties is given with the mounts.',
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
      const sample = SAMPLE_STATUS_WORKERS.has(name);
      out.push(
        ctx.finding({
          confidence: 'likely',
          // The distribution's jk.conf mounting its status workers: only /jk-status and /jk-manager answer 500 (as jk-config-unknown-worker rates it).
          severity: sample ? 'info' : undefined,
          explanation: `${e.mounts.length === 1 ? `${m0.from === 'JkMount' ? 'JkMount' : 'The mount'} ${m0.uri} at ${where(m0)} names` : `${e.mounts.length} mounts (first ${m0.uri} at ${where(m0)}) name`} worker '${name}', which ${e.defined ? 'is defined but not in worker.list' : 'no workers file given defines'}: mod_jk logs "Could not find worker with name '${name}' in uri map post processing" and answers 500 for ${e.mounts.length === 1 ? 'that URL' : 'those URLs'}.`,
          evidence: e.mounts.map((m) => atLine(m.path, m.line, `${m.from === 'JkMount' ? 'JkMount ' : ''}${m.uri} ${m.worker}`)),
          subject: { worker: name },
          remedy: [e.defined ? `worker.list=${[...listed, name].join(',')}` : `worker.list=${[...listed, name].join(',')} and worker.${name}.type=ajp13, worker.${name}.host=…, worker.${name}.port=8009 (or correct the name)`],
        }),
      );
    }
    for (const w of all) {
      // balance_workers on a worker that is not an lb (no type=lb: mod_jk's default type is ajp13) is ignored.
      const bw = w.settings.get('balance_workers') ?? w.settings.get('balanced_workers');
      if (bw && w.type !== 'lb' && (w.listed || all.some((x) => x.members.includes(w.name))))
        out.push(
          ctx.finding({
            confidence: 'likely',
            explanation: `worker '${w.name}' lists balance_workers (${where(bw)}) but its type is ${w.settings.has('type') ? w.type : 'not set (ajp13, the default)'}: mod_jk makes it an ajp13 worker to ${w.settings.get('host')?.value ?? 'localhost'}:${w.settings.get('port')?.value ?? '8009'} and ignores the members; requests mounted to it do not go to ${w.members.join(', ')}.`,
            evidence: [atLine(bw.path, bw.line, `${bw.key}=${bw.value}`)],
            subject: { worker: w.name },
            remedy: [`worker.${w.name}.type=lb`],
          }),
        );
      if (w.type !== 'lb') continue;
      // (each member once: balance_workers is a list property, its repeated lines are joined — jk_map.c
      // jk_map_read_property — so a member named twice, or a line pasted many times, is one finding)
      for (const m of new Set(w.members)) {
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
