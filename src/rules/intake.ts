/**
 * Log events → signals, one event at a time as the logs are read (issue 14: logs streamed). What a
 * run keeps is bounded by what matched: each event is looked at once and dropped, except those that
 * matched a signal, which are kept as standalone copies (`keepEvent`: no view into the chunk they
 * were read from). Besides the signals, only per-file and per-run facts the rules read are kept
 * (last stamps, dialects, debug level, the first jk version line).
 */
import type { LogDialect, LogEvent, LogSummary } from '../logs/types.js';
import { keepEvent, ownString } from '../logs/keep.js';
import { messageTest } from '../logs/index.js';
import type { Signal, SignalData, SignalDef } from './signal-types.js';
import { workerIn } from './signals.js';
import { trieSource } from '../util/trie-regex.js';
import { LiteralScan } from '../util/literal-scan.js';

/** How far back (in events of the input) the quiet time before a signal is looked for (`Signal.prevTs`). */
const PREV_WINDOW = 1000;

/**
 * Signals kept with their line per kind. Far above what a real incident logs (a debug log of 5M
 * lines has ~200,000 response status lines, one per request). Past it a kind's signals are kept
 * lean (`leanEvent`: when, where and who, without the line's text, ~200 bytes each), so that the
 * rules still count every line and the explanations say the real totals; evidence lists the lines
 * kept with their text.
 */
export const MAX_SIGNALS_PER_KIND = 100_000;

/**
 * Lean signals over all kinds. A hostile or runaway input (10⁷ identical error lines) stops here, the
 * rest counted (`unread`) and said, so that memory stays bounded for any input (~100 MB of them).
 */
export const MAX_LEAN_SIGNALS = 500_000;

/** A shared, frozen empty `fields` for lean events. */
const NO_FIELDS: Record<string, string | number> = Object.freeze({}) as Record<string, string | number>;

/** Stamps of lean signals as small integers (V8 Smis, no heap number each): differences to the first. */
const SMALL = 2 ** 30;
let leanTsBase = Number.NaN;
const packTs = (v: number): number => {
  if (Number.isNaN(leanTsBase)) leanTsBase = Math.round(v);
  const d = v - leanTsBase;
  return Number.isInteger(d) && d > -SMALL && d < SMALL ? d : v;
};
const unpackTs = (p: number): number => (p > -SMALL && p < SMALL ? leanTsBase + p : p);

/**
 * A signal past the texts kept for its kind, and its event in one object (~150 bytes, its data
 * shared with the kind's previous lean signal when equal): what the rules read of an event — where
 * (path, line), when, which process and thread, level, dialect, and the worker as `workerIn` reads it
 * from the whole line — without the line's text (they read the line itself only through the signal's
 * data, worked out before). `text` and `message` are empty: evidence never lists such an event
 * (engine.ts), and the engine tells repeats read from two files apart by `textHash`. Every string is
 * its own (no view into the input chunk). A line that is a signal of several kinds is one event: the
 * other kinds' signals point to the first one's.
 */
export class LeanSignal implements Signal, LogEvent {
  kind: string;
  d: SignalData;
  seq: number;
  declare next?: string[];
  path: string;
  line: number;
  dialect: LogDialect;
  level: LogEvent['level'];
  pid: number | undefined;
  tid: string | undefined;
  worker: string | undefined;
  #ts: number | undefined;
  #prevTs: number | undefined = undefined;
  /** The 52-bit hash of the line's trimmed text, in two 26-bit halves. */
  readonly #h1: number;
  readonly #h2: number;

  constructor(kind: string, d: SignalData, seq: number, ev: LogEvent, worker: string | undefined, tid: string | undefined) {
    this.kind = kind;
    this.d = d;
    this.seq = seq;
    this.path = ev.path;
    this.line = ev.line;
    this.dialect = ev.dialect;
    this.level = ev.level;
    this.pid = ev.pid;
    this.tid = tid;
    this.worker = worker;
    const ts = ev.ts;
    this.#ts = ts === undefined ? undefined : packTs(ts);
    const h = textHash(ev.text.trim());
    this.#h1 = Math.floor(h / 0x4000000);
    this.#h2 = h % 0x4000000;
  }

