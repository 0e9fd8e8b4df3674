/**
 * The rows of the intake (rules/intake.ts): each matched line's event as a row of typed columns
 * (`LeanEvents`), its signals as entries of their kind's list (`SignalLists`), made into objects
 * (`LeanSignal`) that read their row only when a rule asks for their kind.
 */
import type { LogDialect, LogEvent, LogLevel } from '../logs/types.js';
import { ownString } from '../logs/keep.js';
import type { Signal, SignalData } from './signal-types.js';
import { grown } from '../util/grown.js';

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
export const LINE = 0;
export const PATH = 1;
const TID = 2;
const WORKER = 3;
const CODES = 4;
const SEQ = 5;
const PID = 6;
const INTS = 7;
const NO_PID = -0x80000000;
/** Number columns: stamp, the quiet time's stamp (`Signal.prevTs`); NaN for none. */
export const TS = 0;
export const PREV = 1;
const FLOATS = 2;
/** Events a block: the columns grow a block at a time, never copied. */
const BLOCK_BITS = 13;
const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

/**
 * The events of the signals, a column each in typed arrays (44 bytes an event, 52 with hashes, nothing
 * for the collector to trace): what the rules read of an event, and beside them the texts of the
 * lines kept with theirs. Strings (paths, thread ids, workers) are kept once each and named by
 * number. A line that is a signal of several kinds is one event.
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
export interface LeanShape {
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

/** A growable list of 32-bit integers. */
export class IntList {
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
  /** `shapes`: every shape, by id (LogIntake's). */
  constructor(private readonly shapes: readonly LeanShape[]) {
    super();
  }

  /** The kind's signals made into objects so far (none is made). */
  made(kind: string): Signal[] | undefined {
    return super.get(kind);
  }

  /** Appends a signal of `kind` (its event and shape); returns its place among the kind's ones. */
  append(kind: string, event: number, shape: number): number {
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

  /** How many kinds have a signal. */
  kindsSeen(): number {
    return this.lean.size;
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
