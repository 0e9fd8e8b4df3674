/**
 * Log events → signals, one event at a time as the logs are read (issue 14: logs streamed). What a
 * run keeps is bounded by what matched: each event is looked at once and dropped, except those that
 * matched a signal, each kept as a row of typed columns (`LeanEvents`: when, where and who) and,
 * for a kind's first lines, its text as a string of its own (no view into the chunk it was read
 * from). Besides the signals, only per-file and per-run facts the rules read are kept (last stamps,
 * dialects, debug level, the first jk version line).
 */
import type { LogDialect, LogEvent, LogLevel, LogSummary } from '../logs/types.js';
import { ownString } from '../logs/keep.js';
import { messageTest } from '../logs/index.js';
import type { Signal, SignalData, SignalDef } from './signal-types.js';
import { workerIn } from './signals.js';
import { trieSource } from '../util/trie-regex.js';
import { LiteralScan } from '../util/literal-scan.js';
import { grown } from '../util/grown.js';

/** How far back (in events of the input) the quiet time before a signal is looked for (`Signal.prevTs`). */
const PREV_WINDOW = 1000;

/**
 * Signals kept with their line's text per kind. Evidence lists at most the first `--max-evidence`
 * lines of a finding and its last one, so a kind's texts past a few thousand are only ever counted;
 * each costs its text (~200 bytes for a jk line). Past it a kind's signals are kept lean (their row
 * alone), so that the rules still count every line and the explanations say the real totals. Rules
 * read nothing of a line but its row and its signal's data (the text is for evidence), so both read
 * alike. A line kept whole (the event as read, with its message and fields: `keepEvent`) cost ~400
 * bytes more: an outage log of a million refused connects held 42 MB of them, for four kinds.
 */
export const MAX_SIGNALS_PER_KIND = 20_000;

/**
 * Lean signals (without their text) over all kinds: 4 to 8 bytes each and their event's row (44 bytes,
 * shared by a line's kinds) until a rule asks for their kind (SignalLists), then a 48-byte object
 * each. A hostile or
 * runaway input (10⁷ identical error lines) stops here, the rest counted (`unread`) and said, so that
 * memory stays bounded for any input (~110 MB of rows and lists at most, and the objects of the kinds
 * the rules read). A production outage log of a million lines, every one a refused connect, is read
 * whole.
 */
export const MAX_LEAN_SIGNALS = 2_000_000;

/** A shared, frozen empty `fields` for the signals' events. */
const NO_FIELDS: Record<string, string | number> = Object.freeze({}) as Record<string, string | number>;

