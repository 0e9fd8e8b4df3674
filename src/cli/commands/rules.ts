import { boundedTable } from '../../util/table.js';
import type { CliCommand } from '../command.js';
import { textOrJson, TEXT_OR_JSON } from '../options.js';
import { EXIT_OK } from '../exit-codes.js';
import { describeNeeds, rules } from '../../rules/index.js';

/** `ajp-inspect rules`: every diagnosis rule with what it needs. */
export const rulesCommand: CliCommand = {
  command: 'rules',
  describe: 'list the diagnosis rules: root-cause id, title, severity, and which logs (or capture) each needs',
  options: ['format', 'output'],
  formats: TEXT_OR_JSON,
  builder: (y) => y,
  async run(_argv, o, out) {
    if (textOrJson(o.format, 'rules') === 'json') {
      const list = rules.map((r) => ({
        id: r.id,
        title: r.title,
        severity: r.severity,
        needs: describeNeeds(r),
        signals: r.needs.logs.map((s) => ({ kind: s.kind, source: s.source, debugOnly: s.debugOnly === true })),
        capture: r.needs.capture ?? [],
        summary: r.docs.summary,
        remedy: r.docs.remedy,
        references: r.docs.references,
      }));
      out.write(JSON.stringify(list, null, 2) + '\n');
      return EXIT_OK;
    }
    const width = process.stdout.columns || 120;
    const table = boundedTable({ head: ['id', 'severity', 'title', 'needs'], style: { head: [], border: [] }, wordWrap: true, colWidths: [36, 10, Math.max(30, width - 90), 40] });
    for (const r of rules) table.push([r.id, r.severity, r.title, describeNeeds(r).join('; ')]);
    out.write(`${table.toString()}\n${rules.length} rules. Details: docs/rules/<id>.md\n`);
    return EXIT_OK;
  },
};
