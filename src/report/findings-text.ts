/**
 * Findings as text: a table, then each finding with its evidence (log lines, capture frames with a
 * Wireshark filter), notes and remedy. Shared by every command that names root causes.
 */
import { styleText } from 'node:util';
import Table from 'cli-table3';
import type { Finding, Severity } from '../rules/finding.js';
import { wiresharkFilter } from '../util/evidence.js';

export function paint(color: boolean, fmt: Parameters<typeof styleText>[0], s: string): string {
  return color ? styleText(fmt, s, { validateStream: false } as never) : s;
}

const SEV_STYLE: Record<Severity, Parameters<typeof styleText>[0]> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** Findings as a table, then each with its evidence, notes and remedy (shared with the capture commands). */
export function renderFindingsText(findings: readonly Finding[], opts: { color: boolean; width?: number }): string[] {
  const { color } = opts;
  const out: string[] = [];
  const table = new Table({ head: ['#', 'severity', 'confidence', 'root cause', 'about'], style: { head: [], border: [] }, wordWrap: true, colWidths: [4, 10, 12, 36, Math.max(20, (opts.width ?? 100) - 68)] });
  findings.forEach((x, i) =>
    table.push([String(i + 1), paint(color, SEV_STYLE[x.severity], x.severity), x.confidence, x.id, x.subject ? Object.entries(x.subject).map(([k, v]) => `${k} ${v}`).join(', ') : x.title]),
  );
  out.push(table.toString(), '');
  findings.forEach((x, i) => {
    out.push(paint(color, 'bold', `${i + 1}. ${x.id} — ${x.title}`) + ` [${paint(color, SEV_STYLE[x.severity], x.severity)}, ${x.confidence}]`);
    out.push(`   ${x.explanation}`);
    if (x.evidence.length) {
      out.push('   Evidence:');
      for (const e of x.evidence) {
        if (e.source === 'log' || e.source === 'config') out.push(`     ${paint(color, 'dim', `${e.path}:${e.line}`)} ${e.text.split('\n')[0]}`);
        else out.push(`     ${paint(color, 'dim', `capture stream ${e.stream}, ${wiresharkFilter(e.frames)}:`)} ${e.detail}`);
      }
    }
    for (const n of x.notes ?? []) out.push(`   Note: ${n}`);
    out.push('   Remedy:');
    for (const r of x.remedy.split('\n')) out.push(`     - ${r}`);
    out.push('');
  });
  return out;
}

/**
 * The first line of a report: the root cause to act on (the first finding: findings come most severe
 * and most certain first, consequences after their cause), or that there is none, so the answer is on
 * the first screen however long the details below are.
 */
export function verdictLine(findings: readonly Finding[], color: boolean, none = 'no root cause found.'): string {
  const head = paint(color, 'bold', 'Verdict:');
  const f = findings[0];
  if (f === undefined) return `${head} ${none}`;
  const about = f.subject && Object.keys(f.subject).length ? ` (${Object.entries(f.subject).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
  const more = findings.length > 1 ? `; ${findings.length - 1} more finding${findings.length > 2 ? 's' : ''} below (${[...new Set(findings.slice(1).map((x) => x.id))].join(', ')})` : '';
  return `${head} ${paint(color, SEV_STYLE[f.severity], f.severity)}, ${f.confidence}: ${f.id} — ${f.title}${about}${more}.`;
}
