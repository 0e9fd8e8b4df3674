import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { at, referencingWorker, where } from './config-util.js';

/** A name for the template `from` (`worker.t.`) that is no prefix of its workers' names. */
function renamed(from: string): string {
  const target = from.slice(0, -1);
  return target === 'worker' ? 'worker.tmpl' : `${target}_tmpl`;
}

/**
 * mod_jk resolves `worker.X.reference=worker.T` recursively (tomcat-connectors native/common/jk_map.c
 * jk_map_resolve_references, jk_map_inherit_properties; config/workers.ts resolveReferences records
 * the first failure as JkWorkersFile.referenceFailure). Two ways a worker comes back to itself:
 * - through a chain (X → T → X, or X → X): the calls go past JK_MAP_RECURSION (20), as does any chain
 *   of 20 references; jk_map_resolve_references logs "Recursion limit 20 for worker references with
 *   prefix '…' reached" and returns false (1.2.22+; 1.2.19–1.2.21 return false without the line);
 * - through its own template, a prefix of its name (`worker.t.sub.reference=worker.t`, or `=worker`):
 *   jk_map_inherit_properties scans the map to its current end, and every key it adds under
 *   `worker.t.sub.` is under `worker.t.` too, so it is copied again one level deeper, without end,
 *   until an allocation fails ("Error in string allocation for attribute '…'" or "Error when adding
 *   attribute '…'", then "Reference 'worker.t.' not found"), or httpd crashes: jk_map_add stores the
 *   name jk_pool_strdup could not copy as NULL, and the scan's next strncmp reads it.
 * Either way apache-2.0/mod_jk.c init_jk logs "Error in resolving configuration references" and
 * returns false, and jk_post_config fails httpd's start (the IIS plugin, iis/jk_isapi_plugin.c, logs
 * the same line and goes on with the references after it unresolved).
 */
export default defineRule({
  id: 'config-worker-reference-loop',
  title: 'workers.properties references loop (a chain back to a worker, a worker under its own template) or go 20 deep: mod_jk refuses to start',
  severity: 'error',
  needs: { logs: [], config: ['workers'] },
  confirmedByIncident: ['jk-worker-reference-failed'],
  docs: {
    summary:
      'worker.X.reference=worker.T makes X inherit what T sets, and T may itself reference another template. mod_jk follows the references 20 levels deep at most (jk_map.c JK_MAP_RECURSION): a loop (X references T, T references X, or X itself) or a chain of 20 references or more makes it log "Recursion limit 20 for worker references with prefix \'…\' reached" and "Error in resolving configuration references", and httpd does not start (the IIS plugin logs it and goes on with the references unresolved). A worker whose name is under the template it references (worker.t.sub.reference=worker.t) loops another way: the keys copied into worker.t.sub. are under worker.t. too and get copied again, one level deeper, without end, until memory runs out.',
    remedy: [
      'Break the loop: a template references no worker that references it back; keep a chain of templates under 20 references (one or two levels is usual).',
      'Give a template a name of its own, not a prefix of its workers\' names: worker.tmpl.port=8009 and worker.node1.reference=worker.tmpl, not worker.node.port=8009 and worker.node.1.reference=worker.node.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (reference)',
      'tomcat-connectors native/common/jk_map.c jk_map_resolve_references (JK_MAP_RECURSION), jk_map_inherit_properties',
      'tomcat-connectors native/apache-2.0/mod_jk.c init_jk ("Error in resolving configuration references")',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const f of ctx.config.workers) {
      const r = f.referenceFailure;
      if (!r || r.kind === 'not-found') continue;
      const first = r.chain[0]!;
      const path = r.chain.map((s) => `${s.key}=${s.value}`);
      const evidence = r.chain.map(at);
      const subject = { worker: referencingWorker(first) };
      if (r.kind === 'grows') {
        const last = r.chain[r.chain.length - 1]!;
        const own = last.key.slice(0, -'.reference'.length);
        out.push(
          ctx.finding({
            confidence: 'confirmed',
            explanation: `${where(last)}: ${last.key}=${last.value}: ${own} is under the template it references (${r.from}). mod_jk copies every key under ${r.from} into ${own}., and those copies are under ${r.from} too, so it copies them again one level deeper (${own}.${own.slice(r.from.length)}.…) without end. httpd's start grows its memory until an allocation fails: mod_jk then logs "Error in string allocation for attribute …" or "Error when adding attribute …", "Reference '${r.from}' not found" and "Error in resolving configuration references", or crashes (a key's name it could not copy is kept empty), if the system does not stop it first. httpd does not start.${r.chain.length > 1 ? ` (Reached from ${where(first)}: ${path.join(' → ')}.)` : ''}`,
            evidence,
            subject,
            remedy: [`give the template a name that is no prefix of ${own}: its keys as ${renamed(r.from)}.* (not ${r.from}*), and ${last.key}=${renamed(r.from)}`],
          }),
        );
        continue;
      }
      out.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: r.loop
            ? `The references of ${f.path} form a loop (${path.join(' → ')}, from ${where(first)}): mod_jk follows them until its limit of 20 levels, logs "Recursion limit 20 for worker references with prefix '${r.prefix}' reached" and "Error in resolving configuration references", and httpd does not start.`
            : `${where(first)}: the references from ${first.key} go ${r.chain.length} levels deep, past mod_jk's limit of 20 (to ${r.prefix}): it logs "Recursion limit 20 for worker references with prefix '${r.prefix}' reached" and "Error in resolving configuration references", and httpd does not start.`,
          evidence,
          subject,
          remedy: [r.loop ? `remove one of: ${path.join(', ')}` : `reference the last template directly, or merge templates: at most 19 references in a chain`],
        }),
      );
    }
    return out;
  },
});
