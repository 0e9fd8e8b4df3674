/**
 * What every capture command does the same way: the analysis options read from argv (the options
 * themselves are declared once for yargs), the one analysis seam (analyze/), the rules over its
 * evidence and any logs, and the exit code. Commands differ only in what they print.
 */
import { analyzeCapture, type AnalysisOptions, type CaptureAnalysis, type Notice, type ReadOptions } from '../analyze/index.js';
import { diagnose, type DiagnoseOptions, type DiagnoseResult } from '../rules/index.js';
import { UserError } from './exit-codes.js';
import { captureProgress, inputErrorLine } from './io.js';
import type { CommonOptions } from './options.js';
import type { ConfigFacts } from '../config/index.js';
import { bothFacts, readConfigFiles } from './configs.js';
import { guardText } from './output.js';
import { AFTER_READ, captureHeap } from './heap.js';
import type { LogInput } from './findings.js';

/** The --config facts of a command, read before the capture (a bad file fails fast); undefined without --config. */
function configFacts(o: CommonOptions): ConfigFacts | undefined {
  return o.configs.length ? readConfigFiles(o.configs) : undefined;
}

/** The analysis options of a capture command, from the shared options read once (options.ts). */
export function analysisOptions(o: CommonOptions): AnalysisOptions {
  return { ajpPorts: o.ajpPorts, mcmpPorts: o.mcmpPorts, packetSize: o.packetSize, showSecrets: o.showSecrets, idle: o.idle };
}

/** The capture positionals of a command: `capture` and, for the default command, `more`; '' and '-' are stdin. */
export function captureSources(argv: Record<string, unknown>): string[] {
  const raw = [argv.capture, ...(Array.isArray(argv.more) ? argv.more : argv.more === undefined ? [] : [argv.more])].filter((s) => s !== undefined && s !== null);
  const sources = raw.map((s) => (s === '' || s === '-' ? '-' : String(s)));
  if (sources.length === 0) throw new UserError('give a capture file, or - for stdin');
  if (sources.filter((s) => s === '-').length > 1) throw new UserError('stdin (-) can be given only once');
  if (sources.includes('-') && process.stdin.isTTY === true) {
    throw new UserError('reading a capture from stdin, but stdin is a terminal: pipe a capture in, or give a file');
  }
  return sources;
}

/** The name of the input in reports: "stdin" for -, the files joined for a rotation. */
export function captureName(sources: readonly string[]): string {
  return sources.map((s) => (s === '-' ? 'stdin' : s)).join(', ');
}

/**
 * Runs the analysis seam; an unreadable or non-capture input becomes one line (exit 2). `label`:
 * what the progress line says it is doing (default "reading").
 */
export async function analyze(sources: readonly string[], options: AnalysisOptions, read: ReadOptions = {}, label?: string): Promise<CaptureAnalysis> {
  // The progress line on a terminal (main.ts decides whether; io.ts draws it), erased when the read ends.
  const progress = captureProgress(label);
  // The heap set for a capture run (cli/heap.ts), and a full collection to make where its state dies.
  const gc = captureHeap();
  try {
    // A full collection between batches of the connections ended at the end of the capture, and
    // once after it when the heap is big.
    const analysis = await analyzeCapture(sources, options, { ...progress.hooks, onEnding: (ended, open) => { if (ended < open) gc(); }, ...read });
    gc(AFTER_READ);
    return analysis;
  } catch (err) {
    for (const s of sources) {
      const line = inputErrorLine(s, err, 'capture file');
      if (line !== undefined && (sources.length === 1 || s === '-' || String((err as Error).message).includes(s) || (err as { path?: string }).path === s)) throw new UserError(line);
    }
    const line = inputErrorLine(sources[0]!, err, 'capture file');
    if (line !== undefined) throw new UserError(line);
    throw err;
  } finally {
    progress.done();
  }
}

/**
 * The capture analysed where its AJP is. Without --ajp-port, AJP on another port than 8009 is found
 * by its bytes, but a connection that carries none (refused, reset at once, a CPing-less connect
 * that timed out) cannot be: the refusals of a backend that was down or restarting were left out,
 * and the findings differed from those of the same capture read with --ajp-port (a restart read as
 * exhausted threads). So when AJP was found by content on other ports only, and --ajp-port was not
 * given, a capture that can be read again (a file, not stdin) is read again with those ports, the
 * way the user would have rerun it; stdin gets the advice on stderr. `again`: the options of that
 * second read (the command's streaming hooks, which printed the first, left out).
 */