const DIALECTS: readonly LogDialect[] = ['modjk', 'isapi', 'jk-request', 'httpd', 'tomcat', 'access', 'fragment'];
const LEVELS: readonly (LogLevel | undefined)[] = [undefined, 'trace', 'debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];
const dialectCode = new Map(DIALECTS.map((d, i) => [d, i]));
const levelCode = new Map(LEVELS.map((l, i) => [l, i]));

/**
 * Integer columns of a signal's event: line, path / tid / worker (string ids, -1 none), dialect and level
 * codes, its position in the input, and its pid (NO_PID: none, or one beyond 32 bits kept aside).
 */
const LINE = 0;
const PATH = 1;
const TID = 2;
const WORKER = 3;
const CODES = 4;
const SEQ = 5;
const PID = 6;
const INTS = 7;
const NO_PID = -0x80000000;
/** Number columns: stamp, the quiet time's stamp (`Signal.prevTs`); NaN for none. */
const TS = 0;
const PREV = 1;
const FLOATS = 2;
/** Events a block: the columns grow a block at a time, never copied. */
const BLOCK_BITS = 13;
const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

/**
 * The events of the signals, a column each in typed arrays (44 bytes an event, 52 with hashes, nothing for the
 * collector to trace): what the rules read of an event, without the line's text. Strings (paths,
 * thread ids, workers) are kept once each and named by number. A line that is a signal of several
 * kinds is one event.
 */
export class LeanEvents {
  private readonly ints: Int32Array[] = [];
  private readonly floats: Float64Array[] = [];
  /** The text's hash of each event, two 26-bit halves (the first one + 1, 0: none), when the run hashes them. */
  private readonly hashes: (Int32Array | undefined)[] = [];
  /** Pids that are not 32-bit integers (a damaged line), by event. */
  private readonly oddPids = new Map<number, number>();
  private readonly strings: string[] = [];
  /**
   * The text of each kind's last lean event as read (its index and the text, maybe a view into its
   * 64 KiB chunk: one per kind, replaced line after line), and those texts by event once asked for,
   * as strings of their own. A finding's evidence ends with its last line, "the most recent state":
   * an outage that lasts to the end of the log ends on a lean line, which would otherwise have no text.
   */
  private readonly lastOfKind = new Map<string, { i: number; text: string }>();
  private lastTexts: Map<number, string> | undefined;
  /** The texts of the events kept with theirs (a kind's first MAX_SIGNALS_PER_KIND signals), own strings. */
  private readonly texts = new Map<number, string>();
  private readonly ids = new Map<string, number>();
  length = 0;

  /** Appends the event, `hash` its trimmed text's (textHash) or undefined when repeats across files cannot occur. */
  /** The last string named in each column, and its id (a log names the same path, and few threads and workers, line after line). */
  private readonly lastStr: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  private readonly lastId = new Int32Array(5).fill(-1);
  private lastCodes = -1;
  private lastDialect: LogDialect | undefined;
  private lastLevel: LogLevel | undefined;

  add(seq: number, ev: LogEvent, worker: string | undefined, tid: string | undefined, hash: number | undefined): number {
    const n = this.length++;
    const b = n >>> BLOCK_BITS;
    if (b === this.ints.length) {
      this.ints.push(new Int32Array(BLOCK * INTS));
      this.floats.push(new Float64Array(BLOCK * FLOATS).fill(Number.NaN));
    }
    const ints = this.ints[b];
    const floats = this.floats[b];
    const o = (n & IN_BLOCK) * INTS;
    ints[o + SEQ] = seq;
    ints[o + LINE] = ev.line;
    ints[o + PATH] = this.id(PATH, ev.path);
    ints[o + TID] = this.id(TID, tid);
    ints[o + WORKER] = this.id(WORKER, worker);
    const dialect = ev.dialect;
    const level = ev.level;
    if (dialect !== this.lastDialect || level !== this.lastLevel || this.lastCodes < 0) {
      this.lastDialect = dialect;
      this.lastLevel = level;
      this.lastCodes = (dialectCode.get(dialect) ?? 0) | ((levelCode.get(level) ?? 0) << 8);
    }
    ints[o + CODES] = this.lastCodes;
    const pid = ev.pid;
    if (pid !== undefined && Number.isInteger(pid) && pid > NO_PID && pid <= 0x7fffffff) ints[o + PID] = pid;
    else {
      ints[o + PID] = NO_PID;
      if (pid !== undefined) this.oddPids.set(n, pid);
    }
    if (hash !== undefined) {
      // (only a run of several inputs hashes its lines: the columns exist only then)
      const h = (this.hashes[b] ??= new Int32Array(BLOCK * 2));
      h[(n & IN_BLOCK) * 2] = Math.floor(hash / 0x4000000) + 1;
      h[(n & IN_BLOCK) * 2 + 1] = hash % 0x4000000;
    }
    const f = (n & IN_BLOCK) * FLOATS;
    const ts = ev.ts;
    if (ts !== undefined) floats[f + TS] = ts;
    return n;
  }

  private id(col: number, s: string | undefined): number {
    if (s === undefined) return -1;
    if (s === this.lastStr[col]) return this.lastId[col];
    this.lastStr[col] = s;
    return (this.lastId[col] = this.idOf(s));
  }

  private idOf(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      // (a string of its own: the one given may be a view into the chunk its line was read from)
      this.strings.push(ownString(s));
      this.ids.set(this.strings[id], id);
    }
    return id;
  }

  /** Every event of a path in `paths` read as a mod_jk line is relabelled `isapi` (LogIntake.finish). */
  relabel(paths: ReadonlySet<string>): void {
    const modjk = dialectCode.get('modjk')!;
    const isapi = dialectCode.get('isapi')!;
    for (let i = 0; i < this.length; i++) {
      const c = this.int(i, CODES);
      if ((c & 0xff) === modjk && paths.has(this.str(i, PATH) ?? '')) this.setInt(i, CODES, (c & ~0xff) | isapi);
    }
  }

  /** Event `i` is the last lean event of `kind` so far; `text` its line. */
  lastOf(kind: string, i: number, text: string): void {
    const e = this.lastOfKind.get(kind);
    if (e === undefined) this.lastOfKind.set(kind, { i, text });
    else {
      e.i = i;
      e.text = text;
    }
    this.lastTexts = undefined;
  }

  /** Event `i` keeps its text, `text` (a string of its own). */
  setText(i: number, text: string): void {
    this.texts.set(i, text);
  }

  /** The text of event `i` when it keeps it, or when it is the last lean event of a kind; else ''. */
  text(i: number): string {
    const t = this.texts.get(i);
    if (t !== undefined) return t;
    if (this.lastTexts === undefined) {
      this.lastTexts = new Map();
      for (const e of this.lastOfKind.values()) {
        e.text = ownString(e.text);
        this.lastTexts.set(e.i, e.text);
      }
    }
    return this.lastTexts.get(i) ?? '';
  }

  int(i: number, col: number): number {
    return this.ints[i >>> BLOCK_BITS][(i & IN_BLOCK) * INTS + col];
  }
  setInt(i: number, col: number, v: number): void {
    this.ints[i >>> BLOCK_BITS][(i & IN_BLOCK) * INTS + col] = v;
  }
  num(i: number, col: number): number | undefined {
    const v = this.floats[i >>> BLOCK_BITS][(i & IN_BLOCK) * FLOATS + col];
    return v !== v ? undefined : v;
  }
  setNum(i: number, col: number, v: number | undefined): void {
    this.floats[i >>> BLOCK_BITS][(i & IN_BLOCK) * FLOATS + col] = v === undefined ? Number.NaN : v;
  }
  pid(i: number): number | undefined {
    const v = this.int(i, PID);
    return v === NO_PID ? this.oddPids.get(i) : v;
  }
  hash(i: number): number | undefined {
    const h = this.hashes[i >>> BLOCK_BITS];
    if (h === undefined) return undefined;
    const k = (i & IN_BLOCK) * 2;
    return h[k] === 0 ? undefined : (h[k] - 1) * 0x4000000 + h[k + 1];
  }
  str(i: number, col: number): string | undefined {
    const id = this.int(i, col);
    return id < 0 ? undefined : this.strings[id];
  }
}

