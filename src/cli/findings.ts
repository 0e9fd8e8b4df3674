/**
 * What the commands that report root causes share: reading logs into events, the exit code for
 * findings, the `logs` report section, and the findings rendered as text.
 */
import { EXIT_FINDINGS, EXIT_OK, UserError } from './exit-codes.js';
export { renderFindingsText };
import { statedZone, streamLogs, type LogDialect, type LogEvent, type LogProgress, type LogSummary } from '../logs/index.js';
import { diagnosisIntake, failsOn, knownMessage, redact, rules, type DiagnoseResult, type LogIntake } from '../rules/index.js';
import type { Finding, Severity } from '../report/index.js';
import { inputErrorLine, logProgress } from './io.js';
import { logHeap } from './heap.js';
import { renderFindingsText } from '../report/index.js';
import { isDateMs } from '../util/clock.js';
import { Readable } from 'node:stream';
import type { ConfigFacts } from '../config/index.js';
import { MAX_PASTE_BYTES, pasteText, quotedConfig } from './configs.js';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { guardText } from './output.js';

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
  return ts === undefined || !isDateMs(ts) ? undefined : new Date(ts).toISOString();
}

/** The `logs` section of the JSON report: what was read, per file, and which rules could not run. */
export function logsSection(summaries: readonly LogSummary[], result: DiagnoseResult, events: number): Record<string, unknown> {
  return {
    events,
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
    // logs read with a capture: the clock offset between them, and whether they overlap
    ...(result.clock !== undefined ? { clock: result.clock } : {}),
  };
}

/** Logs read for the rules: their events classified as they were read (none kept but the matching ones), and the per-file summaries. */
export interface LogInput {
  intake: LogIntake;
  summaries: LogSummary[];
  /** Configuration quoted in the logs given (a paste with its workers.properties: configs.ts quotedConfig). */
  quoted?: ConfigFacts;
}

/** Reads the logs for the rules (`only`: the rule ids that will run), streamed into their intake (issue 14). */
export async function readLogInput(sources: string[], tz: string | undefined, only?: readonly string[]): Promise<LogInput> {
  // (one input: no line can be read twice from two files, see LogIntakeOptions)
  const intake = diagnosisIntake(only, undefined, { oneSource: sources.length === 1 });
  // stdin is read once: its first MAX_PASTE_BYTES are kept as they go by, for the configuration a paste quotes
  const tap = sources.includes('-') ? new PasteTap(process.stdin, MAX_PASTE_BYTES) : undefined;
  const zone = tz ?? (await zoneOfLogs(sources, tap));
  const summaries = await readLogStream(sources, zone, (ev) => intake.push(ev), tap?.stream);
  intake.finish(summaries);
  const { facts: quoted, lines } = quotedConfig(sources, tap?.text());
  // Lines read as configuration are not unrecognised (the log reader counted them so).
  for (const s of summaries) {
    const config = lines.get(s.path);
    if (config === undefined) continue;
    s.unrecognisedSamples = s.unrecognisedSamples.filter((u) => !config.has(u.line));
    s.unrecognised = Math.max(s.unrecognisedSamples.length, s.unrecognised - config.size);
  }
  return quoted === undefined ? { intake, summaries } : { intake, summaries, quoted };
}

/**
 * A stream's bytes passed on as they are read, the first `max` of them kept (a paste on stdin);
 * `head` reads some ahead before the log reader starts (they are handed to it first).
 */
class PasteTap {
  readonly stream: NodeJS.ReadableStream;
  private readonly kept: Buffer[] = [];
  private size = 0;
  private readonly it: AsyncIterator<Buffer | string>;
  /** Read ahead by `head`, not yet handed on. */
  private ahead: Buffer[] = [];
  private ended = false;

  constructor(source: NodeJS.ReadableStream, private readonly max: number) {
    this.it = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
    const tap = this;
    this.stream = Readable.from(
      (async function* (): AsyncGenerator<Buffer> {
        for (let b = await tap.next(); b !== undefined; b = await tap.next()) {
          if (tap.size < tap.max) {
            const part = b.subarray(0, tap.max - tap.size);
            tap.kept.push(Buffer.from(part));
            tap.size += part.length;
          }
          yield b;
        }
      })(),
      { objectMode: false },
    );
  }