export async function analyzeWhereAjpIs(sources: readonly string[], o: CommonOptions, options: AnalysisOptions, read: ReadOptions = {}, again?: AnalysisOptions): Promise<CaptureAnalysis> {
  const first = await analyze(sources, options, read);
  const ajp = first.sections.ajp;
  if (o.given.has('ajpPorts') || ajp === undefined || ajp.connections === 0 || ajp.containerPorts.some((p) => options.ajpPorts.includes(p))) return first;
  const ports = [...ajp.containerPorts].sort((a, b) => a - b);
  const given = options.ajpPorts.join(', ');
  if (sources.includes('-')) {
    process.stderr.write(`ajp-inspect: warning: AJP13 was found by content on port ${ports.join(', ')}, none on ${given}: connections to it that carried no AJP bytes (refused, reset) are not counted; run again with --ajp-port ${ports.join(',')}\n`);
    return first;
  }
  process.stderr.write(`ajp-inspect: note: AJP13 was found by content on port ${ports.join(', ')}, none on ${given}: reading the capture again with --ajp-port ${ports.join(',')} so that connections without AJP bytes (refused, reset) count too (give --ajp-port to read it once)\n`);
  const second = await analyze(sources, { ...(again ?? options), ajpPorts: ports }, read);
  second.notices.unshift({ kind: 'ajp-port-found', text: `AJP13 was found by content on port ${ports.join(', ')}, none on ${given}: the capture was read with --ajp-port ${ports.join(',')}.` });
  return second;
}

/** A capture command's start: its capture analysed and diagnosed, as every capture command does it. */
export interface CaptureDiagnosis {
  analysis: CaptureAnalysis;
  /** The input's name in reports (captureName). */
  name: string;
  diagnosis: DiagnoseResult;
  config: ConfigFacts | undefined;
}

/**
 * What every capture command does first, in this order: the --config facts read (a bad file fails
 * before the long read), the capture analysed, its warnings printed, and the rules over its evidence
 * (and the logs already read, when given).
 */
export async function analyzeAndDiagnose(sources: readonly string[], o: CommonOptions, options: AnalysisOptions, read: ReadOptions = {}, logs?: LogInput): Promise<CaptureDiagnosis> {
  // (with the configuration quoted in the logs given, a paste's workers.properties)
  const config = bothFacts(configFacts(o), logs?.quoted);
  // (a second read, when there is one, without the command's streaming hooks: frames printed its lines, timeline spilled its stories)
  const analysis = await analyzeWhereAjpIs(sources, o, options, read, analysisOptions(o));
  const name = captureName(sources);
  printWarnings(analysis, name);
  return { analysis, name, diagnosis: diagnoseAnalysis(analysis, logs, config), config };
}

/**
 * The rules over the capture evidence (and log events, and the --config facts, when given): the same
 * findings for every command.
 */
export function diagnoseAnalysis(a: CaptureAnalysis | undefined, logs?: LogInput, config?: ConfigFacts, opts: DiagnoseOptions = {}): DiagnoseResult {
  const input = { ...(logs !== undefined ? { logs: logs.intake } : {}), summaries: logs?.summaries ?? [], ...(a !== undefined ? { capture: a.evidence, ...captureSpanOf(a) } : {}) };
  const result = diagnose(config === undefined ? input : { ...input, config }, opts);
  for (const w of result.clock?.warnings ?? []) process.stderr.write(guardText(`ajp-inspect: warning: ${w}\n`));
  warnFailedRules(result);
  // stdin is read as path "-"; say "stdin" wherever a person reads it
  for (const f of result.findings) for (const e of f.evidence) if (e.source === 'log' && e.path === '-') e.path = 'stdin';
  return result;
}

/**
 * A rule that threw (a bug) is said on stderr by every command, not only in diagnose's "not
 * evaluated" list: its root cause was not checked, and a report without it must not look complete.
 */
function warnFailedRules(result: DiagnoseResult): void {
  for (const u of result.unread ?? []) {
    process.stderr.write(guardText(`ajp-inspect: warning: ${u.lines} more lines matching ${u.kind} not read by the rules (the first ${u.kept} were): their counts stop there\n`));
  }
  for (const n of result.notEvaluated) {
    if (n.reason.startsWith('rule failed')) process.stderr.write(guardText(`ajp-inspect: warning: rule ${n.id} could not run (${n.reason}): its root cause was not checked\n`));
  }
}

/** The capture's first and last packet times (epoch ms) for the rules' clock alignment with logs. */
function captureSpanOf(a: CaptureAnalysis): { captureSpan?: { from: number; to: number } } {
  const { firstTs, lastTs } = a.run;
  return firstTs !== undefined && lastTs !== undefined ? { captureSpan: { from: firstTs * 1000, to: lastTs * 1000 } } : {};
}

