/**
 * The diagnosis of logs as text: the verdict, the findings with evidence and remedy, then what was
 * read (per file: lines, dialects, time span, unrecognised samples) and the rules that could not run.
 */
import type { LogSummary } from '../logs/index.js';
import { redact, type DiagnoseResult } from '../rules/index.js';
import { paint, renderFindingsText, verdictLine } from './findings-text.js';
import { isDateMs } from '../util/clock.js';
import type { InputRef } from './types.js';
import { CONFIG_KIND_NAMES } from '../config/index.js';

function iso(ts: number | undefined): string | undefined {
  return ts === undefined || !isDateMs(ts) ? undefined : new Date(ts).toISOString();
}

/** Human report: findings table, then each finding with evidence and remedy, then what was read. */

/** `inputs`: the report's, whose configuration entries are listed after the logs. */
export function renderDiagnosisText(result: DiagnoseResult, summaries: readonly LogSummary[], opts: { color: boolean; width?: number }, inputs: readonly InputRef[] = []): string {
  const { color } = opts;
  const out: string[] = [];
  const f = result.findings;
  out.push(verdictLine(f, color, result.matched === 0 ? 'no root cause found: nothing in these lines names a message ajp-inspect knows (details below).' : 'no root cause found in these logs.'), '');
  if (!f.length) {
    const read = summaries.reduce((n, s) => n + s.lines, 0);
    out.push(
      result.matched === 0
        ? `No root cause found: none of the ${read} lines names a message of mod_jk, the ISAPI redirector, httpd's mod_proxy_ajp / mod_proxy or Tomcat's AJP connector that ajp-inspect knows.`
        : 'No root cause found in these logs.',
      'What would help: the mod_jk.log (or isapi_redirect.log) lines of the failing minute, at JkLogLevel debug if you can; httpd\'s error_log with LogLevel proxy_ajp:debug; catalina.out (or server.log) of the same minute; workers.properties / the ProxyPass lines and the AJP <Connector>; a capture of port 8009 (ajp-inspect CAPTURE).',
      '',
    );
  } else out.push(...renderFindingsText(f, opts));
  out.push(paint(color, 'bold', 'Read:'));
  for (const s of summaries) {
    const dialects = Object.entries(s.byDialect)
      .filter(([, n]) => n)
      .map(([d, n]) => `${d} ${n}`)
      .join(', ');
    const first = iso(s.firstTs);
    const last = iso(s.lastTs);
    const spanText = first !== undefined && last !== undefined ? `, ${first} .. ${last}` : '';
    out.push(`  ${s.path === '-' ? 'stdin' : s.path}: ${s.lines} lines (${dialects || 'none recognised'}${spanText}), ${s.unrecognised} unrecognised`);
    // (log text is redacted whatever --show-secrets says, as evidence lines and the JSON report's samples are)
    for (const u of s.unrecognisedSamples.slice(0, 3)) out.push(`    ${paint(color, 'dim', `line ${u.line}:`)} ${redact(u.text).slice(0, 120)}`);
  }
  for (const i of inputs) {
    if (i.kind !== 'config') continue;
    const name = (CONFIG_KIND_NAMES as Record<string, string>)[i.format] ?? i.format;
    if (i.quotedLines === undefined) out.push(`  ${i.path}: ${name}`);
    else {
      const [a, b] = i.quotedLines;
      out.push(`  ${i.path} ${a === b ? `line ${a}` : `lines ${a}-${b}`}: ${name} quoted in it, read as configuration`);
    }
  }
  if (result.clock !== undefined) {
    out.push(`${paint(color, 'bold', 'Clock:')} ${result.clock.text}`);
    for (const w of result.clock.warnings) out.push(`  ${paint(color, 'yellow', 'Warning:')} ${w}`);
  }
  if (result.notEvaluated.length) {
    const reasons = new Map<string, string[]>();
    for (const n of result.notEvaluated) reasons.set(n.reason, [...(reasons.get(n.reason) ?? []), n.id]);
    out.push(paint(color, 'bold', 'Not evaluated:'));
    for (const [reason, ids] of reasons) out.push(`  ${reason}: ${ids.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

