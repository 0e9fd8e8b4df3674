/**
 * mod_jk and ISAPI redirector `JkLogFile` lines, every 1.2.x layout (jk_log() in
 * native/common/jk_util.c; the layout history is in jk-log-catalog.md §1.2), plus JkRequestLog lines
 * (request_log_transaction() in mod_jk.c: stamp + formatted line only).
 */
import type { LogDialect, LogEvent, LogLevel } from '../types.js';
import { EMPTY_FIELDS, hasKeys, jkFields, jkVersion, jkWorkerNamed, type Fields } from '../fields.js';
import { newEvent, type DialectParser, type DialectSample, type LineContext } from './common.js';
import { flatCopy, scanHead, type Head } from './head.js';

/** Fixed request ids of the ISAPI redirector (jk_isapi_plugin.c, 1.2.49+); Apache uses others. */
const ISAPI_IDS = new Set(['FILTER', 'EXTENSION', 'INIT_JK', 'INIT_EXTENSION', 'INIT_WS_SERVICE', 'TERMINATE_FILTER']);

/**
 * Source objects are shared between events (a log has a few hundred distinct call sites and
 * millions of lines): fewer objects kept alive, less GC. Treat `event.source` as read-only.
 */
const sourceCache = new Map<string, NonNullable<LogEvent['source']>>();

/** The shared, frozen source object for `func::file.c (line` at `text[pos..close)`. */
function sourceAt(text: string, pos: number, sp: number, close: number): NonNullable<LogEvent['source']> {
  const key = text.slice(pos, close);
  let src = sourceCache.get(key);
  if (src === undefined) {
    const token = text.slice(pos, sp);
    const dc = token.indexOf('::');
    const num = Number(text.slice(sp + 2, close));
    const line = Number.isInteger(num) ? num : undefined;
    src = Object.freeze(
      dc >= 0 ? { file: token.slice(dc + 2), line, fn: token.slice(0, dc) } : { file: token, line, fn: undefined },
    );
    if (sourceCache.size >= 20_000) sourceCache.clear();
    sourceCache.set(key, src);
  }
  return src;
}

/**
 * Finds the source location `func::file.c (line): ` at `pos`; records where it is on the event
 * (the object is built when read) and returns the message start, or -1 when there is none.
 */
function readSource(text: string, pos: number, ev: JkLogEvent): number {
  // `func::file.c (line): `: the first blank is followed by `(` (one search for the blank: a search
  // for ` (` cost 2–4× as much, and ran to the end of every line of nginx's error log, which a
  // custom-stamp jk head matches)
  const sp = text.indexOf(' ', pos);
  if (sp < 0 || text.charCodeAt(sp + 1) !== 40 || sp - pos < 3 || sp - pos > 120) return -1;
  // The file is always a .c file (`__FILE__` basename).
  if (text.charCodeAt(sp - 1) !== 99 || text.charCodeAt(sp - 2) !== 46) return -1;
  const close = text.indexOf(')', sp + 2);
  if (close < 0 || close - sp > 12 || text.charCodeAt(close + 1) !== 58) return -1;
  ev.setSourceSpan(pos, sp, close);
  // (`is` of `jk_isapi_plugin.c` tested first: startsWith on a sliced string is not cheap)
  if (sp - pos >= 17 && text.charCodeAt(sp - 14) === 105 && text.charCodeAt(sp - 13) === 115 && text.startsWith('jk_isapi_plugin.c', sp - 17)) {
    ev.dialect = 'isapi';
  }
  let m = close + 2;
  if (text.charCodeAt(m) === 32) m++;
  return m;
}

