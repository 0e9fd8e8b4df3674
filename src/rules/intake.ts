/**
 * Log events → signals, one event at a time as the logs are read (issue 14: logs streamed). What a
 * run keeps is bounded by what matched: each event is looked at once and dropped, except those that
 * matched a signal, each kept as a row of typed columns (`LeanEvents`: when, where and who) and,
 * for a kind's first lines, its text as a string of its own (no view into the chunk it was read
 * from). Besides the signals, only per-file and per-run facts the rules read are kept (last stamps,
 * dialects, debug level, the first jk version line).
 */
import type { LogDialect, LogEvent, LogSummary } from '../logs/types.js';
import { ownString } from '../logs/keep.js';
import { messageTest } from '../logs/index.js';
import type { SignalData, SignalDef } from './signal-types.js';
import { workerIn } from './signals.js';
import { trieSource } from '../util/trie-regex.js';
import { LiteralScan } from '../util/literal-scan.js';
import { LeanEvents, LINE, PATH, PREV, SignalLists, textHash, TS, type LeanShape } from './rows.js';
import { FirstPaths, LinesSeen } from './repeats.js';

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
  /** Highest stamp of a line of the file that shows a request being handled (requestLine), within ACTIVE_STEP. */
  activeTs: number;
}

/**
 * How close `FileState.activeTs` follows the last request line: a line is looked at only when its
 * stamp is this far past the last one found, so that a log of millions of lines looks at a few per
 * second of its time (the rules ask whether requests went on 30 s after something).
 */
const ACTIVE_STEP = 1000;

/** mod_jk functions that run at start-up or reconfiguration, not for a request (jk_ajp_common.c, mod_jk.c, jk_shm.c, jk_uri_worker_map.c, jk_worker.c, jk_map.c). */
const JK_STARTUP_FN = /^(?:init_jk|jk_child_init|jk_post_config|jk_shm_|do_shm_|jk_map_|uri_worker_map_|wc_|ajp_(?:validate|init|create_endpoint_cache|worker_factory|destroy)|lb_(?:init|validate)|init_ws_service|jk_set_|jk_add_)/;

/**
 * A line that shows a request being handled: httpd's request-scoped calls (ap_log_rerror: `[client
 * ip:port]`), a mod_jk line of a worker, a request id, or a request's function, a request log or
 * access log line. Start-up and configuration lines (an httpd restart's mod_ssl warnings, mod_jk's
 * `initialized`) are not: a log that goes on with those alone does not say that requests were served.
 */
function requestLine(ev: LogEvent): boolean {
  switch (ev.dialect) {
    case 'httpd':
      return ev.fields.client !== undefined;
    case 'modjk':
    case 'isapi': {
      if (ev.worker !== undefined || ev.requestId !== undefined) return true;
      const fn = ev.source?.fn;
      return fn !== undefined && !JK_STARTUP_FN.test(fn);
    }
    case 'jk-request':
    case 'access':
      return true;
    default:
      return false;
  }
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

/** `LogIntake.row` of a line read before (isRepeat): nothing of it is kept. */
const REPEAT = -2;

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
  readonly signals = new SignalLists(this.allShapes);
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
  /** The current event's text hash, once worked out. */
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
   * Last stamp of a line of `path` that shows a request being handled (to ACTIVE_STEP, a second):
   * after it, the file holds start-up lines and the like at most.
   */
  lastActiveTs(path: string): number | undefined {
    const f = this.files.get(path);
    return f === undefined || f.activeTs === Number.NEGATIVE_INFINITY ? undefined : f.activeTs;
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
        this.files.set(path, (file = { id: this.files.size, line: 0, lines: undefined, stampSeq: -Infinity, stampTs: 0, maxTs: Number.NEGATIVE_INFINITY, activeTs: Number.NEGATIVE_INFINITY }));
        if (this.files.size > 1 && !this.repeatsPossible) this.startRepeats();
      }
      this.lastPath = path;
      this.lastFile = file;
    }
    if (ev.line <= file.line && !this.repeatsPossible) this.startRepeats();
    file.line = ev.line;
    const ts = ev.ts;
    const prevTs = ts !== undefined && seq - file.stampSeq <= PREV_WINDOW ? file.stampTs : undefined;
    if (ts !== undefined) {
      file.stampSeq = seq;
      file.stampTs = ts;
      if (ts > file.maxTs) file.maxTs = ts;
      if (ts > file.activeTs + ACTIVE_STEP && requestLine(ev)) file.activeTs = ts;
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
    const pos = this.signals.append(d.kind, row, shape.id);
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
   * `lastFile`), and it is noted as read. A log given twice, or the debug and info logs of one run
   * (JkLogLevel debug in one file, info in another), must not double every count. Only lines that
   * matched a signal are compared, and only across files: in one file, two identical lines are two
   * events (httpd stamps to the second). A line is a repeat when its path and line were read before
   * (the same file given twice), or when its text (its 52-bit hash; none when the run reads one
   * input) was first read in another file. Told as the lines are read, so that a repeat takes no row
   * and none of the bounds: an outage's debug and info logs given together (the same million lines
   * twice) spent the 2,000,000 lean signals on both and cut the counts at half the outage.
   */
  private isRepeat(line: number, text: string): boolean {
    const file = this.lastFile!;
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