/** What lean signals of one kind with equal data share: the kind, the data, and the run's events. */
interface LeanShape {
  /** Its place in LogIntake's shapes. */
  readonly id: number;
  readonly kind: string;
  readonly d: SignalData;
  /** How many keys `d` has. */
  readonly keys: number;
  readonly at: LeanEvents;
}

/**
 * A signal and its event (two fields, 40 bytes: the rest is in its shape and the run's
 * LeanEvents): what the rules read of an event — where (path, line), when, which process and thread,
 * level, dialect, and the worker as `workerIn` reads it from the whole line — and the line's text
 * when it is kept (they read the line itself only through the signal's data, worked out before).
 * `message` is empty, and `text` too past the kind's texts but for the last lean line of a kind:
 * evidence lists only lines with a text (engine.ts toEvidence), and the engine tells repeats read
 * from two files apart by `textHash`. A line that is a signal of several kinds is one row, which
 * each kind's signal reads (the engine tells a line by its `seq`, not by its event object).
 */
export class LeanSignal implements Signal, LogEvent {
  declare next?: string[];
  readonly #s: LeanShape;
  readonly #i: number;

  constructor(shape: LeanShape, i: number) {
    this.#s = shape;
    this.#i = i;
  }

  // (read from its column too: a field of its own cost 8 bytes a signal, 6 MB over an outage's lines)
  get seq(): number {
    return this.#s.at.int(this.#i, SEQ);
  }

