/**
 * What every command shares at the edge of the program: colour decision, one-line messages for
 * unreadable input, what kind of file an input is (for the "use diagnose" hints), running the
 * capture pipeline with those messages and the progress line, and writing the output.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants as zlib, gunzipSync } from 'node:zlib';
import { CaptureFormatError, sniff } from '../capture/index.js';
import { inspectCapture, type CaptureRun, type InspectOptions } from '../inspect/index.js';
import { parseLogText, type LogProgress } from '../logs/index.js';
import { knownMessage } from '../rules/index.js';
import { UserError } from './exit-codes.js';
import { readCommonOptions, type ColorMode } from './options.js';
import { ProgressLine, type ProgressStream } from './progress.js';
import type { Output } from './output.js';

export type { Format, ColorMode } from './options.js';

/** Colours on a TTY unless NO_COLOR is set (https://no-color.org); never into a file. */
export function useColor(mode: ColorMode, toFile: boolean, isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (mode === 'always') return true;
  if (mode === 'never' || toFile) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

/** The colour decision for a command's stdout (or its -o file); `--color` read by options.ts. */
export function colorFor(argv: Record<string, unknown>, output: string | undefined): boolean {
  return useColor(readCommonOptions(argv, ['color']).color, output !== undefined, process.stdout.isTTY === true);
}

/** One line for an error while opening/reading an input; undefined when it is a bug (to be rethrown). */
export function inputErrorLine(source: string, err: unknown, noun: 'capture file' | 'log file' | 'configuration file'): string | undefined {
  const name = source === '-' ? 'stdin' : source;
  if (err instanceof CaptureFormatError) {
    const line = err.message.startsWith(name) ? err.message : `${name}: ${err.message}`;
    // A paste piped in as a capture: the file-kind check (main.ts) cannot look at stdin before the read.
    return source === '-' && /looks like text/.test(line) ? `${line}; a log? use \`ajp-inspect diagnose -\`` : line;
  }
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return `${name}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${name}: permission denied`;
    case 'EISDIR':
      return `${name}: is a directory, not a ${noun}`;
    case 'EIO':
      return `${name}: read error (${e.message})`;
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `${name}: corrupt gzip data`;
    default:
      return undefined;
  }
}

/** Where capture and log reads draw their progress line; set by main.ts when progress is wanted (progress.ts). */
let progressTarget: { stream: ProgressStream; intervalMs?: number; delayMs?: number } | undefined;

/** main.ts: show (or not) a progress line on `stream` for the capture and log reads of this run. */
export function setCaptureProgress(target: { stream: ProgressStream; intervalMs?: number; delayMs?: number } | undefined): void {
  progressTarget = target;
}

/**
 * The progress hook for one log read (undefined when progress is off): pass it to streamLogs as
 * `onProgress` and call `done()` when the read ends, to erase the line before anything else is
 * printed. `reading: 412 MB of 789 MB (52%), 2.6M lines, 97 MB/s, ETA 4 s`.
 */
export function logProgress(): { onProgress: LogProgress | undefined; done(): void } {
  if (progressTarget === undefined) return { onProgress: undefined, done() {} };
  const { stream, ...timing } = progressTarget;
  const line = new ProgressLine(stream, { ...timing, unit: 'lines' });
  return { onProgress: (bytes, total, lines) => line.update(bytes, total, lines), done: () => line.done() };
}

/**
 * A progress line for a long write after the read (`timeline` printing its stories: `writing the
 * stories: 120 MB of 586 MB (20%), 12k connections, …`), or none: when progress is off, and when the
 * output itself goes to the terminal, where the line would be drawn among the output's lines.
 */
export function writeProgress(out: Output, label: string, unit: string): { update(bytes: number, total: number, count: number): void; done(): void } {
  if (progressTarget === undefined || (out.toStdout && process.stdout.isTTY === true)) return { update() {}, done() {} };
  const { stream, ...timing } = progressTarget;
  const line = new ProgressLine(stream, { ...timing, label, unit });
  return { update: (bytes, total, count) => line.update(bytes, total, count), done: () => line.done() };
}

