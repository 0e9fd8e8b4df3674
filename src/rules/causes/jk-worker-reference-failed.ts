import { defineRule, type SignalDef } from '../types.js';
import type { Finding } from '../finding.js';
import { groupBy, MINUTE, precededBy } from '../helpers.js';
import { withoutTrailingDots } from '../../config/index.js';

/**
 * mod_jk's lines when it cannot resolve the `worker.X.reference=…` of workers.properties at start
 * (tomcat-connectors native/common/jk_map.c, error level, 1.2.22–1.2.50; 1.2.19–1.2.21 fail without them):
 * - jk_map_inherit_properties: `Reference '%s' not found`, the prefix being the reference's value
 *   and a dot (`worker.T.`; `worker.T..` for a value written with a trailing dot): no key starts with it;
 * - the same line right after `Error in string allocation for attribute '%s.%s'` or `Error when
 *   adding attribute '%s'` (jk_map_inherit_properties too): the copy ran out of memory, as the copy of
 *   a worker under its own template (worker.t.sub.reference=worker.t) does, which never ends;
 * - jk_map_resolve_references: `Recursion limit %d for worker references with prefix '%s' reached`
 *   (JK_MAP_RECURSION 20): a loop, or a chain of 20 references;
 * then apache-2.0/mod_jk.c init_jk (apache-1.3 and the IIS plugin alike): `Error in resolving
 * configuration references`, EMERG in httpd's error log, and httpd does not start (the IIS plugin
 * logs it at error and goes on with the references after the failure unresolved).
 * The configuration side is config-worker-reference-not-found and config-worker-reference-loop.
 */
const jkReferenceNotFound: SignalDef = {
  kind: 'jk-reference-not-found',
  source: 'jk',
  needles: ["Reference '"],
  re: /Reference '([^']*\.)' not found/,
  data: (m) => ({ from: m[1] }),
};

const jkReferenceCopyFailed: SignalDef = {
  kind: 'jk-reference-copy-failed',
  source: 'jk',
  needles: ['Error in string allocation for attribute', 'Error when adding attribute'],
  re: /Error in string allocation for attribute '|Error when adding attribute '/,
};

const jkReferenceRecursion: SignalDef = {
  kind: 'jk-reference-recursion',
  source: 'jk',
  needles: ['Recursion limit'],
  re: /Recursion limit (\d+) for worker references with prefix '([^']*)' reached/,
  data: (m) => ({ limit: Number(m[1]), prefix: m[2] }),
};

const jkReferencesUnresolved: SignalDef = {
  kind: 'jk-references-unresolved',
  source: 'httpd',
  needles: ['Error in resolving configuration references'],
  re: /Error in resolving configuration references/,
};

export default defineRule({
  id: 'jk-worker-reference-failed',
  title: 'mod_jk could not resolve a workers.properties reference (template not found, loop, chain of 20): httpd does not start',
  severity: 'error',
  needs: { logs: [jkReferenceNotFound, jkReferenceRecursion, jkReferenceCopyFailed, jkReferencesUnresolved] },
  docs: {
    summary:
      'At start mod_jk resolves worker.X.reference=worker.T (X inherits what worker.T. sets). It gives up, logs "Error in resolving configuration references" and httpd does not start, after "Reference \'worker.T.\' not found" (no key starts with the value and a dot: a missing or misspelt template, another case, or a value ending in a dot, which shows as \'worker.T..\'), or "Recursion limit 20 for worker references with prefix \'…\' reached" (a loop, or a chain of 20 references). The not-found line right after "Error in string allocation for attribute …" or "Error when adding attribute …" means the copy ran out of memory: a worker whose name is under its own template (worker.t.sub.reference=worker.t) copies without end.',
    remedy: [
      'Not found: define the template in the workers file mod_jk reads (a key worker.T.something=…), or write the value as the template\'s prefix exactly: same case, no trailing dot (reference=worker.T).',
      'Recursion limit: break the loop (a template references no worker that references it back), keep chains of templates under 20 references.',
      'Out of memory while copying: give the template a name that is no prefix of its workers\' names (worker.tmpl.*, not worker.node.* for worker.node.1).',
      'Give ajp-inspect the workers.properties too (config files among the inputs, or --config): it names the line.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/workers.html (reference)',
      'tomcat-connectors native/common/jk_map.c jk_map_resolve_references, jk_map_inherit_properties',
      'tomcat-connectors native/apache-2.0/mod_jk.c init_jk ("Error in resolving configuration references")',
    ],
  },
  check(ctx) {
    const out: Finding[] = [];
    const notFound = ctx.signals(jkReferenceNotFound);
    const recursion = ctx.signals(jkReferenceRecursion);
    const copyFailed = ctx.signals(jkReferenceCopyFailed);
    const unresolved = ctx.signals(jkReferencesUnresolved);
    for (const [from, lines] of groupBy(notFound, (s) => String(s.d.from))) {
      const alloc = precededBy(lines[0]!, copyFailed, MINUTE);
      const target = from.slice(0, -1);
      out.push(
        ctx.finding({
          confidence: alloc ? 'likely' : 'confirmed',
          explanation: alloc
            ? `mod_jk ran out of memory copying the settings under ${from} ("Error in string allocation for attribute …" or "Error when adding attribute …" just before "Reference '${from}' not found"): the template exists, but a worker whose name is under it (${target}.<name>.reference=${target}) makes the copy grow without end. It stopped resolving the references: httpd does not start.`
            : `mod_jk found no key starting with ${from} for a reference=${target} ("Reference '${from}' not found"): it stopped resolving the references${unresolved.length ? ' ("Error in resolving configuration references")' : ''} and httpd does not start.${from.endsWith('..') ? ` The value ends with a dot (mod_jk adds its own): write reference=${withoutTrailingDots(from)}.` : ' The template is missing, misspelt, in another case, or in another file.'}`,
          evidence: [...(alloc ? [alloc] : []), ...lines, ...unresolved],
          subject: { reference: target },
          remedy: alloc ? [`give the template ${target} a name that is no prefix of its workers' names`] : from.endsWith('..') ? [`reference=${withoutTrailingDots(from)}`] : [],
        }),
      );
    }
    for (const [prefix, lines] of groupBy(recursion, (s) => String(s.d.prefix))) {
      out.push(
        ctx.finding({
          confidence: 'confirmed',
          explanation: `mod_jk followed the references ${lines[0]!.d.limit} levels deep and gave up at ${prefix} ("Recursion limit … reached"): the references loop back (X → T → X, or X → X) or chain 20 deep. It stopped resolving them${unresolved.length ? ' ("Error in resolving configuration references")' : ''}: httpd does not start.`,
          evidence: [...lines, ...unresolved],
          subject: { reference: prefix },
        }),
      );
    }
    if (!out.length && unresolved.length)
      out.push(
        ctx.finding({
          confidence: 'likely',
          explanation: `mod_jk could not resolve the reference= settings of its workers file ("Error in resolving configuration references"): httpd does not start. The mod_jk log (JkLogFile) says which, just before: "Reference '…' not found" (a template without settings) or "Recursion limit 20 … reached" (a loop, or a chain of 20).`,
          evidence: unresolved,
        }),
      );
    return out;
  },
});