/**
 * What the capture lacks or what was not read in it, in one line each, the same for every capture
 * command (the default command, frames, timeline, mcmp, diagnose --capture): bytes the capture lost
 * inside connections (TCP gaps: kernel drops, a full capture buffer), and bytes the AJP reader
 * skipped to find the next AJP header (not AJP, or after a gap). The report's tables and lists say
 * where; this says that it happened, whatever the command shows.
 */
export function lossWarnings(a: CaptureAnalysis): string[] {
  const out: string[] = [];
  let lost = 0;
  let lossy = 0;
  for (const s of a.run.streams) {
    const b = s.gapBytes.c2s + s.gapBytes.s2c;
    if (b > 0) (lost += b, lossy++);
  }
  const of = a.run.streamsTruncated ? ` (in the first ${a.run.streams.length} connections)` : '';
  if (lost > 0) out.push(`${lost} byte(s) missing from the capture in ${lossy} connection(s)${of}: packets the capture lost (kernel drops, a full buffer); messages across the gaps are incomplete`);
  const ajp = a.sections.ajp;
  let skipped = 0;
  const conns = new Set<number>();
  for (const v of ajp.violations) {
    const f = v.fields as { bytes?: unknown; reason?: unknown } | undefined;
    if (v.kind !== 'resync' || f?.reason === 'trailing' || typeof f?.bytes !== 'number') continue;
    skipped += f.bytes;
    conns.add(v.stream);
  }
  if (skipped > 0) {
    const more = ajp.violationsDropped > 0 ? 'at least ' : '';
    out.push(`${more}${skipped} byte(s) skipped in ${conns.size} AJP connection(s) to find the next AJP header (not AJP, a gap, or a capture that began mid-connection)`);
  }
  return out;
}

/** Capture warnings on stderr, as every command prints them. */
export function printWarnings(a: CaptureAnalysis, name: string): string[] {
  // A rotation's warnings already name their file.
  const warnings = a.run.warnings.map((w) => (a.run.files.length > 1 ? w.message : `${name}: ${w.message}`));
  warnings.push(...lossWarnings(a).map((w) => `${name}: ${w}`));
  // Past the detector's evidence bound, as for the log lines past the rules' (warnFailedRules).
  for (const n of a.notices) if (n.kind === 'evidence-unread') warnings.push(`${name}: ${n.text}`);
  for (const w of warnings) process.stderr.write(guardText(`ajp-inspect: warning: ${w}\n`));
  return warnings;
}


/**
 * How frames and timeline end: the notices, then the root causes in one line. Without findings and
 * without AJP, the no-AJP notice (ports seen, --ajp-port to try) is the last line instead of
 * "none found", as in the default command.
 */
export function closingLines(findings: readonly { id: string; severity: string }[], notices: readonly Notice[], hint: string): string {
  const noAjp = findings.length === 0 ? notices.find((n) => n.kind === 'no-ajp') : undefined;
  const notes = notices.filter((n) => n !== noAjp).map((n) => `Note: ${n.text}\n`).join('');
  return notes + (noAjp !== undefined ? `${noAjp.text}\n` : findingsFooter(findings, hint));
}

/**
 * A short root-cause footer for the commands whose output is not the report (frames, timeline,
 * mcmp); `hint`: the command that prints the report (reportCommand).
 */
export function findingsFooter(findings: readonly { id: string; severity: string }[], hint: string): string {
  if (findings.length === 0) return 'Root causes: none found in this capture.\n';
  const ids = findings.map((f) => `${f.id} [${f.severity}]`).join(', ');
  return `Root causes: ${ids} (details: ${hint})\n`;
}

/** This command's own options (with a value, and flags), left out of the report's command line. */
const OWN_WITH_VALUE = new Set(['--conn', '-o', '--output', '-T', '--format', '--max-events']);
const OWN_FLAGS = new Set(['-V', '--verbose']);

/**
 * The command line that prints the capture report with the same inputs and options as this run of
 * `command` (frames, timeline, mcmp): the arguments as given, without the command's name, its own
 * options and the output ones, each quoted for a POSIX shell where it needs it. A user who follows
 * the hint must get the findings the footer names (the --ajp-port given, every file of a rotation).
 */
export function reportCommand(command: string, args: readonly string[] = process.argv.slice(2)): string {
  const out: string[] = [];
  let named = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!named && a === command) {
      named = true;
      continue;
    }
    const eq = a.startsWith('-') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (OWN_WITH_VALUE.has(name)) {
      if (eq < 0) i++;
      continue;
    }
    if (OWN_FLAGS.has(a)) continue;
    out.push(/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  }
  return ['ajp-inspect', ...out].join(' ');
}
