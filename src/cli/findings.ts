/**
 * What the commands that report root causes share: reading logs into events, the exit code for
 * findings, the `logs` report section, and the findings rendered as text.
 */
import { EXIT_FINDINGS, EXIT_OK, UserError } from './exit-codes.js';
export { renderFindingsText };
import { readLogs, type LogDialect, type LogEvent, type LogSummary } from '../logs/index.js';
import { failsOn, knownMessage, redact, rules, type DiagnoseResult } from '../rules/index.js';
import type { Finding, Severity } from '../report/index.js';
import { inputErrorLine } from './io.js';
import { paint, renderFindingsText, verdictLine } from '../report/index.js';

/** The exit code of every command that analyses: 1 when a finding is at or above `failOn`, else 0. */
export function diagnoseExitCode(findings: readonly Finding[], failOn: Severity): number {
  return failsOn(findings, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** The dialect most lines of a file were in (the report's `inputs[].format`). */
export function mainDialect(s: LogSummary): LogDialect | 'unknown' {
  let best: LogDialect | 'unknown' = 'unknown';
  let n = 0;
  for (const [d, c] of Object.entries(s.byDialect) as [LogDialect, number][]) if (c > n) (best = d), (n = c);
  return best;
}

function iso(ts: number | undefined): string | undefined {
  return ts === undefined || !Number.isFinite(ts) ? undefined : new Date(ts).toISOString();
}

/** The `logs` section of the JSON report: what was read, per file, and which rules could not run. */
export function logsSection(summaries: readonly LogSummary[], result: DiagnoseResult, events: readonly LogEvent[]): Record<string, unknown> {
  return {
    events: events.length,
    files: summaries.map((s) => ({
      path: s.path === '-' ? 'stdin' : s.path,
      lines: s.lines,
      byDialect: s.byDialect,
      levels: s.levels,
      unrecognised: s.unrecognised,
      // Unparsed lines go into tickets too: redact them like evidence.
      unrecognisedSamples: s.unrecognisedSamples.map((u) => ({ line: u.line, text: redact(u.text) })),
      firstTs: iso(s.firstTs),
      lastTs: iso(s.lastTs),
    })),
    rules: rules.length,
    notEvaluated: result.notEvaluated,
  };
}

/** Human report: findings table, then each finding with evidence and remedy, then what was read. */
export function renderDiagnosisText(result: DiagnoseResult, summaries: readonly LogSummary[], opts: { color: boolean; width?: number }): string {
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
    const spanText = s.firstTs !== undefined ? `, ${iso(s.firstTs)} .. ${iso(s.lastTs)}` : '';
    out.push(`  ${s.path === '-' ? 'stdin' : s.path}: ${s.lines} lines (${dialects || 'none recognised'}${spanText}), ${s.unrecognised} unrecognised`);
    for (const u of s.unrecognisedSamples.slice(0, 3)) out.push(`    ${paint(color, 'dim', `line ${u.line}:`)} ${u.text.slice(0, 120)}`);
  }
  if (result.notEvaluated.length) {
    const reasons = new Map<string, string[]>();
    for (const n of result.notEvaluated) reasons.set(n.reason, [...(reasons.get(n.reason) ?? []), n.id]);
    out.push(paint(color, 'bold', 'Not evaluated:'));
    for (const [reason, ids] of reasons) out.push(`  ${reason}: ${ids.join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/**
 * Reads the logs for a command. Any text gets a diagnosis attempt; unreadable input, empty input and
 * input that is not text (a capture, an archive) become a UserError (exit 2) saying which.
 */
export async function readLogEvents(sources: string[], tz: string | undefined): Promise<{ events: LogEvent[]; summaries: LogSummary[] }> {
  let events: LogEvent[];
  let summaries: LogSummary[];
  try {
    ({ events, summaries } = await readLogs(sources, { tz, stdin: process.stdin, knownMessage: knownMessage }));
  } catch (err) {
    const e = err as Error;
    for (const s of sources) {
      const line = inputErrorLine(s, err, 'log file');
      if (line !== undefined && (s === '-' || e.message.includes(s))) throw new UserError(line);
    }
    if (e instanceof RangeError || /time ?zone|tz/i.test(e.message)) throw new UserError(`--log-tz: ${e.message}`);
    const line = inputErrorLine(sources[0], err, 'log file');
    if (line !== undefined) throw new UserError(line);
    throw err;
  }
  for (const s of summaries) {
    if (s.binary === undefined) continue;
    const name = s.path === '-' ? 'stdin' : s.path;
    const hint = s.binary.endsWith('capture') ? `: give it as a capture (ajp-inspect ${s.path === '-' ? '-' : name}, or diagnose --capture ${name})` : '';
    throw new UserError(`${name}: not text (looks like ${s.binary.startsWith('p') ? 'a ' : ''}${s.binary})${hint}`);
  }
  // Empty: not one line with text in it (only blank lines, or none at all).
  if (summaries.every((s) => s.unrecognised === 0 && Object.values(s.byDialect).every((n) => !n))) {
    const names = summaries.map((s) => (s.path === '-' ? 'stdin' : s.path)).join(', ');
    throw new UserError(`${names}: empty, nothing to diagnose`);
  }
  return { events, summaries };
}
