/**
 * The shapes of a log signal: a named pattern (SignalDef) and one event that matched it (Signal).
 * Shared by the rules' types (types.ts) and the intake that classifies events as they are read
 * (intake.ts), kept apart so that neither imports the other.
 */
import type { LogDialect, LogEvent } from '../logs/types.js';

/** Facts a signal pattern pulls out of one log line (errno, backend, worker, AJP type...). */
export type SignalData = Record<string, string | number | undefined>;

/** Which log a signal's lines come from; shown by `ajp-inspect rules` as what a rule needs. */
export type SignalSource = 'jk' | 'httpd' | 'tomcat' | 'access';

/**
 * A named log pattern. The engine classifies every event once against the union of the signals
 * of all rules, so a rule never scans raw lines itself.
 */
export interface SignalDef {
  /** Stable kebab-case name, e.g. `jk-cpong-unexpected`. Two definitions of one kind must be the same object. */
  kind: string;
  source: SignalSource;
  /** Literal substrings; the regex runs only when one of them occurs in the line (cheap pre-filter). */
  needles: readonly string[];
  /** Run on the event's `text` (the whole line), so it does not depend on how the parser split the prefix. */
  re: RegExp;
  /** The facts of a matching line; null when the line, read closer, is not this signal after all. */
  data?: (m: RegExpExecArray, ev: LogEvent) => SignalData | null;
  /** mod_jk logs it only at JkLogLevel debug (or trace). */
  debugOnly?: boolean;
  /**
   * The texts of this many events after a matching one are kept with its signal (`Signal.next`): what
   * a paste printed on its own lines right after it (an exception's `Caused by:`). Events are not kept.
   */
  following?: number;
  /**
   * For lines whose parser reads this signal's facts itself (an access line's status, `%>s`): the
   * intake asks `data` of every event of `dialects` directly, before and without any needle or
   * pattern, and the needles and pattern are for the other dialects (none: `needles` empty). An
   * access log is millions of lines, each with the request line's protocol: as needles and a
   * pattern, every line went through the needle regex and a regex of its own.
   */
  fromEvent?: { dialects: readonly LogDialect[]; data: (ev: LogEvent) => SignalData | null };
}

/** One event that matched one signal. */
export interface Signal {
  kind: string;
  ev: LogEvent;
  d: SignalData;
  /** Position of the event in the input (stable order across files). */
  seq: number;
  /**
   * The stamp of the nearest earlier stamped event of the same file, when it is at most 1000 events
   * before this one (how long the file was quiet before it); only when this event has a stamp too.
   */
  prevTs?: number;
  /** The texts of the next `SignalDef.following` events of the input (fewer at its end). */
  next?: string[];
}