  get kind(): string {
    return this.#s.kind;
  }
  get d(): SignalData {
    return this.#s.d;
  }
  get ev(): LogEvent {
    return this;
  }
  get path(): string {
    return this.#s.at.str(this.#i, PATH) ?? '';
  }
  get line(): number {
    return this.#s.at.int(this.#i, LINE);
  }
  get dialect(): LogDialect {
    return DIALECTS[this.#s.at.int(this.#i, CODES) & 0xff];
  }
  set dialect(v: LogDialect) {
    const c = this.#s.at.int(this.#i, CODES);
    this.#s.at.setInt(this.#i, CODES, (c & ~0xff) | (dialectCode.get(v) ?? 0));
  }
  get level(): LogLevel | undefined {
    return LEVELS[this.#s.at.int(this.#i, CODES) >>> 8];
  }
  get pid(): number | undefined {
    return this.#s.at.pid(this.#i);
  }
  get tid(): string | undefined {
    return this.#s.at.str(this.#i, TID);
  }
  get worker(): string | undefined {
    return this.#s.at.str(this.#i, WORKER);
  }
  get ts(): number | undefined {
    return this.#s.at.num(this.#i, TS);
  }
  get prevTs(): number | undefined {
    return this.#s.at.num(this.#i, PREV);
  }
  set prevTs(v: number | undefined) {
    this.#s.at.setNum(this.#i, PREV, v);
  }
  /** The line, when kept with its text or the last lean line of a kind (LeanEvents.lastOf); else ''. */
  get text(): string {
    return this.#s.at.text(this.#i);
  }
  get message(): string {
    return '';
  }
  get fields(): Record<string, string | number> {
    return NO_FIELDS;
  }
  /** The 52-bit hash of the line's trimmed text; undefined when the run could not read a line twice (one input). */
  get textHash(): number | undefined {
    return this.#s.at.hash(this.#i);
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

/** Same keys and values (a signal's data: flat); `keysOfA`: how many keys `a` has. */
function sameData(a: SignalData, keysOfA: number, b: SignalData): boolean {
  let n = 0;
  for (const k in b) {
    const v = b[k];
    if (a[k] !== v || (v === undefined && !(k in a))) return false;
    n++;
  }
  return n === keysOfA;
}

function keyCount(d: SignalData): number {
  let n = 0;
  for (const _ in d) n++;
  return n;
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
 * as written matches (already `i`, or nothing in it has a case: a status pattern such as
 * `\b(5\d\d)\b`, which the 5xx signal ran on every access log line, twice, before it read the
 * parsed status instead).
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
  /** Its place among the files, from 0. */
  readonly id: number;
  /** Line number of the file's last event. */
  line: number;
  /** Its lines that matched a signal, once a line can be read twice (LogIntake.isRepeat). */
  lines: LinesSeen | undefined;
  /** Position and stamp of the file's last stamped event. */
  stampSeq: number;
  stampTs: number;
  /** Highest stamp of the file. */
  maxTs: number;
}

/** Lean shapes remembered per kind (LogIntake.shapeOf). */
const SHAPES_KEPT = 8;

/** What the intake keeps per kind. */
interface KindState {
  /** Its signals kept with their line's text (MAX_SIGNALS_PER_KIND). */
  texts: number;
  /** Its last shapes, oldest first (equal data is shared: LogIntake.shapeOf). */
  readonly shapes: LeanShape[];
}

/**
 * Messages whose needles are remembered (LogIntake.hitsOf), and the longest one remembered: 4 MB of
 * them at most (a line may be a megabyte long; a message that long is not repeated anyway).
 */
const HITS_CACHED = 4096;
const MEMO_LONGEST = 1024;
/** The memo's hit rate is judged every MEMO_WINDOW lookups; when low, it rests for MEMO_REST lines. */
const MEMO_WINDOW = 1024;
const MEMO_REST = 16_384;
const NO_DEFS: readonly SignalDef[] = [];

/** A growable list of 32-bit integers. */
class IntList {
  a: Int32Array;
  length = 0;
  constructor(capacity = 16) {
    this.a = new Int32Array(capacity);
  }
  push(v: number): number {
    if (this.length === this.a.length) this.a = grown(this.a, this.a.length * 2);
    this.a[this.length] = v;
    return this.length++;
  }
}

/**
 * The line numbers of one file that matched a signal (LogIntake.isRepeat): in a list while they come in
 * ascending order, as a file's lines do (4 bytes a line, a binary search for a line at or below the
 * last one: the same file given again), in a Set once one does not (two readings interleaved).
 */
class LinesSeen {
  private readonly list = new IntList();
  private set: Set<number> | undefined;

  /** Adds `line`: false when it was there already. */
  add(line: number): boolean {
    const set = this.set;
    if (set !== undefined) return set.size !== set.add(line).size;
    const l = this.list;
    if (l.length === 0 || line > l.a[l.length - 1]) {
      l.push(line);
      return true;
    }
    let lo = 0;
    let hi = l.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = l.a[mid];
      if (v === line) return false;
      if (v < line) lo = mid + 1;
      else hi = mid - 1;
    }
    this.set = new Set(l.a.subarray(0, l.length));
    this.set.add(line);
    return true;
  }
}

/** `LogIntake.row` of a line read before (isRepeat): nothing of it is kept. */
const REPEAT = -2;

/**
 * Text hashes (52-bit, ≥ 0) → a file id: open addressing over typed arrays, 12 bytes a slot at most
 * half full (a Map boxed every key, ~45 bytes an entry, for a million matched lines).
 */
class FirstPaths {
  private keys = new Float64Array(1 << 10).fill(-1);
  private vals = new Int32Array(1 << 10);
  private size = 0;

  /** The file id of `key`, or -1. */
  get(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = slot(key, mask); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) return this.vals[i];
      if (k === -1) return -1;
    }
  }

  /** Sets `key` (not there yet) to `file`. */
  set(key: number, file: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = slot(key, mask);
    while (keys[i] !== -1) i = (i + 1) & mask;
    keys[i] = key;
    this.vals[i] = file;
    this.size++;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.vals = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i], vals[i]);
  }
}