/** `(worker) ` prefix of jk_ajp_common.c messages (most since 1.2.41, some since 1.2.19). */
function workerPrefix(msg: string): string | undefined {
  if (msg.charCodeAt(0) !== 40) return undefined;
  const c = msg.indexOf(') ');
  if (c < 2 || c > 80) return undefined;
  for (let i = 1; i < c; i++) {
    const ch = msg.charCodeAt(i);
    if (ch === 32 || ch === 40 || ch === 41) return undefined; // also rejects `(unset worker) `
  }
  return shareWorker(msg.slice(1, c));
}

/** A log names a handful of workers on millions of lines: every event shares one string per name. */
function shareWorker(w: string): string {
  let shared = workerNames.get(w);
  if (shared === undefined) {
    if (workerNames.size >= 4096) workerNames.clear();
    shared = flatCopy(w);
    workerNames.set(shared, shared);
  }
  return shared;
}

const workerNames = new Map<string, string>();


function dialectOf(ev: JkLogEvent): LogDialect {
  if (ev.dialect === 'isapi') return 'isapi'; // source file jk_isapi_plugin.c, see readSource
  if (ev.requestId !== undefined && ISAPI_IDS.has(ev.requestId)) return 'isapi';
  if (ev.version !== undefined && ev.version.startsWith('isapi')) return 'isapi';
  return 'modjk';
}

function computeFields(msg: string, worker: string | undefined): Fields {
  const f: Fields = {};
  jkFields(msg, f);
  if (worker !== undefined && f.worker === undefined) f.worker = worker;
  // Most debug lines carry no fields: they share one frozen empty object.
  return hasKeys(f) ? f : EMPTY_FIELDS;
}

/**
 * Stamps are epoch milliseconds (a heap-allocated double each, 16 bytes and one more object for the
 * GC to copy per kept event); as a difference to a base taken from the first stamp seen they fit
 * in a small integer (V8 Smi) for any log within ±12 days of it. Others are stored as they are
 * (`[v]` for the odd value that would read as a difference: near 1970, or NaN).
 */
const SMALL = 2 ** 30;
/** `#span`: 20 bits of start (chunks are ≤ 1 MiB), 11 of length: a V8 Smi. */
const SPAN_START = 0xfffff;
let tsBase = Number.NaN;

function packTs(v: number): number | [number] {
  if (Number.isNaN(tsBase) && Number.isFinite(v)) tsBase = Math.round(v);
  const d = v - tsBase;
  if (Number.isInteger(d) && d > -SMALL && d < SMALL) return d;
  return Math.abs(v) >= SMALL ? v : [v];
}

/**
 * A jk line. `fields` is computed on first read: a million-line debug log is parsed at well over
 * a million lines a second because the rules look at the fields of a few lines only. Serialises
 * (`toJSON`) like a plain LogEvent; spread copies (`{...ev}`) carry neither `text`, `message`,
 * `fields` nor `source` (all accessors).
 *
 * Memory: `readLogs` keeps every event, so each one is kept small. `message` is a tail of `text`
 * and is stored as its start offset (the string is made when read): one object and 32 bytes less
 * per event, and fewer objects that survive young-generation GC, which is what retaining a
 * million events costs most.
 */
export class JkLogEvent implements LogEvent {
  path = '';
  line = 0;
  dialect: LogDialect = 'modjk';
  level: LogLevel | undefined = undefined;
  pid: number | undefined = undefined;
  tid: string | undefined = undefined;
  worker: string | undefined = undefined;
  // Rarely present: own properties only when set (a million events, 24 bytes each saved).
  declare requestId?: string;
  declare module?: string;
  declare version?: string;
  /** `ts`, stored as a small integer when it can be (see {@link packTs}). */
  #ts: number | [number] | undefined = undefined;
  /** The line, or (with `#span` ≥ 0) the input chunk the line is in. */
  #text: string;
  /** -1, or where the line is in the chunk `#text`: start | length << 20 (see {@link rebase}). */
  #span = -1;
  /** The message, or where it starts in `text` (it runs to the end of `text`, trailing blanks trimmed). */
  #msg: string | number;
  #fields: Fields | undefined = undefined;
  /**
   * The source object once read; before that, where `func::file.c (line` is in `text`, packed in
   * one small integer: start | (` (` − start) << 11 | (`)` − ` (`) << 18; -1 when there is none.
   */
  #src: LogEvent['source'] | number = -1;