  get ev(): LogEvent {
    return this;
  }
  get ts(): number | undefined {
    return this.#ts === undefined ? undefined : unpackTs(this.#ts);
  }
  get prevTs(): number | undefined {
    return this.#prevTs === undefined ? undefined : unpackTs(this.#prevTs);
  }
  set prevTs(v: number | undefined) {
    this.#prevTs = v === undefined ? undefined : packTs(v);
  }
  get text(): string {
    return '';
  }
  get message(): string {
    return '';
  }
  get fields(): Record<string, string | number> {
    return NO_FIELDS;
  }
  get textHash(): number {
    return this.#h1 * 0x4000000 + this.#h2;
  }
}

/** A 52-bit FNV-1a-style hash of a string (two 26-bit halves): repeats across files, see LeanSignal. */
export function textHash(s: string): number {
  let a = 0x811c9dc5 | 0;
  let b = 0x01000193 | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 6) * 0x4000000 + (b >>> 6);
}

export function isLean(ev: LogEvent): ev is LeanSignal {
  return ev instanceof LeanSignal;
}

/** Same keys and values (a signal's data: flat). */
function sameData(a: SignalData, b: SignalData): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** A signal's data with strings of its own (data read from a line that is not kept points into its chunk). */
function ownData(d: SignalData): SignalData {
  for (const k in d) {
    const v = d[k];
    if (typeof v === 'string') d[k] = ownString(v);
  }
  return d;
}

/** `d`'s pattern on `text`, as written, else regardless of case. */
function matchDef(d: SignalDef, text: string): RegExpExecArray | null {
  d.re.lastIndex = 0;
  const r = d.re.exec(text);
  if (r) return r;
  const ci = caselessRe(d);
  if (ci === null) return null;
  ci.lastIndex = 0;
  return ci.exec(text);
}

/**
 * A signal's pattern regardless of case, for lines a person retyped or abridged ("Connecting to
 * backend failed", an upper-cased AH line); tried only when the pattern as written did not match a
 * line whose needle was found. Built once per definition; null when it would match what the pattern
 * as written matches (already `i`, or nothing in it has a case: the 5xx signal's `\b(5\d\d)\b`
 * runs on every access log line, and ran twice).
 */
const caseless = new WeakMap<SignalDef, RegExp | null>();
function caselessRe(d: SignalDef): RegExp | null {
  let re = caseless.get(d);
  if (re === undefined) caseless.set(d, (re = d.re.flags.includes('i') || (!/[uv]/.test(d.re.flags) && caseFree(d.re.source)) ? null : new RegExp(d.re.source, d.re.flags + 'i')));
  return re;
}

/**
 * A pattern source that matches the same with the `i` flag as without (asked only without the `u`
 * and `v` flags): no letter outside the escapes `\b \B \d \D \s \S \w \W` (which the
 * flag leaves as they are without `u`, ECMA-262 §22.2.2.9 Canonicalize) and escaped punctuation, no
 * character beyond ASCII, no back reference (compared regardless of case under `i`) and no `-` (a
 * class range such as `[@-\[]` holds letters). Anything else makes it not case-free, and the `i`
 * regex is built: this may say no where the flag would change nothing, never yes where it would.
 */
export function caseFree(source: string): boolean {
  return !/[A-Za-z\u0080-\uffff-]|\\[1-9]/.test(source.replace(/\\(?:[bBdDsSwW]|[^A-Za-z0-9-])/g, ''));
}

interface FileState {
  /** Line number of the file's last event. */
  line: number;
  /** Position and stamp of the file's last stamped event. */
  stampSeq: number;
  stampTs: number;
  /** Highest stamp of the file. */
  maxTs: number;
}