/** A slot for a 52-bit hash: its two 26-bit halves mixed (Fibonacci hashing), masked. */
function slot(key: number, mask: number): number {
  const h = (key % 0x4000000) ^ Math.floor(key / 0x4000000);
  return Math.imul(h, 0x9e3779b1) & mask;
}

/**
 * A kind's signals as read: each one's event and shape (`shape`, the same for all while `shapes` is
 * unset: most kinds of an outage repeat one shape, 4 bytes a signal for nothing), the `next` texts
 * of those that collect them, and how many are objects already.
 */
interface LeanEntries {
  events: IntList;
  shapes: IntList | undefined;
  shape: number;
  next: Map<number, string[]> | undefined;
  made: number;
}

/**
 * kind → signals in input order (those with their text, then the lean ones), made into objects
 * (LeanSignal) only when their kind is first asked for (`get`, or any walk over the lists).
 * Until then a signal is its event's row and 4 to 8 bytes; a kind no rule reads in a run (an outage
 * log's generic errno line, a retry line no rule looks at there) never becomes objects. The objects
 * are made once: the same signal is the same object whoever asks. `count` answers without making them.
 */
export class SignalLists extends Map<string, Signal[]> {
  private readonly lean = new Map<string, LeanEntries>();
  constructor(
    private readonly at: LeanEvents,
    private readonly shapes: readonly LeanShape[],
  ) {
    super();
  }

  /** The kind's signals made into objects so far (none is made). */
  made(kind: string): Signal[] | undefined {
    return super.get(kind);
  }

  /** Appends a signal of `kind` (its event and shape); returns its place among the kind's ones. */
  addLean(kind: string, event: number, shape: number): number {
    let e = this.lean.get(kind);
    if (e === undefined) this.lean.set(kind, (e = { events: new IntList(), shapes: undefined, shape, next: undefined, made: 0 }));
    else if (e.shapes !== undefined) e.shapes.push(shape);
    else if (shape !== e.shape) {
      // a second shape: from here on, one a signal
      const shapes = (e.shapes = new IntList(e.events.length + 1));
      shapes.a.fill(e.shape, 0, e.events.length);
      shapes.length = e.events.length;
      shapes.push(shape);
    }
    return e.events.push(event);
  }

  /** The texts after the signal at `pos` of `kind` (SignalDef.following) will be `next`. */
  nextOf(kind: string, pos: number, next: string[]): void {
    const e = this.lean.get(kind)!;
    (e.next ??= new Map()).set(pos, next);
  }

  /** How many signals of `kind` there are (none made for it). */
  count(kind: string): number {
    const e = this.lean.get(kind);
    return (super.get(kind)?.length ?? 0) + (e === undefined ? 0 : e.events.length - e.made);
  }

  override get(kind: string): Signal[] | undefined {
    this.make(kind);
    return super.get(kind);
  }

  override values(): MapIterator<Signal[]> {
    this.makeAll();
    return super.values();
  }

  override entries(): MapIterator<[string, Signal[]]> {
    this.makeAll();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Signal[]]> {
    return this.entries();
  }

  override forEach(fn: (value: Signal[], key: string, map: Map<string, Signal[]>) => void, thisArg?: unknown): void {
    this.makeAll();
    super.forEach(fn, thisArg);
  }

  private makeAll(): void {
    for (const kind of this.lean.keys()) this.make(kind);
  }

  private make(kind: string): void {
    const e = this.lean.get(kind);
    if (e === undefined || e.made === e.events.length) return;
    const list = super.get(kind);
    if (list === undefined) return;
    for (let k = e.made; k < e.events.length; k++) {
      const i = e.events.a[k];
      // (each kind's signal of a line is an object of its own, reading the line's one row: a table of
      // the objects by row, for the line's kinds to share one, cost 8 bytes a row for nothing)
      const sg = new LeanSignal(this.shapes[e.shapes === undefined ? e.shape : e.shapes.a[k]], i);
      const next = e.next?.get(k);
      if (next !== undefined) sg.next = next;
      list.push(sg);
    }
    e.made = e.events.length;
  }
}

