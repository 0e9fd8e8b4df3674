/** One Markdown page per rule, generated from the rule's meta (docs/rules/<id>.md; the catalogue test keeps them in sync). */
import type { Rule, SignalSource } from './types.js';

const SOURCE_NAME: Record<SignalSource, string> = { jk: 'mod_jk / ISAPI redirector log', httpd: 'httpd error_log', tomcat: 'Tomcat log (catalina.out)', access: 'access log (httpd, Tomcat AccessLogValve) or JkRequestLog' };
const CONFIG_NAME: Record<string, string> = { workers: 'workers.properties', uriworkermap: 'uriworkermap.properties', httpd: 'httpd configuration', tomcat: 'Tomcat server.xml', jboss: 'WildFly standalone.xml', isapi: 'isapi_redirect.properties' };

/** What a rule reads, in words (used by `ajp-inspect rules` and the doc pages). */
export function describeNeeds(rule: Rule): string[] {
  const out = [...new Set(rule.needs.logs.map((s) => SOURCE_NAME[s.source]))];
  if (rule.needs.capture?.length) out.push(`capture (${rule.needs.capture.join(', ')})`);
  if (rule.needs.config?.length) out.push(`configuration (${rule.needs.config.map((k) => CONFIG_NAME[k] ?? k).join(', ')})`);
  return out;
}

export function renderRuleDoc(rule: Rule): string {
  const lines: string[] = [];
  lines.push(`# ${rule.id}`, '', `**${rule.title}**`, '', `Severity: ${rule.severity}. Reads: ${describeNeeds(rule).join('; ')}.`, '');
  lines.push('## What goes wrong', '', rule.docs.summary, '');
  const sigs = rule.needs.logs;
  if (sigs.length) {
    lines.push('## Log lines it looks at', '');
    for (const s of sigs) {
      const what = [s.fromEvent ? `read from the parsed ${s.fromEvent.dialects.join(' / ')} line` : '', s.needles.length ? `\`${s.re.source.replace(/`/g, "'")}\`` : ''].filter((x) => x !== '');
      lines.push(`- \`${s.kind}\` (${SOURCE_NAME[s.source]}${s.debugOnly ? ', debug level only' : ''}): ${what.join('; ')}`);
    }
    lines.push('');
  }
  if (rule.concerns?.length) lines.push('## Configuration it quotes', '', `With the configuration given (\`--config\`, or config files among the inputs), each finding quotes these settings (file:line and value, or unset with the default): ${rule.concerns.map((k) => `\`${k}\``).join(', ')}.`, '');
  if (rule.confirmedByIncident?.length) lines.push('## Confirmed by', '', `When the logs or a capture given with the configuration show ${rule.confirmedByIncident.map((k) => `\`${k}\``).join(' or ')}, the finding is confirmed (and at least a warning).`, '');
  if (rule.needs.debug) lines.push(`With \`JkLogLevel debug\` it can also confirm: ${rule.needs.debug}.`, '');
  lines.push('## Remedy', '');
  for (const r of rule.docs.remedy) lines.push(`- ${r}`);
  lines.push('');
  if (rule.docs.falsePositives?.length) {
    lines.push('## False positives', '');
    for (const r of rule.docs.falsePositives) lines.push(`- ${r}`);
    lines.push('');
  }
  lines.push('## References', '');
  for (const r of rule.docs.references) lines.push(`- ${r}`);
  lines.push('', `Test: \`test/rules/${rule.id}.test.ts\`. Source: \`src/rules/causes/${rule.id}.ts\`.`, '');
  return lines.join('\n');
}

/** docs/rules/README.md: one row per rule, in the rules' order (kept in sync by the catalogue test). */
export function renderRulesIndex(rules: readonly Rule[]): string {
  const rows = rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} |`);
  return [
    '# Rules',
    '',
    "One page per root cause: the ids of the project's root-cause list, the mod_cluster (MCMP) causes of issue 10, then the causes grown from the corpus of real pastes (test/fixtures/logs/pastes/) and from the catalogue of mod_jk / httpd messages. Generated from the rule meta (`src/rules/docs.ts`, `node scripts/rule-docs.mjs` after a build); `test/rules/catalogue.test.ts` keeps them in sync.",
    '',
    '| id | severity | title |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