export class LogIntake {
  /** kind → signals in input order. */
  readonly signals = new Map<string, Signal[]>();
  /** Events seen. */
  count = 0;
  readonly dialects = new Set<LogDialect>();
  /** A mod_jk / ISAPI line at debug or trace level was seen. */
  jkDebug = false;
  /** The version of the first jk line that reveals one (`mod_jk/1.2.48 initialized`). */
  version: string | undefined;
  private readonly owners = new Map<string, SignalDef[]>();
  private readonly any: RegExp | null;
  /** The first look for the needles (util/literal-scan.ts): most lines hold none, and skip the regex. */
  private readonly mayOccur: (text: string, from: number, to: number) => boolean;
  private readonly hit = new Set<SignalDef>();
  private readonly files = new Map<string, FileState>();
  private lastPath: string | undefined;
  private lastFile: FileState | undefined;
  private lastDialect: LogDialect | undefined;
  /**
   * The same line may have been read twice: several files, or a line number not above the one
   * before it in its file (the same file given twice). Without it the engine's `withoutRepeats` has
   * nothing to do.
   */
  repeatsPossible = false;
  /** Lines that matched a kind past MAX_LEAN_SIGNALS: kind → how many were not kept. */
  readonly unread = new Map<string, number>();
  /** Signals kept lean so far (over all kinds: MAX_LEAN_SIGNALS). */
  leanSignals = 0;
  /** The data of each kind's last lean signal (equal data is shared). */
  private readonly leanData = new Map<string, SignalData>();
  /** Thread ids and workers of lean signals, one string each. */
  private readonly names = new Map<string, string>();
  /** The text of the last event kept, as its own string (identical lines share it). */
  private keptOwn = '';
  /** Signals still collecting the texts of the events after them (SignalDef.following). */
  private waiting: { sg: Signal; left: number }[] = [];

  /**
   * `defs`: the signals to find (rules' `collectSignals`); `maxPerKind`: signals kept with their
   * line per kind; `maxLean`: signals kept lean past it, over all kinds.
   */
  constructor(
    defs: readonly SignalDef[],
    readonly maxPerKind = MAX_SIGNALS_PER_KIND,
    readonly maxLean = MAX_LEAN_SIGNALS,
  ) {
    for (const d of defs) this.signals.set(d.kind, []);
    // Needles are found whatever their case (the patterns then decide, as written first).
    for (const d of defs)
      for (const n of d.needles) {
        const k = n.toLowerCase();
        let arr = this.owners.get(k);
        if (!arr) this.owners.set(k, (arr = []));
        if (!arr.includes(d)) arr.push(d);
      }
    // Longer needles first so that a needle that contains another one is the one reported.
    const needles = [...this.owners.keys()].sort((a, b) => b.length - a.length);
    this.any = needles.length ? new RegExp(trieSource(needles), 'gi') : null;
    const scan = LiteralScan.of(needles);
    this.mayOccur = (text, from, to) => scan.mayOccur(text, from, to);
  }

  /** Last stamp of the events of `path`. */
  lastTs(path: string): number | undefined {
    const f = this.files.get(path);
    return f === undefined || f.maxTs === Number.NEGATIVE_INFINITY ? undefined : f.maxTs;
  }

