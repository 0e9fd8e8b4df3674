import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { at, referencingWorker, where } from './config-util.js';

/**
 * tomcat-connectors native/common/jk_map.c jk_map_inherit_properties, 1.2.22–1.2.50: a reference
 * `worker.X.reference=V` copies the keys starting with `V.` (the value as written and a dot); when
 * none does it logs, at error, "Reference '%s' not found" with that prefix (`V.`: a value with a
 * trailing dot shows two) and returns false; jk_map_resolve_references stops there and
 * apache-2.0/mod_jk.c init_jk logs "Error in resolving configuration references" and returns false
 * (httpd does not start; the IIS plugin logs it and goes on with the references after it
 * unresolved). 1.2.19–1.2.21 return true without a line: the worker gets nothing. config/workers.ts
 * resolveReferences records the first such reference as JkWorkersFile.referenceFailure (`not-found`);
 * the log line itself is jk-worker-reference-failed's (confirmedByIncident).
 */
export default defineRule({
  id: 'config-worker-reference-not-found',
  title: 'workers.properties reference names a template that has no settings: mod_jk refuses to start',
  severity: 'error',
  needs: { logs: [], config: ['workers'] },
  confirmedByIncident: ['jk-worker-reference-failed'],
  docs: {
    summary:
      'worker.X.reference=worker.T copies the settings written under worker.T. (the value as written, then a dot) that X does not set. When no key starts with that prefix (a typo, a template in another file, a different case, or a value ending in a dot, which mod_jk looks up as worker.T..), mod_jk 1.2.22 and later log "Reference \'worker.T.\' not found" and "Error in resolving configuration references", and httpd does not start (the IIS plugin goes on with the references after it unresolved). 1.2.19–1.2.21 ignore it silently: the worker gets none of the template\'s settings.',
    remedy: [
      'Define the template in the workers file mod_jk reads (at least one key worker.T.something=…), or correct the value to the template\'s prefix exactly: the same case, no trailing dot (reference=worker.T).',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (reference)',
      'tomcat-connectors native/common/jk_map.c jk_map_inherit_properties ("Reference \'%s\' not found"), jk_map_resolve_references',
      'tomcat-connectors native/apache-2.0/mod_jk.c init_jk ("Error in resolving configuration references")',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const f of ctx.config.workers) {
      const r = f.referenceFailure;
      if (r?.kind !== 'not-found') continue;
      const first = r.chain[0]!;
      const last = r.chain[r.chain.length - 1]!;
      const via = r.chain.length > 1 ? ` (reached from ${where(first)}: ${r.chain.map((s) => `${s.key}=${s.value}`).join(' → ')})` : '';
      const why =
        r.meant?.by === 'dots'
          ? ` The value ends with a dot: mod_jk adds its own, so it looks under '${r.from}', not under '${r.meant.prefix}.' where the template is.`
          : r.meant?.by === 'case'
            ? ` The keys are written '${r.meant.prefix}.…': mod_jk compares case as written.`
            : '';
      out.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `${where(last)}: ${last.key}=${last.value}: no key of ${f.path} starts with '${r.from}'${via}.${why} mod_jk 1.2.22 and later log "Reference '${r.from}' not found" and "Error in resolving configuration references", and httpd does not start (1.2.19–1.2.21: the worker gets nothing from it).`,
          evidence: r.chain.map(at),
          subject: { worker: referencingWorker(first) },
          remedy: [r.meant !== undefined ? `${last.key}=${r.meant.prefix}` : `define ${r.from}… (the template's settings) in ${f.path}, or reference a template it defines`],
        }),
      );
    }
    return out;
  },
});
