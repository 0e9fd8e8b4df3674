/**
 * Findings as text: a table, then each finding with its evidence (log lines, capture frames with a
 * Wireshark filter), notes and remedy. Shared by every command that names root causes.
 */
import { styleText } from 'node:util';
import { boundedTable } from '../util/table.js';
import { causalDepths, type Finding, type Severity } from '../rules/finding.js';
import { verdictOf } from './verdict.js';
import { wiresharkFilter } from '../util/evidence.js';

export function paint(color: boolean, fmt: Parameters<typeof styleText>[0], s: string): string {
  return color ? styleText(fmt, s, { validateStream: false } as never) : s;
}

const SEV_STYLE: Record<Severity, Parameters<typeof styleText>[0]> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** Findings as a table, then each with its evidence, notes and remedy (shared with the capture commands). Consequences are numbered and indented under their cause. */
export function renderFindingsText(findings: readonly Finding[], opts: { color: boolean; width?: number }): string[] {
  const { color } = opts;
  const out: string[] = [];
  const depths = causalDepths(findings);
  // 1, 2 for root causes; 1.1, 1.2 for what 1 explains
  const labels: string[] = [];
  const counters: number[] = [];
  depths.forEach((d) => {
    counters.length = d + 1;
    counters[d] = (counters[d] ?? 0) + 1;
    labels.push(counters.join('.'));
  });
  // A cell is cut before layout: cli-table3's word wrap is quadratic in a cell's length, and a
  // subject read from a hostile log line can be kilobytes long (issue 15).
  const cell = (s: string): string => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
  const table = boundedTable({ head: ['#', 'severity', 'confidence', 'root cause', 'about'], style: { head: [], border: [] }, wordWrap: true, colWidths: [6, 10, 12, 38, Math.max(20, (opts.width ?? 100) - 72)] });
  findings.forEach((x, i) =>
    table.push([labels[i], paint(color, SEV_STYLE[x.severity], x.severity), x.confidence, `${depths[i] ? '└ '.padStart(depths[i] * 2 + 1) : ''}${x.id}`, cell(x.subject ? Object.entries(x.subject).map(([k, v]) => `${k} ${v}`).join(', ') : x.title)]),
  );
  out.push(table.toString(), '');
  findings.forEach((x, i) => {
    const pad = '  '.repeat(depths[i]);
    const cause = x.causedBy !== undefined ? ` — a consequence of ${x.causedBy}` : '';
    out.push(pad + paint(color, 'bold', `${labels[i]}. ${x.id} — ${x.title}`) + ` [${paint(color, SEV_STYLE[x.severity], x.severity)}, ${x.confidence}]${cause}`);
    out.push(`${pad}   ${x.explanation}`);
    if (x.evidence.length) {
      out.push(`${pad}   Evidence:`);
      for (const e of x.evidence) {
        if (e.source === 'log' || e.source === 'config') out.push(`${pad}     ${paint(color, 'dim', `${e.path}:${e.line}`)} ${e.text.split('\n')[0]}`);
        else out.push(`${pad}     ${paint(color, 'dim', `capture stream ${e.stream}, ${wiresharkFilter(e.frames)}:`)} ${e.detail}`);
      }
    }
    for (const n of x.notes ?? []) if (x.causedBy === undefined || !n.startsWith('A consequence of ')) out.push(`${pad}   Note: ${n}`);
    out.push(`${pad}   Remedy:`);
    for (const r of x.remedy.split('\n')) out.push(`${pad}     - ${r}`);
    out.push('');
  });
  return out;
}

/**
 * The first line of a report: the root cause to act on (findings come in causal order, the primary
 * root cause first), where, when, how sure, what it explains and how many other causes follow; or
 * that there is none, so the answer is on the first screen however long the details below are.
 */
export function verdictLine(findings: readonly Finding[], color: boolean, none = 'no root cause found.'): string {
  const head = paint(color, 'bold', 'Verdict:');
  const v = verdictOf(findings);
  if (v === undefined) return `${head} ${none}`;
  return `${head} ${paint(color, SEV_STYLE[v.severity], v.severity)}${v.text.slice(v.severity.length)}`;
}
