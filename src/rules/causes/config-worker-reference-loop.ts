import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { atLine, where } from './config-util.js';

/**
 * mod_jk resolves `worker.X.reference=worker.T` recursively and refuses a chain deeper than
 * JK_MAP_RECURSION (20), so every loop: tomcat-connectors native/common/jk_map.c
 * jk_map_resolve_references logs "Recursion limit 20 for worker references with prefix '…' reached"
 * and returns false; apache-2.0/mod_jk.c init_jk then logs "Error in resolving configuration
 * references" and returns false, and jk_post_config fails httpd's start (the IIS plugin,
 * iis/jk_isapi_plugin.c, logs the same line and goes on). config/workers.ts records the first
 * such chain as JkWorkersFile.referenceFailure.
 */
export default defineRule({
  id: 'config-worker-reference-loop',
  title: 'workers.properties references form a loop or a chain deeper than 20: mod_jk refuses to start',
  severity: 'error',
  needs: { logs: [], config: ['workers'] },
  docs: {
    summary:
      'worker.X.reference=worker.T makes X inherit what T sets, and T may itself reference another template. mod_jk follows the references 20 levels deep at most (jk_map.c JK_MAP_RECURSION): a loop (X references T, T references X, or X itself) or a chain of 20 references or more makes it log "Recursion limit 20 for worker references with prefix \'…\' reached" and "Error in resolving configuration references", and httpd does not start (the IIS plugin logs it and goes on with the references unresolved).',
    remedy: ['Break the loop: a template references no worker that references it back; keep a chain of templates under 20 references (one or two levels is usual).'],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (reference)',
      'tomcat-connectors native/common/jk_map.c jk_map_resolve_references (JK_MAP_RECURSION)',
      'tomcat-connectors native/apache-2.0/mod_jk.c init_jk ("Error in resolving configuration references")',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const f of ctx.config.workers) {
      const r = f.referenceFailure;
      if (!r) continue;
      const first = r.chain[0]!;
      const path = r.chain.map((s) => `${s.key}=${s.value}`);
      out.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: r.loop
            ? `The references of ${f.path} form a loop (${path.join(' → ')}, from ${where(first)}): mod_jk follows them until its limit of 20 levels, logs "Recursion limit 20 for worker references with prefix '${r.prefix}' reached" and "Error in resolving configuration references", and httpd does not start.`
            : `${where(first)}: the references from ${first.key} go ${r.chain.length} levels deep, past mod_jk's limit of 20 (to ${r.prefix}): it logs "Recursion limit 20 for worker references with prefix '${r.prefix}' reached" and "Error in resolving configuration references", and httpd does not start.`,
          evidence: r.chain.map((s) => atLine(s.path, s.line, `${s.key}=${s.value}`)),
          subject: { worker: first.key.replace(/^worker\./, '').replace(/\.reference$/, '') },
          remedy: [r.loop ? `remove one of: ${path.join(', ')}` : `reference the last template directly, or merge templates: at most 19 references in a chain`],
        }),
      );
    }
    return out;
  },
});