  constructor(text: string, message: string | number) {
    this.#text = text;
    this.#msg = message;
  }

  get ts(): number | undefined {
    const v = this.#ts;
    if (typeof v === 'number') return v > -SMALL && v < SMALL ? tsBase + v : v;
    return v === undefined ? undefined : v[0];
  }

  set ts(v: number | undefined) {
    this.#ts = v === undefined ? undefined : packTs(v);
  }

  get text(): string {
    const sp = this.#span;
    if (sp < 0) return this.#text;
    const start = sp & SPAN_START;
    return this.#text.slice(start, start + (sp >>> 20));
  }

  /** Replacing `text` first resolves what is stored as offsets into the old one. */
  set text(t: string) {
    if (typeof this.#msg === 'number') this.#msg = this.message;
    if (typeof this.#src === 'number' && this.#src >= 0) this.#src = this.source;
    this.#text = t;
    this.#span = -1;
  }

  get message(): string {
    const m = this.#msg;
    if (typeof m === 'string') return m;
    const sp = this.#span;
    if (sp < 0) return this.#text.slice(m).trimEnd();
    const start = sp & SPAN_START;
    return this.#text.slice(start + m, start + (sp >>> 20)).trimEnd();
  }

  set message(m: string) {
    this.#msg = m;
  }

  /** The message is `text` from `start` on (trailing blanks trimmed when read). */
  setMessageStart(start: number): void {
    this.#msg = start;
  }

  /**
   * `test` over the message where it lies — its line or its input chunk, `text[from..to)`, trailing
   * blanks included — without making the message's string (a first look at every line of a log,
   * rules/intake.ts, made one string per line only to scan it).
   */
  messageTest(test: (text: string, from: number, to: number) => boolean): boolean {
    const m = this.#msg;
    if (typeof m === 'string') return test(m, 0, m.length);
    const sp = this.#span;
    if (sp < 0) return test(this.#text, m, this.#text.length);
    const start = sp & SPAN_START;
    return test(this.#text, start + m, start + (sp >>> 20));
  }

  /** Cheaper than `message === ''` (no string made). */
  get messageEmpty(): boolean {
    const m = this.#msg;
    if (typeof m === 'string') return m === '';
    const t = this.text;
    for (let i = m; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
    }
    return true;
  }

  get fields(): Fields {
    let f = this.#fields;
    if (f === undefined) {
      f = computeFields(this.message, this.worker);
      this.#fields = f;
    }
    return f;
  }

  set fields(f: Fields) {
    this.#fields = f;
  }

  get source(): LogEvent['source'] {
    const s = this.#src;
    if (typeof s !== 'number') return s;
    if (s < 0) return undefined;
    const start = s & 0x7ff;
    const paren = start + ((s >>> 11) & 0x7f);
    const src = sourceAt(this.text, start, paren, paren + (s >>> 18));
    this.#src = src;
    return src;
  }

  set source(s: LogEvent['source']) {
    this.#src = s;
  }

  setSourceSpan(start: number, paren: number, close: number): void {
    if (start > 0x7ff || paren - start > 0x7f || close - paren > 0x3ff) this.#src = sourceAt(this.text, start, paren, close);
    else this.#src = start | ((paren - start) << 11) | ((close - paren) << 18);
  }

  /**
   * The reader tells that `text` is `chunk[start..start + text.length)`: the event then keeps the
   * chunk (shared by thousands of events) and two small numbers instead of a string object of its
   * own, one object less per kept event for the GC to copy. Offsets in the line are unchanged.
   */
  rebase(chunk: string, start: number): void {
    const len = this.#text.length;
    if (this.#span >= 0 || start > SPAN_START || len >= 2048) return;
    this.#text = chunk;
    this.#span = start | (len << 20);
  }

  /**
   * A copy that shares nothing with the input chunk (what a caller keeps past the read: see
   * logs/keep.ts): the line as its own string (`own`, when given, is that string already: identical
   * lines share one), offsets unchanged, fields worked out again from it if read.
   */
  detached(own: string): JkLogEvent {
    const ev = new JkLogEvent(own, typeof this.#msg === 'number' ? this.#msg : flatCopy(this.#msg));
    ev.path = this.path;
    ev.line = this.line;
    ev.dialect = this.dialect;
    ev.level = this.level;
    ev.pid = this.pid;
    ev.tid = this.tid === undefined ? undefined : flatCopy(this.tid);
    ev.worker = this.worker === undefined ? undefined : flatCopy(this.worker);
    if (this.requestId !== undefined) ev.requestId = flatCopy(this.requestId);
    if (this.module !== undefined) ev.module = flatCopy(this.module);
    if (this.version !== undefined) ev.version = flatCopy(this.version);
    ev.#ts = this.#ts;
    const src = this.#src;
    // (a source object is shared and frozen, its strings read once per distinct source)
    ev.#src = src;
    if (this.#fields !== undefined && this.#fields !== EMPTY_FIELDS) {
      const f: Fields = {};
      for (const [k, v] of Object.entries(this.#fields)) f[k] = typeof v === 'string' ? flatCopy(v) : v;
      ev.#fields = f;
    } else ev.#fields = this.#fields;
    return ev;
  }

  toJSON(): LogEvent {
    return {
      path: this.path, line: this.line, text: this.text, dialect: this.dialect, ts: this.ts, level: this.level,
      pid: this.pid, tid: this.tid, source: this.source, worker: this.worker, requestId: this.requestId,
      module: this.module, message: this.message, fields: this.fields, version: this.version,
    };
  }
}

function fill(ev: JkLogEvent): JkLogEvent {
  const msg = ev.message;
  const w = workerPrefix(msg);
  if (w !== undefined) ev.worker = w;
  else if (msg.includes('worker')) {
    // `… for worker=X`, `worker with name 'X'`: the worker is named in the text, read it now
    // (only it: the other fields are read if and when a rule asks).
    const named = jkWorkerNamed(msg);
    if (named !== undefined) ev.worker = shareWorker(named);
  }
  const c = msg.charCodeAt(0);
  if ((c === 109 || c === 105) && msg.includes('/')) {
    const v = jkVersion(msg); // mod_jk/…, isapi_redirect/…
    if (v !== undefined) ev.version = v;
  }
  ev.dialect = dialectOf(ev);
  return ev;
}

/** Completes a jk line from its scanned head; null when no `file.c (line): ` follows. */
export function finishJk(text: string, head: Head): LogEvent | null {
  const ev = new JkLogEvent(text, '');
  if (head.kind === 'jk-old') {
    const src = head.oldSource ?? '';
    const p = src.indexOf(' (');
    ev.source = { file: src.slice(0, p), line: Number(src.slice(p + 2, -1)), fn: undefined };
    ev.setMessageStart(head.pos);
  } else {
    const m = readSource(text, head.pos, ev);
    if (m < 0) return null;
    ev.setMessageStart(m);
  }
  ev.ts = head.ts;
  ev.level = head.level;
  ev.pid = head.pid;
  ev.tid = head.tid;
  if (head.requestId !== undefined) ev.requestId = head.requestId;
  return fill(ev);
}

/** A jk line pasted without stamp and level: `ajp_send_request::jk_ajp_common.c (1606): …` or `jk_connect.c (681): …`. */
export function parseBareJkSource(text: string): LogEvent | null {
  const ev = new JkLogEvent(text, '');
  const m = readSource(text, 0, ev);
  if (m < 0) return null;
  ev.setMessageStart(m);
  return fill(ev);
}

/**
 * A message pasted alone with its worker prefix, as support articles quote them (E21:
 * `(ajp13) Tomcat is down or refused connection. …`). Accepted only with a worker-like name and a
 * message of some length, so prose in parentheses stays unrecognised.
 */
export function parseBareWorkerMessage(text: string): LogEvent | null {
  const w = workerPrefix(text);
  if (w === undefined || !/^[A-Za-z0-9_.-]+$/.test(w)) return null;
  const msg = text.trimEnd();
  if (msg.length - w.length < 15) return null;
  const ev = new JkLogEvent(text, msg);
  return fill(ev);
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT']);

/**
 * JkRequestLog line: `[stamp] ` + whatever `JkRequestLogFormat` made of the request. The format is
 * the admin's choice, so the fields are read by shape: a leading word = `%w` worker, `/…` = URI,
 * a three-digit 1xx–5xx = `%s` status, `sec.usec` = `%T` duration, `"GET /x HTTP/1.1"` = `%r`.
 */
export function finishJkRequest(text: string, head: Head): LogEvent {
  const msg = text.slice(head.pos).trimEnd();
  const ev = newEvent('jk-request', text, msg);
  ev.ts = head.ts;
  const f = ev.fields;
  const toks = msg.split(/\s+/);
  for (let i = 0; i < toks.length; i++) {
    let t = toks[i];
    if (t.startsWith('"')) t = t.slice(1);
    if (t.endsWith('"')) t = t.slice(0, -1);
    if (i === 0 && /^[A-Za-z_][\w-]*$/.test(t) && !METHODS.has(t)) {
      f.worker = t;
      ev.worker = t;
    } else if (METHODS.has(t)) f.method = t;
    else if (t.startsWith('/') && f.uri === undefined) f.uri = t;
    else if (/^[1-5]\d\d$/.test(t) && f.status === undefined) f.status = Number(t);
    // %T: mod_jk writes the duration as seconds '.' microseconds, always six digits after the point
    // (tomcat-connectors native/apache-2.0/mod_jk.c, jk_handler: apr_psprintf(r->pool, "%.1ld.%.6ld",
    // seconds, micro) into the JK_NOTE_REQUEST_DURATION note that log_request_duration prints; the
    // apache-1.3 module, removed in 2017, the same with gettimeofday). So `0.5` is no %T mod_jk wrote
    // and is not read as one. There is no %D: log_item_keys has no 'D', and parse_request_log_item
    // refuses the format ("Unrecognized JkRequestLogFormat directive %D").
    else if (/^\d+\.\d{3,6}$/.test(t) && f.seconds === undefined) f.seconds = Number(t);
  }
  return ev;
}

const samples: DialectSample[] = [
  {
    source: 'real-log-excerpts.md E08 (mod_jk 1.2.23: two blanks after [info], no ms)',
    line: '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]  jk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111)',
    expect: {
      dialect: 'modjk', ts: '2008-01-11T14:14:28.000Z', level: 'info', pid: 12548, tid: '38576',
      source: { file: 'jk_connect.c', line: 451, fn: 'jk_open_socket' },
      message: 'connect to 127.0.0.1:8009 failed (errno=111)', fields: { backend: '127.0.0.1:8009', errno: 111 },
    },
  },
  {
    source: 'real-log-excerpts.md E08',
    line: '[Fri Jan 11 14:14:12 2008] [12543:38576] [info]  init_jk::mod_jk.c (2743): mod_jk/1.2.23 initialized',
    expect: { dialect: 'modjk', version: 'mod_jk/1.2.23', source: { file: 'mod_jk.c', line: 2743, fn: 'init_jk' } },
  },
  {
    source: 'real-log-excerpts.md E08',
    line: '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]  jk_handler::mod_jk.c (2254): Service error=0 for worker=localhost',
    expect: { dialect: 'modjk', worker: 'localhost', fields: { serviceError: 0, worker: 'localhost' } },
  },
  {
    source: 'real-log-excerpts.md E09 (mod_jk 1.2.25: ms, one blank)',
    line: '[Tue May 13 17:52:11.608 2008] [8736:3059768208] [info] ajp_service::jk_ajp_common.c (2085): (tomcat1) sending request to tomcat failed,  recoverable operation attempt=1',
    expect: {
      dialect: 'modjk', ts: '2008-05-13T17:52:11.608Z', level: 'info', pid: 8736, tid: '3059768208', worker: 'tomcat1',
      source: { file: 'jk_ajp_common.c', line: 2085, fn: 'ajp_service' },
      message: '(tomcat1) sending request to tomcat failed,  recoverable operation attempt=1', fields: { attempt: 1, worker: 'tomcat1' },
    },
  },
  {
    source: 'real-log-excerpts.md E11 (mod_jk 1.2.26 Ubuntu)',
    line: '[Mon Mar 15 23:59:41 2010] [5575:3004840816] [error] ajp_send_request::jk_ajp_common.c (1359): (ajp13_worker) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)',
    expect: { dialect: 'modjk', level: 'error', worker: 'ajp13_worker', fields: { errno: 111 } },
  },
  {
    source: 'real-log-excerpts.md E12 (mod_jk 1.2.19 Windows: no function::)',
    line: '[Tue Jul 27 11:15:51 2010] [4804:1680] [error] jk_ajp_common.c (969): wrong message format 0x4854 from 127.0.0.1:8090',
    expect: {
      dialect: 'modjk', level: 'error', pid: 4804, tid: '1680', source: { file: 'jk_ajp_common.c', line: 969 },
      fields: { magic: 0x4854, backend: '127.0.0.1:8090' },
    },
  },
  {
    source: 'real-log-excerpts.md E18 (mod_jk 1.2.28)',
    line: '[Tue Mar 27 19:56:36 2012] [8923:3458201408] [info] service::jk_lb_worker.c (1453): All tomcat instances failed, no more workers left (attempt=1, retry=1)',
    expect: { dialect: 'modjk', source: { file: 'jk_lb_worker.c', line: 1453, fn: 'service' }, fields: { attempt: 1, retry: 1 } },
  },
  {
    source: 'real-log-excerpts.md E19 (mod_jk 1.2.37)',
    line: "[Tue Sep 01 23:25:41.961 2015] [19925:140405991069568] [error] extension_fix::jk_uri_worker_map.c (564): Could not find worker with name 'jk-manager' in uri map post processing.",
    expect: { dialect: 'modjk', ts: '2015-09-01T23:25:41.961Z', tid: '140405991069568', worker: 'jk-manager' },
  },
  {
    source: 'seed 000 / real-log-excerpts.md E01 (ISAPI 1.2.28, stamp and pid:tid cut by the article)',
    line: '[debug] jk_connect.c (732): Shutdown socket 668 and read 306 lingering bytes',
    expect: { dialect: 'modjk', ts: null, level: 'debug', source: { file: 'jk_connect.c', line: 732 }, fields: { socket: 668, bytes: 306 } },
  },
  {
    source: 'seed 000 / real-log-excerpts.md E01',
    line: '[warn] jk_ajp_common.c (883): awaited reply cpong, received 6 instead',
    expect: { dialect: 'modjk', level: 'warn', fields: { ajpType: 6 } },
  },
  {
    source: 'seed 000 / real-log-excerpts.md E01',
    line: '[info] jk_ajp_common.c (1442): (worker1) failed sending request, socket -1 prepost cping/cpong failure (errno=0)',
    expect: { dialect: 'modjk', worker: 'worker1', fields: { socket: -1, errno: 0 } },
  },
  {
    source: 'jk-log-catalog.md §1.1 (1.2.49+ layout with [request-id], constructed from jk_util.c)',
    line: '[Tue Mar 04 10:12:33.517 2025] [NO-ID] [23456:140512345675520] [error] ajp_send_request::jk_ajp_common.c (1768): (worker1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)',
    expect: { dialect: 'modjk', requestId: 'NO-ID', pid: 23456, tid: '140512345675520', worker: 'worker1', fields: { errno: 111 } },
  },
  {
    source: 'jk-log-catalog.md §1.2 (1.2.37 custom stamp without trailing blank, E10 shape)',
    line: '[Wed Jul 13 09:40:42 2016][17024:139722724702176] [error] ajp_send_request::jk_ajp_common.c (1630): (worker1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)',
    expect: { dialect: 'modjk', ts: '2016-07-13T09:40:42.000Z', pid: 17024 },
  },
  {
    source: 'jk-log-catalog.md §1.2 (1.2.0–1.2.6 layout, constructed from jk_util.c)',
    line: '[Mon Jun 07 14:16:01 2004]  [jk_ajp_common.c (684)]: Error ajp13:cping: awaited reply cpong, received 3 instead',
    expect: { dialect: 'modjk', source: { file: 'jk_ajp_common.c', line: 684 }, fields: { ajpType: 3 } },
  },
  {
    source: 'JkLogStampFormat "[%Y-%m-%d %H:%M:%S.%Q] " (ISO custom stamp; jk_util.c set_time_str)',
    line: '[2023-03-09 16:41:25.123] [1234:140000000000001] [debug] jk_shutdown_socket::jk_connect.c (1017): Shutdown socket 17 [127.0.0.1:40312 -> 127.0.0.1:8009] and read 306 lingering bytes in 0 sec.',
    expect: {
      dialect: 'modjk', ts: '2023-03-09T16:41:25.123Z',
      fields: { socket: 17, bytes: 306, seconds: 0, local: '127.0.0.1:40312', backend: '127.0.0.1:8009' },
    },
  },
  {
    source: 'ISAPI 1.2.49+ (fixed request id EXTENSION, jk_isapi_plugin.c HttpExtensionProc)',
    line: '[Thu Mar 09 16:41:25.123 2023] [EXTENSION] [2188:4452] [error] HttpExtensionProc::jk_isapi_plugin.c (2337): service() failed with http error 503',
    expect: { dialect: 'isapi', requestId: 'EXTENSION', fields: { status: 503 } },
  },
];

export const modjkParser: DialectParser = {
  name: 'modjk',
  parse(text: string, ctx: LineContext): LogEvent | null {
    if (text.charCodeAt(0) !== 91) return parseBareJkSource(text);
    const head = scanHead(text, ctx);
    if (!head || (head.kind !== 'jk' && head.kind !== 'jk-old')) return null;
    return finishJk(text, head);
  },
  samples,
};

export const jkRequestParser: DialectParser = {
  name: 'jk-request',
  parse(text: string, ctx: LineContext): LogEvent | null {
    if (text.charCodeAt(0) !== 91) return null;
    const head = scanHead(text, ctx);
    return head && head.kind === 'jk-request' ? finishJkRequest(text, head) : null;
  },
  samples: [
    {
      source: 'mod_jk docs JkRequestLogFormat "%w %V %T" (request_log_transaction in mod_jk.c)',
      line: '[Thu Mar 09 16:41:25.123 2023] worker1 www.example.com 0.012345',
      expect: { dialect: 'jk-request', worker: 'worker1', fields: { worker: 'worker1', seconds: 0.012345 } },
    },
    {
      source: 'JkRequestLogFormat "%w %m %U %s %T"',
      line: '[Thu Mar 09 16:41:25 2023] lb POST /app/upload 502 30.001234',
      expect: { dialect: 'jk-request', fields: { worker: 'lb', method: 'POST', uri: '/app/upload', status: 502 } },
    },
  ],
};
