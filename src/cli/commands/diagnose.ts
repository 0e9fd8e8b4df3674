import { styleText } from 'node:util';
import Table from 'cli-table3';
import type { CliCommand } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../exit-codes.js';
import { readLogs, type LogDialect, type LogEvent, type LogSummary } from '../../logs/index.js';
import { diagnose, redact, rules, type DiagnoseResult } from '../../rules/index.js';
import { buildReport, captureInput, type Finding, type InputRef, type Severity } from '../../report/index.js';
import { colorFor, inputErrorLine, runCapture, writeOutput, type Format } from '../io.js';
import { AjpCaptureAnalyzer } from '../../timeline/index.js';
import { detectCaptureEvidence } from '../../detect/index.js';
import { wiresharkFilter, type CaptureEvidence } from '../../util/evidence.js';


const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** Exit code for a diagnosis: 1 when a finding is at or above `failOn`. */
export function diagnoseExitCode(findings: readonly Finding[], failOn: Severity): number {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? EXIT_FINDINGS : EXIT_OK;
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

function paint(color: boolean, fmt: Parameters<typeof styleText>[0], s: string): string {
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
        if (e.source === 'log') out.push(`     ${paint(color, 'dim', `${e.path}:${e.line}`)} ${e.text.split('\n')[0]}`);
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

/** Human report: findings table, then each finding with evidence and remedy, then what was read. */
export function renderDiagnosisText(result: DiagnoseResult, summaries: readonly LogSummary[], opts: { color: boolean; width?: number }): string {
  const { color } = opts;
  const out: string[] = [];
  const f = result.findings;
  if (!f.length) out.push('No root cause found in these logs.', '');
  else out.push(...renderFindingsText(f, opts));
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

/** Reads the logs for a command; unreadable input and logs without one known line become a UserError. */
export async function readLogEvents(sources: string[], tz: string | undefined): Promise<{ events: LogEvent[]; summaries: LogSummary[] }> {
  let events: LogEvent[];
  let summaries: LogSummary[];
  try {
    ({ events, summaries } = await readLogs(sources, { tz, stdin: process.stdin }));
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
  if (!events.length) {
    const lines = summaries.reduce((n, s) => n + s.lines, 0);
    throw new UserError(lines ? `none of the ${lines} lines is a mod_jk, ISAPI, httpd or Tomcat log line` : 'the logs are empty');
  }
  return { events, summaries };
}

/** `ajp-inspect diagnose FILE… | -`: name the root causes in mod_jk / ISAPI / httpd / Tomcat logs. */
export const diagnoseCommand: CliCommand = {
  // `<log> [more..]` rather than `<logs..>`: yargs-parser drops a lone '-' from array positionals.
  command: 'diagnose <log> [more..]',
  describe: 'diagnose mod_jk / ISAPI redirector / httpd error_log / Tomcat logs: root causes, evidence, remedy',
  builder: (y) =>
    y
      .positional('log', { type: 'string', describe: 'log file (.gz allowed), or - for stdin (a paste)' })
      .positional('more', { type: 'string', array: true, describe: 'more log files, read together with the first' })
      .option('format', { alias: 'T', choices: ['text', 'json'] as const, default: 'text', describe: 'report format' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
      .option('log-tz', { type: 'string', describe: 'time zone of the log stamps: IANA name or ±hh:mm (default: this machine\'s zone)' })
      .option('fail-on', {
        choices: ['error', 'warning', 'info'] as const,
        default: 'warning',
        describe: 'exit 1 when a finding has at least this severity (info findings such as client aborts do not fail by default)',
      })
      .option('capture', { type: 'string', describe: 'also read this capture (pcap / pcapng of the same incident): capture evidence confirms or adds findings' })
      .option('ajp-port', { type: 'number', array: true, default: [8009], describe: 'with --capture: TCP port carrying AJP (repeatable); other ports are recognised by content' })
      .option('rule', { type: 'string', array: true, describe: 'run only these rule ids (see `ajp-inspect rules`)' })
      .option('max-evidence', { type: 'number', default: 12, describe: 'evidence lines kept per finding' })
      .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto', describe: 'colours in text output (NO_COLOR respected)' })
      .example('ajp-inspect diagnose mod_jk.log error_log catalina.out', 'diagnose several logs together')
      .example('pbpaste | ajp-inspect diagnose - --log-tz Europe/Berlin', 'diagnose a paste')
      .example('ajp-inspect diagnose mod_jk.log --capture web1.pcap --ajp-port 8009', 'logs and a capture of the same incident'),
  async run(argv) {
    const raw = [argv.log as string | undefined, ...((argv.more as string[] | undefined) ?? [])].filter((s): s is string => s !== undefined);
    // yargs hands a lone '-' positional over as '' (yargs-parser): both mean stdin.
    const sources = raw.map((s) => (s === '' || s === '-' ? '-' : String(s)));
    if (!sources.length) throw new UserError('give one or more log files, or - for stdin');
    if (sources.filter((s) => s === '-').length > 1) throw new UserError('stdin (-) can be given only once');
    if (sources.includes('-') && process.stdin.isTTY === true) {
      throw new UserError('reading logs from stdin, but stdin is a terminal: paste into a pipe, or give a file');
    }
    const format = (argv.format ?? 'text') as Format;
    const output = argv.output === undefined ? undefined : String(argv.output);
    const failOn = (argv['fail-on'] ?? 'warning') as Severity;
    const maxEvidence = Number(argv['max-evidence'] ?? 12);
    if (!Number.isInteger(maxEvidence) || maxEvidence < 1) throw new UserError(`--max-evidence must be a positive integer, not ${String(argv['max-evidence'])}`);
    const only = argv.rule as string[] | undefined;
    if (only) for (const id of only) if (!rules.some((r) => r.id === id)) throw new UserError(`unknown rule id ${id} (see ajp-inspect rules)`);
    const tz = argv['log-tz'] === undefined ? undefined : String(argv['log-tz']);

    const { events, summaries } = await readLogEvents(sources, tz);

    let capture: CaptureEvidence[] | undefined;
    let captureRef: InputRef | undefined;
    const capturePath = argv.capture === undefined ? undefined : String(argv.capture);
    if (capturePath !== undefined) {
      if (capturePath === '-' || capturePath === '') throw new UserError('--capture needs a file (stdin is for the logs)');
      const ports = ((argv['ajp-port'] as number[] | undefined) ?? [8009]).map(Number);
      for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new UserError(`--ajp-port must be a TCP port (1-65535), not ${String(p)}`);
      const analyzer = new AjpCaptureAnalyzer({ ajpPorts: ports, packetSize: 8192 });
      captureRef = captureInput(await runCapture(capturePath, { sinks: [analyzer.sink] }), capturePath);
      capture = detectCaptureEvidence(analyzer.result());
    }
    const result = diagnose({ events, summaries, capture }, { only, maxEvidence });
    // stdin is read as path "-"; say "stdin" wherever a person reads it
    for (const f of result.findings) for (const e of f.evidence) if (e.source === 'log' && e.path === '-') e.path = 'stdin';
    const inputs: InputRef[] = summaries.map((s) => ({ path: s.path === '-' ? 'stdin' : s.path, kind: 'log', format: mainDialect(s) }));
    if (captureRef !== undefined) inputs.push(captureRef);
    const report = buildReport({ inputs, findings: result.findings, logs: logsSection(summaries, result, events) });

    let text: string;
    if (format === 'json') text = JSON.stringify(report, null, 2) + '\n';
    else {
      const color = colorFor(argv, output);
      text = renderDiagnosisText(result, summaries, { color, width: process.stdout.columns });
    }
    await writeOutput(text, output);
    return diagnoseExitCode(result.findings, failOn);
  },
};
