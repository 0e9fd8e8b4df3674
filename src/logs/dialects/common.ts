import type { LogDialect, LogEvent } from '../types.js';
import type { StampContext } from '../stamp.js';

export interface LineContext extends StampContext {
  /**
   * "This text names a message the rules know" (given by the caller: logs/ knows no rule). With it,
   * text of no known layout is kept as a `fragment` event when it names such a message (the others
   * are counted as unrecognised, which bounds memory on inputs full of noise), and a wrapped line is
   * re-joined when only the joined text names one. Without it, no fragment is kept.
   */
  knownMessage?: KnownMessage;
}

/** The caller's test of LineContext.knownMessage, with an optional first look over bytes. */
export interface KnownMessage {
  (text: string): boolean;
  /**
   * False only when the test says false for the text that the bytes `bytes[from..to)` spell, read
   * as Latin-1 (the reader asks it for a line read from a chunk of ASCII bytes, logs/read.ts: a
   * typed array is cheaper to read than the line's string). Only for that text alone: what the test
   * looks for may span a line end (a Tomcat message wrapped in its output, `does not\nsupport
   * external executors`), so a fragment of several lines is asked of the test itself.
   */
  firstLook?: (bytes: Uint8Array, from: number, to: number) => boolean;
}

/** A real line and what each dialect parser must read from it (lnav's rule: every format ships samples). */
export interface DialectSample {
  /** Where the line comes from: `real-log-excerpts.md E08`, `seed 000`, `constructed from jk_util.c`. */
  source: string;
  line: string;
  /** Expected values; `ts` as an ISO string read with `--log-tz UTC`. Fields listed are checked, others ignored. */
  expect: {
    dialect: LogDialect;
    ts?: string | null;
    level?: LogEvent['level'];
    pid?: number;
    tid?: string;
    source?: LogEvent['source'];
    worker?: string;
    requestId?: string;
    module?: string;
    message?: string;
    version?: string;
    fields?: Record<string, string | number>;
  };
}

export interface DialectParser {
  readonly name: string;
  /** Parses one cleaned physical line; null when the line is not in this dialect. */
  parse(text: string, ctx: LineContext): LogEvent | null;
  readonly samples: readonly DialectSample[];
}

/**
 * `text.indexOf(' ' + ch, from)`: the first blank followed by `ch`, found by a search for `ch` alone.
 * V8 searches a one-character string with memchr and a two-character one at 2–4× the cost, and the
 * lines that go through these tests mostly hold neither.
 */
export function blankThen(text: string, ch: string, from = 0): number {
  for (let i = text.indexOf(ch, from + 1); i >= 0; i = text.indexOf(ch, i + 1)) if (text.charCodeAt(i - 1) === 32) return i - 1;
  return -1;
}

/** Every event is created with all properties present, in one order, so V8 keeps one shape. */
export function newEvent(dialect: LogDialect, text: string, message: string): LogEvent {
  return {
    path: '',
    line: 0,
    text,
    dialect,
    ts: undefined,
    level: undefined,
    pid: undefined,
    tid: undefined,
    source: undefined,
    worker: undefined,
    requestId: undefined,
    module: undefined,
    message,
    fields: {},
    version: undefined,
  };
}