  private async pull(): Promise<Buffer | undefined> {
    if (this.ended) return undefined;
    const r = await this.it.next();
    if (r.done === true) {
      this.ended = true;
      return undefined;
    }
    return typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
  }

  private async next(): Promise<Buffer | undefined> {
    return this.ahead.length > 0 ? this.ahead.shift() : this.pull();
  }

  /** The first `n` bytes (fewer when the stream ends first), read ahead of the log reader. */
  async head(n: number): Promise<Buffer> {
    let have = this.ahead.reduce((k, b) => k + b.length, 0);
    while (have < n) {
      const b = await this.pull();
      if (b === undefined) break;
      this.ahead.push(b);
      have += b.length;
    }
    return Buffer.concat(this.ahead);
  }

  /** What was kept, as text (undefined when it is not text: gzip, binary). */
  text(): string | undefined {
    return this.size === 0 ? undefined : pasteText(Buffer.concat(this.kept, this.size));
  }
}

/** The first 64 KiB of a log file as text (undefined: not a regular file, gzip, binary, unreadable). */
function fileHead(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.allocUnsafe(ZONE_LOOK);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return pasteText(buf.subarray(0, n));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Bytes of each log looked at for the offset its stamps state. */
const ZONE_LOOK = 65_536;

/**
 * The zone for log stamps without one when --log-tz is not given: the offset the logs' own stamps
 * state (an access log's `[13/May/2024:12:38:06 -0400]` beside the same server's error_log, in one
 * paste or in several files: logs/zone.ts), else undefined (the machine's zone). Said on stderr when
 * it differs from the machine's zone.
 */
async function zoneOfLogs(sources: readonly string[], tap: PasteTap | undefined): Promise<string | undefined> {
  const heads: string[] = [];
  for (const s of sources) {
    const t = s === '-' ? (tap === undefined ? undefined : pasteText(await tap.head(ZONE_LOOK))) : fileHead(s);
    if (t !== undefined) heads.push(t);
  }
  const zone = statedZone(heads);
  if (zone === undefined) return undefined;
  const sign = zone.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (minutes !== -new Date().getTimezoneOffset())
    process.stderr.write(guardText(`ajp-inspect: note: log stamps without a zone are read at ${zone}, the offset the logs' own stamps state (access log lines); --log-tz says otherwise\n`));
  return zone;
}

/**
 * Reads the logs for a command, each event handed to `onEvent` as it is read (in time order across
 * files) and not kept. Any text gets a diagnosis attempt; unreadable input, empty input and input
 * that is not text (a capture, an archive) become a UserError (exit 2) saying which.
 */
export async function readLogStream(sources: string[], tz: string | undefined, onEvent: (ev: LogEvent) => void, stdin: NodeJS.ReadableStream = process.stdin): Promise<LogSummary[]> {
  // Only configuration files were given (diagnose workers.properties): no log to read, nothing empty.
  if (sources.length === 0) return [];
  let summaries: LogSummary[];
  // The progress line on a terminal (main.ts decides whether), erased when the read ends.
  const progress = logProgress();
  try {
    // The young generation kept small once grown a little (cli/heap.ts logHeap), looked at after
    // each chunk read, with the progress.
    const heap = logHeap();
    const line = progress.onProgress;
    const onProgress: LogProgress = (bytes, total, lines) => {
      heap();
      line?.(bytes, total, lines);
    };
    summaries = await streamLogs(sources, { tz, stdin, knownMessage: knownMessage, onProgress }, onEvent);
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
  } finally {
    progress.done();
  }
  for (const s of summaries) if (s.cut !== undefined) process.stderr.write(guardText(`ajp-inspect: warning: ${s.path === '-' ? 'stdin' : s.path}: ${s.cut}\n`));
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
  return summaries;
}