/**
 * The progress hooks for one capture read (empty when progress is off): pass them to
 * inspectCapture (or whatever reads the capture) and call `done()` when the read ends, to erase
 * the line before anything else is printed.
 */
export function captureProgress(label?: string): { hooks: Pick<InspectOptions, 'onProgress' | 'progressEvery'>; done(): void } {
  if (progressTarget === undefined) return { hooks: {}, done() {} };
  const { stream, ...timing } = progressTarget;
  const line = new ProgressLine(stream, label === undefined ? timing : { ...timing, label });
  // Every 2048 packets: a clock read that often costs nothing; the line itself redraws every 250 ms.
  return { hooks: { onProgress: (bytes, total, packets) => line.update(bytes, total, packets), progressEvery: 2048 }, done: () => line.done() };
}

/** The capture pipeline for a command: unreadable or non-capture input becomes one line (exit 2). */
export async function runCapture(source: string, opts: InspectOptions): Promise<CaptureRun> {
  const progress = opts.onProgress === undefined ? captureProgress() : undefined;
  try {
    return await inspectCapture(source, { ...progress?.hooks, ...opts });
  } catch (err) {
    const line = inputErrorLine(source, err, 'capture file');
    if (line !== undefined) throw new UserError(line);
    throw err;
  } finally {
    progress?.done();
  }
}

/** What an input file is, from its first bytes (inside gzip too); undefined when it cannot be read. */
export type FileKind = { kind: 'pcap' | 'pcapng' } | { kind: 'log' } | { kind: 'other' };

const HEAD_BYTES = 64 * 1024;

/**
 * `asLog: false`: only whether it is a capture is asked (a command that reads logs: a capture given
 * to it gets a hint, a text needs none): a file that is no capture is then `other` without its
 * first lines being parsed as a log (that parse, ~50 ms of a log run's start-up, would be done again
 * by the read itself).
 */
export function fileKind(path: string, asLog = true): FileKind | undefined {
  if (path === '-') return undefined;
  let head: Buffer;
  try {
    // Only regular files: a FIFO or a process substitution (<(tcpdump -w - …)) would lose what is read here.
    if (!statSync(path).isFile()) return undefined;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      head = buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // the command's own reader says why, in its words
  }
  let s = sniff(head);
  if (s.kind === 'gzip') {
    try {
      // The first 64 KiB of a gzip stream: decompress what is there without wanting the end.
      head = gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
    } catch {
      return { kind: 'other' };
    }
    s = sniff(head);
  }
  if (s.kind === 'pcap' || s.kind === 'pcapng') return { kind: s.kind };
  if (s.kind === 'gzip' || !asLog) return { kind: 'other' };
  // A log if any of its first lines is a line of a known log, or text naming a known message (a
  // paste of bare messages), as diagnose reads it (the last line may be cut: dropped).
  const text = head.toString('utf8');
  const cut = text.lastIndexOf('\n');
  const { events } = parseLogText(cut > 0 && head.length === HEAD_BYTES ? text.slice(0, cut) : text, { path, knownMessage });
  return events.length > 0 ? { kind: 'log' } : { kind: 'other' };
}

/**
 * The files a text-reading command was given (`<first> [more..]`): yargs hands a lone '-' positional
 * over as '' (yargs-parser), and both mean stdin, which can be given once and must not be a terminal.
 * `what` names the inputs in the messages ("log files", "configuration files").
 */
export function textSources(first: unknown, more: unknown, what: string): string[] {
  const raw = [first as string | undefined, ...((more as string[] | undefined) ?? [])].filter((s): s is string => s !== undefined);
  const sources = raw.map((s) => (s === '' || s === '-' ? '-' : String(s)));
  if (!sources.length) throw new UserError(`give one or more ${what}, or - for stdin`);
  if (sources.filter((s) => s === '-').length > 1) throw new UserError('stdin (-) can be given only once');
  if (sources.includes('-') && process.stdin.isTTY === true) throw new UserError(`reading ${what} from stdin, but stdin is a terminal: pipe them in, or give a file`);
  return sources;
}
