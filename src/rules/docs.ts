/** One Markdown page per rule, generated from the rule's meta (docs/rules/<id>.md; the catalogue test keeps them in sync). */
import type { Rule, SignalSource } from './types.js';

const SOURCE_NAME: Record<SignalSource, string> = { jk: 'mod_jk / ISAPI redirector log', httpd: 'httpd error_log', tomcat: 'Tomcat log (catalina.out)' };

/** What a rule reads, in words (used by `ajp-inspect rules` and the doc pages). */
export function describeNeeds(rule: Rule): string[] {
  const out = [...new Set(rule.needs.logs.map((s) => SOURCE_NAME[s.source]))];
  if (rule.needs.capture?.length) out.push(`capture (${rule.needs.capture.join(', ')})`);
  return out;
}

export function renderRuleDoc(rule: Rule): string {
  const lines: string[] = [];
  lines.push(`# ${rule.id}`, '', `**${rule.title}**`, '', `Severity: ${rule.severity}. Reads: ${describeNeeds(rule).join('; ')}.`, '');
  lines.push('## What goes wrong', '', rule.docs.summary, '');
  const sigs = rule.needs.logs;
  if (sigs.length) {
    lines.push('## Log lines it looks at', '');
    for (const s of sigs) lines.push(`- \`${s.kind}\` (${SOURCE_NAME[s.source]}${s.debugOnly ? ', debug level only' : ''}): \`${s.re.source.replace(/`/g, "'")}\``);
    lines.push('');
  }
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