  /**
   * One event, in input order. A combined needle regex runs over its message (the text after the
   * stamp/level/source prefix, where every needle lives), and only the definitions owning the
   * needles found run their own regex (on the whole line).
   */
  push(ev: LogEvent): void {
    const seq = this.count++;
    const dialect = ev.dialect;
    if (dialect !== this.lastDialect) {
      this.dialects.add(dialect);
      this.lastDialect = dialect;
    }
    if (dialect === 'modjk' || dialect === 'isapi') {
      if (!this.jkDebug && (ev.level === 'debug' || ev.level === 'trace')) this.jkDebug = true;
      if (this.version === undefined && ev.version) {
        const m = /((?<!\d)\d+\.\d+\.\d+)/.exec(ev.version);
        if (m) this.version = ownString(m[1]);
      }
    }
    if (this.waiting.length) this.follow(ev);
    const path = ev.path;
    let file = this.lastFile;
    if (path !== this.lastPath || file === undefined) {
      file = this.files.get(path);
      if (file === undefined) {
        this.files.set(path, (file = { line: 0, stampSeq: -Infinity, stampTs: 0, maxTs: Number.NEGATIVE_INFINITY }));
        if (this.files.size > 1) this.repeatsPossible = true;
      }
      this.lastPath = path;
      this.lastFile = file;
    }
    if (ev.line <= file.line) this.repeatsPossible = true;
    file.line = ev.line;
    const ts = ev.ts;
    const prevTs = ts !== undefined && seq - file.stampSeq <= PREV_WINDOW ? file.stampTs : undefined;
    if (ts !== undefined) {
      file.stampSeq = seq;
      file.stampTs = ts;
      if (ts > file.maxTs) file.maxTs = ts;
    }
    const any = this.any;
    if (any === null) return;
    // (a jk line's message is scanned where it lies, in its line or input chunk: no string made for it)
    if (!messageTest(ev, this.mayOccur)) return;
    const msg = ev.message ?? ev.text;
    any.lastIndex = 0;
    let m = any.exec(msg);
    if (!m) return;
    const hit = this.hit;
    hit.clear();
    for (; m; m = any.exec(msg)) {
      for (const d of this.owners.get(m[0].toLowerCase())!) hit.add(d);
      // needles contained in the matched one (e.g. "tomcat failed" inside a longer needle) would be skipped by the scan
      any.lastIndex = m.index + 1;
    }
    let kept: LogEvent | undefined;
    let lean: LeanSignal | undefined;
    for (const d of hit) {
      // The pattern and the facts on the line as read first: most lines whose needle was found are
      // not the signal (every access log line has the needle of the 5xx signal) and are not copied.
      const r0 = matchDef(d, ev.text);
      if (!r0) continue;
      const data0 = d.data ? d.data(r0, ev) : {};
      if (data0 === null) continue;
      const list = this.signals.get(d.kind)!;
      let sg: Signal;
      if (list.length < this.maxPerKind) {
        // Matched again on the kept copy, so that what the signal's data holds is not a view into the chunk either.
        kept ??= this.keep(ev);
        const r = matchDef(d, kept.text);
        const data = r === null ? null : d.data ? d.data(r, kept) : {};
        if (data === null) continue;
        sg = { kind: d.kind, ev: kept, d: data, seq };
      } else if (this.leanSignals < this.maxLean) {
        this.leanSignals++;
        const prev = this.leanData.get(d.kind);
        let data = data0;
        if (prev !== undefined && sameData(prev, data0)) data = prev;
        else this.leanData.set(d.kind, ownData(data0));
        if (lean === undefined) sg = lean = new LeanSignal(d.kind, data, seq, ev, this.share(workerIn(ev)), this.share(ev.tid));
        else sg = { kind: d.kind, ev: lean, d: data, seq };
      } else {
        this.unread.set(d.kind, (this.unread.get(d.kind) ?? 0) + 1);
        continue;
      }
      if (prevTs !== undefined) sg.prevTs = prevTs;
      if (d.following) {
        sg.next = [];
        this.waiting.push({ sg, left: d.following });
      }
      list.push(sg);
    }
  }

  /** `v` as one string of its own per value (a log names a few hundred threads and workers). */
  private share(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    let own = this.names.get(v);
    if (own === undefined) {
      if (this.names.size >= 65_536) this.names.clear();
      own = ownString(v);
      this.names.set(own, own);
    }
    return own;
  }

  private keep(ev: LogEvent): LogEvent {
    const text = ev.text;
    if (text !== this.keptOwn) this.keptOwn = ownString(text);
    return keepEvent(ev, this.keptOwn);
  }

  private follow(ev: LogEvent): void {
    const text = ownString(ev.text);
    for (const w of this.waiting) {
      w.sg.next!.push(text);
      w.left--;
    }
    this.waiting = this.waiting.filter((w) => w.left > 0);
  }

  /**
   * After the read: a file that showed itself to be an ISAPI redirector log has all its jk lines
   * labelled `isapi` (the reader, in stream mode, labels them so only from the first marker on).
   */
  finish(summaries: readonly LogSummary[]): this {
    const isapi = new Set(summaries.filter((s) => (s.byDialect.isapi ?? 0) > 0 && !s.byDialect.modjk).map((s) => s.path));
    if (isapi.size === 0) return this;
    if (this.dialects.has('modjk') && summaries.every((s) => !s.byDialect.modjk)) {
      this.dialects.delete('modjk');
      this.dialects.add('isapi');
    }
    const seen = new Set<LogEvent>();
    for (const list of this.signals.values())
      for (const sg of list)
        if (!seen.has(sg.ev)) {
          seen.add(sg.ev);
          if (sg.ev.dialect === 'modjk' && isapi.has(sg.ev.path)) sg.ev.dialect = 'isapi';
        }
    return this;
  }
}