export interface LogIntakeOptions {
  /**
   * The run reads one input: a line cannot be read twice from two files, so the events need not
   * carry their text's hash (~0.2 µs a line).
   */
  oneSource?: boolean;
}

export class LogIntake {
  /** The events of the signals. */
  private readonly leanEvents = new LeanEvents();
  /** Every shape made, by id. */
  private readonly allShapes: LeanShape[] = [];
  /** kind → signals in input order (made into objects when first asked for). */
  readonly signals = new SignalLists(this.leanEvents, this.allShapes);
  /** Events seen. */
  count = 0;
  /** Events that matched a signal: one a line, whatever its kinds (one row). */
  matched = 0;
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
  private readonly hitList: SignalDef[] = [];
  private readonly files = new Map<string, FileState>();
  private lastPath: string | undefined;
  private lastFile: FileState | undefined;
  private lastDialect: LogDialect | undefined;
  /**
   * The same line may have been read twice: several files, or a line number not above the one
   * before it in its file (the same file given twice); from then on each matched line is checked (isRepeat).
   */
  repeatsPossible = false;
  /** Lines that matched a kind past MAX_LEAN_SIGNALS: kind → how many were not kept. */
  readonly unread = new Map<string, number>();
  /** Signals kept lean so far (over all kinds: MAX_LEAN_SIGNALS). */
  leanSignals = 0;
  /** Per kind: its lines kept with their text, and its last shapes. */
  private readonly kinds = new Map<string, KindState>();
  /**
   * The needle definitions found in recent messages (none: an empty list). A log repeats its
   * messages: mod_jk writes the same refused connect for every request while a backend is down, and
   * the needle regex ran on each (0.7 CPU-s for a million lines). Keyed by the message itself (its
   * own copy), so the answer is the regex's.
   */
  private readonly hitsOf = new Map<string, readonly SignalDef[]>();
  /** Lookups of the memo and how many found their message, in the current window; lookups left while it rests. */
  private memoLooks = 0;
  private memoHits = 0;
  private memoOff = 0;
  /** Events carry their text's hash (repeats across files): not when the run reads one input. */
  private readonly hashLean: boolean;
  /** The text of the last row kept with its text, as its own string (identical lines share it). */
  private textOwn = '';
  /** Matched lines dropped as read before (isRepeat). */
  repeated = 0;
  /** The current event's file, and its text's hash once worked out. */
  private lineFile: FileState | undefined;
  private lineHash: number | undefined;
  /** Text hash → the file (FileState.id) where it was first read, once a line can be read twice and the run hashes. */
  private firstPaths: FirstPaths | undefined;
  /** The current event's row (-1: none yet), and whether it holds its text. */
  private row = -1;
  private texted = false;
  /** The definitions read from the parsed line (SignalDef.fromEvent), by dialect. */
  private readonly eventDefs = new Map<LogDialect, SignalDef[]>();
  /** `next` lists of signals still collecting the texts of the events after them (SignalDef.following). */
  private waiting: { next: string[]; left: number }[] = [];

  /**
   * `defs`: the signals to find (rules' `collectSignals`); `maxPerKind`: signals kept with their
   * line per kind; `maxLean`: signals kept lean past it, over all kinds.
   */
  constructor(
    defs: readonly SignalDef[],
    readonly maxPerKind = MAX_SIGNALS_PER_KIND,
    readonly maxLean = MAX_LEAN_SIGNALS,
    opts: LogIntakeOptions = {},
  ) {
    this.hashLean = opts.oneSource !== true;
    for (const d of defs) {
      this.signals.set(d.kind, []);
      for (const dialect of d.fromEvent?.dialects ?? []) {
        let arr = this.eventDefs.get(dialect);
        if (arr === undefined) this.eventDefs.set(dialect, (arr = []));
        arr.push(d);
      }
    }
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
        this.files.set(path, (file = { id: this.files.size, line: 0, lines: undefined, stampSeq: -Infinity, stampTs: 0, maxTs: Number.NEGATIVE_INFINITY }));
        if (this.files.size > 1 && !this.repeatsPossible) this.startRepeats();
      }
      this.lastPath = path;
      this.lastFile = file;
    }
    if (ev.line <= file.line && !this.repeatsPossible) this.startRepeats();
    this.lineFile = file;
    file.line = ev.line;
    const ts = ev.ts;
    const prevTs = ts !== undefined && seq - file.stampSeq <= PREV_WINDOW ? file.stampTs : undefined;
    if (ts !== undefined) {
      file.stampSeq = seq;
      file.stampTs = ts;
      if (ts > file.maxTs) file.maxTs = ts;
    }
    this.row = -1;
    this.texted = false;
    this.lineHash = undefined;
    // the signals read from the parsed line (SignalDef.fromEvent), for its dialect
    const byEvent = this.eventDefs.get(dialect);
    if (byEvent !== undefined)
      for (let k = 0; k < byEvent.length; k++) {
        const d = byEvent[k];
        const data = d.fromEvent!.data(ev);
        if (data !== null) this.record(d, data, ev, seq, prevTs, ev.text);
      }
    const any = this.any;
    // (a jk line's message is scanned where it lies, in its line or input chunk: no string made for it)
    if (any !== null && messageTest(ev, this.mayOccur)) this.byNeedles(ev, seq, prevTs, any);
    if (this.row >= 0) this.matched++;
  }

  /** The signals whose needles occur in the event's message (`any`: their regex), by their pattern. */
  private byNeedles(ev: LogEvent, seq: number, prevTs: number | undefined, any: RegExp): void {
    const msg = ev.message ?? ev.text;
    let hit: readonly SignalDef[] | undefined;
    if (this.memoOff > 0 || msg.length > MEMO_LONGEST) {
      if (this.memoOff > 0) this.memoOff--;
      hit = this.needlesIn(msg, any, false);
    } else {
      hit = this.hitsOf.get(msg);
      if (hit !== undefined) this.memoHits++;
      else {
        hit = this.needlesIn(msg, any, true);
        if (this.hitsOf.size >= HITS_CACHED) this.hitsOf.clear();
        this.hitsOf.set(ownString(msg), hit);
      }
      // Messages that do not repeat (a number in each) cost a copy and an entry for nothing: the memo
      // rests while fewer than a quarter of the last lookups found their message.
      if (++this.memoLooks === MEMO_WINDOW) {
        if (this.memoHits < MEMO_WINDOW / 4) this.memoOff = MEMO_REST;
        this.memoLooks = this.memoHits = 0;
      }
    }
    if (hit.length === 0) return;
    // the line, made once (a jk event cuts it from its chunk each time it is asked for)
    let text: string | undefined;
    for (let k = 0; k < hit.length; k++) {
      const d = hit[k];
      // The pattern and the facts on the line as read: most lines whose needle was found are not the
      // signal and leave nothing behind.
      const r = matchDef(d, (text ??= ev.text));
      if (!r) continue;
      const data = d.data ? d.data(r, ev) : {};
      if (data !== null) this.record(d, data, ev, seq, prevTs, text);
    }
  }

  /** A signal of `d` on the event (`text`: its line): its row (the line's, made at its first signal), text and shape. */
  private record(d: SignalDef, data: SignalData, ev: LogEvent, seq: number, prevTs: number | undefined, text: string): void {
    if (this.row === REPEAT) return;
    // a line read before is dropped before it takes a row or any of the bounds
    if (this.row < 0 && this.repeatsPossible && this.isRepeat(ev.line, text)) {
      this.row = REPEAT;
      this.repeated++;
      return;
    }
    const kind = this.kindOf(d.kind);
    const withText = kind.texts < this.maxPerKind;
    if (withText) kind.texts++;
    else if (this.leanSignals < this.maxLean) this.leanSignals++;
    else {
      this.unread.set(d.kind, (this.unread.get(d.kind) ?? 0) + 1);
      return;
    }
    // Only its row and its shape: the object is made when a rule asks for the kind (SignalLists).
    const shape = this.shapeOf(kind, d.kind, data);
    let row = this.row;
    if (row < 0) {
      row = this.row = this.leanEvents.add(seq, ev, workerIn(ev), ev.tid, this.hashLean ? (this.lineHash ??= textHash(text.trim())) : undefined);
      if (prevTs !== undefined) this.leanEvents.setNum(row, PREV, prevTs);
    }
    if (!withText) this.leanEvents.lastOf(d.kind, row, text);
    else if (!this.texted) {
      this.texted = true;
      // identical lines (a paste given twice) share one copy
      if (text !== this.textOwn) this.textOwn = ownString(text);
      this.leanEvents.setText(row, this.textOwn);
    }
    const pos = this.signals.addLean(d.kind, row, shape.id);
    if (d.following) {
      const next: string[] = [];
      this.signals.nextOf(d.kind, pos, next);
      this.waiting.push({ next, left: d.following });
    }
  }

  /**
   * The kind and data of a lean signal, shared with an earlier one of the same kind and equal data
   * when one of the last few is: a log repeats a handful of them (a refused connect with and without
   * its worker, a few backends), and an object of data each cost ~80 bytes a line.
   */
  private shapeOf(state: KindState, kind: string, data: SignalData): LeanShape {
    const recent = state.shapes;
    for (let k = 0; k < recent.length; k++) {
      const sh = recent[k];
      if (sameData(sh.d, sh.keys, data)) return sh;
    }
    const sh: LeanShape = { id: this.allShapes.length, kind, d: ownData(data), keys: keyCount(data), at: this.leanEvents };
    this.allShapes.push(sh);
    // the oldest one out when full (the order is never changed: a log alternating between two shapes
    // of a kind, with and without the worker, moved them at every line)
    if (recent.length >= SHAPES_KEPT) recent.shift();
    recent.push(sh);
    return sh;
  }

  /**
   * The definitions whose needles occur in `msg`, in the order found: a list of their own when `keep`
   * (the memo holds it), else the intake's scratch list, good until the next call.
   */
  private needlesIn(msg: string, any: RegExp, keep: boolean): readonly SignalDef[] {
    any.lastIndex = 0;
    let m = any.exec(msg);
    if (!m) return NO_DEFS;
    const hit = this.hit;
    hit.clear();
    for (; m; m = any.exec(msg)) {
      for (const d of this.owners.get(m[0].toLowerCase())!) hit.add(d);
      // needles contained in the matched one (e.g. "tomcat failed" inside a longer needle) would be skipped by the scan
      any.lastIndex = m.index + 1;
    }
    if (keep) return [...hit];
    const list = this.hitList;
    list.length = 0;
    for (const d of hit) list.push(d);
    return list;
  }

  private kindOf(kind: string): KindState {
    let k = this.kinds.get(kind);
    if (k === undefined) this.kinds.set(kind, (k = { texts: 0, shapes: [] }));
    return k;
  }

  private follow(ev: LogEvent): void {
    const text = ownString(ev.text);
    for (const w of this.waiting) {
      w.next.push(text);
      w.left--;
    }
    this.waiting = this.waiting.filter((w) => w.left > 0);
  }

  /**
   * Whether the current line, which matched a signal, was read before (`text`: the line; its file is
   * `lineFile`), and it is noted as read. A log given twice, or the debug and info logs of one run
   * (JkLogLevel debug in one file, info in another), must not double every count. Only lines that
   * matched a signal are compared, and only across files: in one file, two identical lines are two
   * events (httpd stamps to the second). A line is a repeat when its path and line were read before
   * (the same file given twice), or when its text (its 52-bit hash; none when the run reads one
   * input) was first read in another file. Told as the lines are read, so that a repeat takes no row
   * and none of the bounds: an outage's debug and info logs given together (the same million lines
   * twice) spent the 2,000,000 lean signals on both and cut the counts at half the outage.
   */
  private isRepeat(line: number, text: string): boolean {
    const file = this.lineFile!;
    let repeat = !(file.lines ??= new LinesSeen()).add(line);
    const firstPaths = this.firstPaths;
    if (firstPaths !== undefined) {
      const hash = (this.lineHash ??= textHash(text.trim()));
      const p = firstPaths.get(hash);
      if (p >= 0 && p !== file.id) repeat = true;
      else if (p < 0 && !repeat) firstPaths.set(hash, file.id);
    }
    return repeat;
  }

  /**
   * From here on a line may be read twice (a second file, or a line number not above the one before
   * it in its file): the lines read so far, none of them a repeat, are noted from their rows.
   */
  private startRepeats(): void {
    this.repeatsPossible = true;
    const firstPaths = this.hashLean ? (this.firstPaths = new FirstPaths()) : undefined;
    const at = this.leanEvents;
    for (let i = 0; i < at.length; i++) {
      const file = this.files.get(at.str(i, PATH) ?? '')!;
      (file.lines ??= new LinesSeen()).add(at.int(i, LINE));
      const hash = at.hash(i);
      if (firstPaths !== undefined && hash !== undefined && firstPaths.get(hash) < 0) firstPaths.set(hash, file.id);
    }
  }

  /**
   * The stamps of the lines that matched a signal, once each (their rows: a line read twice has none),
   * in input order: read from the columns, without making a signal.
   */
  lineTimes(): number[] {
    const at = this.leanEvents;
    const out: number[] = [];
    for (let i = 0; i < at.length; i++) {
      const ts = at.num(i, TS);
      if (ts !== undefined) out.push(ts);
    }
    return out;
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
    // every signal's event is a row (the objects made already read theirs)
    this.leanEvents.relabel(isapi);
    return this;
  }
}
