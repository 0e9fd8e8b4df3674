/**
 * The bracketed line head shared by mod_jk (`jk_log()` in native/common/jk_util.c), the ISAPI
 * redirector (same function) and httpd (`do_errorlog_default()` in server/log.c):
 *
 *   mod_jk 1.2.49+ `[stamp] [request-id] [pid:tid] [level] func::file.c (line): msg`
 *   mod_jk 1.2.0–6 `[stamp]  [file.c (line)]: msg`
 *   httpd 2.4     `[stamp] [module:level] [pid N:tid M] file.c(line): (status)text: [client ip:port] AHnnnnn: msg`
 *   httpd 2.2     `[stamp] [level] [client ip] (status)text: msg`
 *   JkRequestLog  `[stamp] <formatted request line>`
 *
 * One left-to-right walk over the `[...]` tokens decides which of them it is; nothing is
 * backtracked, so a line costs one pass plus the message slice.
 */
import type { LogLevel } from '../types.js';
import { parseDefaultStamp, parseStampText, type StampContext } from '../stamp.js';

export type HeadKind = 'jk' | 'jk-old' | 'httpd24' | 'httpd22' | 'jk-request';

export interface Head {
  kind: HeadKind;
  /** Where the rest (source location / message) starts. */
  pos: number;
  ts?: number;
  level?: LogLevel;
  /** The level word as printed (`warn`, `warning`, `trace3`). */
  levelWord?: string;
  pid?: number;
  tid?: string;
  requestId?: string;
  module?: string;
  /** jk-old: the `file.c (line)` token. */
  oldSource?: string;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function allDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

const OLD_SOURCE = /^[\w.]+\.c \(\d+\)$/;

/** A token that proves "this is not a stamp" when it comes first (stamp-less pastes). */
function isHeadToken(tok: string): boolean {
  if (levelAt(tok, 0, tok.length) !== undefined) return true;
  if (tok.startsWith('pid ')) return true;
  const c = tok.indexOf(':');
  if (c === 0 && levelAt(tok, 1, tok.length) !== undefined) return true;
  if (c > 0 && levelAt(tok, c + 1, tok.length) !== undefined && isModuleName(tok, 0, c)) return true;
  if (c > 0 && allDigits(tok, 0, c) && allDigits(tok, c + 1, tok.length)) return true;
  return false;
}

/**
 * Level word at `s[a..e)` without slicing: httpd's names (a superset of jk's). `jk` tells whether
 * jk_log() prints it too.
 */
function levelAt(s: string, a: number, e: number): { level: LogLevel; word: string; jk: boolean } | undefined {
  const n = e - a;
  let l: { level: LogLevel; word: string; jk: boolean } | undefined;
  switch (s.charCodeAt(a)) {
    case 100: l = LV.debug; break; // d
    case 105: l = LV.info; break; // i
    case 119: l = LV.warn; break; // w
    case 101: l = n === 5 && s.charCodeAt(a + 1) === 109 ? LV.emerg : LV.error; break; // e
    case 116: // t
      if (n === 6) {
        const d = s.charCodeAt(a + 5);
        return d >= 49 && d <= 56 && s.startsWith('trace', a) ? LV_TRACE[d - 49] : undefined;
      }
      l = LV.trace;
      break;
    case 110: l = LV.notice; break; // n
    case 99: l = LV.crit; break; // c
    case 97: l = LV.alert; break; // a
    default: return undefined;
  }
  if (l.word.length !== n) return undefined;
  // (a char loop: startsWith on a sliced string costs more than the whole rest of the head)
  for (let i = 1; i < n; i++) if (s.charCodeAt(a + i) !== l.word.charCodeAt(i)) return undefined;
  return l;
}

const lv = (level: LogLevel, word: string, jk: boolean) => ({ level, word, jk });
const LV = {
  info: lv('info', 'info', true), warn: lv('warn', 'warn', true), crit: lv('crit', 'crit', false),
  debug: lv('debug', 'debug', true), error: lv('error', 'error', true), trace: lv('trace', 'trace', true),
  emerg: lv('emerg', 'emerg', true), alert: lv('alert', 'alert', false), notice: lv('notice', 'notice', false),
};
const LV_TRACE = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => lv('trace', `trace${n}`, false));

/**
 * Thread ids repeat (a pool of worker threads), so their strings are shared: a direct-mapped cache
 * keyed by the digits' value (checked with the length, so `0123` is not `123`), no slice and no
 * Map lookup per line. Ids longer than 15 digits (64-bit pthread_t above 2^53) are sliced.
 */
const TID_SLOTS = 4096;
const tidValues = new Float64Array(TID_SLOTS).fill(-1);
const tidLengths = new Uint8Array(TID_SLOTS);
const tidStrings: string[] = new Array<string>(TID_SLOTS).fill('');

/** The thread id `s[a..e)` as a shared string; undefined when it is empty or not all digits. */
function tidAt(s: string, a: number, e: number): string | undefined {
  if (e <= a) return undefined;
  let v = 0;
  let h = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
    h = (h * 31 + c) | 0;
  }
  const n = e - a;
  if (n > 15) return s.slice(a, e);
  const slot = h & (TID_SLOTS - 1);
  if (tidValues[slot] === v && tidLengths[slot] === n) return tidStrings[slot];
  const t = flatCopy(s.slice(a, e));
  tidValues[slot] = v;
  tidLengths[slot] = n;
  tidStrings[slot] = t;
  return t;
}

/**
 * A copy that does not point into the (megabyte) chunk the line was cut from, for strings kept in
 * caches: a slice would keep its whole chunk alive in stream mode. (V8 copies slices under 13 chars.)
 */
export function flatCopy(s: string): string {
  // V8 keeps a substring of 13 characters or more as a view of its parent; slicing a concatenation
  // makes it flatten into a new string first (2–3× cheaper than a JSON round trip, exact for any UTF-16).
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

/** Decimal value of `s[a..e)`, or -1 if not all digits (or empty). */
function digitsValue(s: string, a: number, e: number): number {
  if (e <= a) return -1;
  let v = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isModuleName(s: string, a: number, e: number): boolean {
  if (e <= a) return false;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

/**
 * The last jk head read (stamp by parseDefaultStamp, then tokens up to the level), its text (the
 * line up to the message) and context. The lines of one request are written by one thread within a millisecond or so: a debug
 * log repeats `[stamp] [pid:tid] [level] ` from line to line, and reading it again cost more than
 * the rest of the line.
 */
let lastHeadText = '';
let lastHead: Head | null = null;
let lastCtx: StampContext | null = null;

/**
 * `text` starts with the last head's text (its line up to `pos`, the message start) and is
 * followed by no blank, so scanHead would read the same head: every character scanHead reads of such
 * a line lies before `pos` (the `]` and `:` it looks for are found there first), but for the one or
 * two blanks it skips at `pos`.
 */
function sameHead(text: string): boolean {
  if (lastHead === null) return false;
  const n = lastHead.pos;
  if (text.length <= n || text.charCodeAt(n) === 32) return false;
  // (string equality compares in native code, several times faster than a charCodeAt loop over a line cut from its chunk)
  return text.slice(0, n) === lastHeadText;
}

/**
 * Walks the head of a line that starts with `[` (or, with `stampEnd`, of a line whose custom
 * `JkLogStampFormat` stamp is not bracketed: the stamp is `text[0..stampEnd)`).
 * Hot path (a million lines a second): char-code tests at offsets (no `startsWith` on the common
 * path: it is slow on sliced strings), no slicing of
 * tokens that are not kept, no keyed lookups with arbitrary strings.
 */
export function scanHead(text: string, ctx: StampContext, stampEnd = -1): Head | null {
  if (stampEnd < 0 && ctx === lastCtx && sameHead(text)) return lastHead!;
  let pos = 0;
  let ts: number | undefined;
  let stamped = false;
  // the stamp was read by parseDefaultStamp (then the head can be reused, see sameHead)
  let fast = false;
  if (stampEnd >= 0) {
    // The stamp `text[0..stampEnd)` is not read here: the caller reads it (customStamp, line.ts) only
    // where it decides something. Most lines with a ` [` there are some other program's (a logger's
    // `[thread]`, nginx's `[warn]`), and reading a stamp (a regex, a zone conversion) cost more than
    // the tokens. The head's `ts` stays undefined.
    stamped = true;
    pos = stampEnd;
  } else {
    const e1 = text.indexOf(']', 1);
    if (e1 < 0) return null;
    ts = parseDefaultStamp(text, 1, e1, ctx);
    if (ts === undefined) {
      const raw = text.slice(1, e1);
      if (isHeadToken(raw)) {
        // no stamp at all (`[warn] jk_ajp_common.c (883): …`, `[proxy_ajp:error] [pid 30091] …`)
      } else {
        ts = parseStampText(raw, ctx);
        if (ts === undefined) {
          // `[Date]`, `[Date/Time]`, `[xxx]`: a stamp redacted by the poster. Only accepted when
          // another head token follows, so prose in brackets is not taken for a log line.
          const next = text.indexOf('[', e1);
          if (next < 0 || next > e1 + 2) return null;
          const e2 = text.indexOf(']', next);
          if (e2 < 0 || !isHeadToken(text.slice(next + 1, e2))) return null;
        }
        stamped = true;
        pos = e1 + 1;
      }
    } else {
      stamped = true;
      fast = true;
      pos = e1 + 1;
    }
  }
  const afterStamp = pos;
  const head: Head = {
    kind: 'jk', pos, ts, level: undefined, levelWord: undefined, pid: undefined, tid: undefined,
    requestId: undefined, module: undefined, oldSource: undefined,
  };
  let httpd = false;
  let sawPid = false;
  for (;;) {
    // mod_jk's default stamp ends in a blank; custom ones may not (E10: `[…2016][17024:…]`).
    while (text.charCodeAt(pos) === 32) pos++;
    if (text.charCodeAt(pos) !== 91) break;
    const a = pos + 1;
    const end = text.indexOf(']', a);
    if (end < 0) break;
    const c0 = text.charCodeAt(a);
    if (c0 >= 97 && c0 <= 122) {
      const colon = text.indexOf(':', a);
      if ((colon < 0 || colon > end) && c0 !== 112) {
        const l = levelAt(text, a, end);
        if (l !== undefined) {
          head.level = l.level;
          head.levelWord = l.word;
          if (!l.jk) httpd = true;
          pos = end + 1;
          break;
        }
      } else if (c0 === 112 && text.startsWith('pid ', a)) {
        // httpd 2.4 `[pid 4337:tid 140133135910656]` or `[pid 25957]` (prefork)
        httpd = true;
        const tok = text.slice(a, end);
        const t = tok.indexOf(':tid ');
        head.pid = Number(tok.slice(4, t < 0 ? undefined : t));
        if (t >= 0) head.tid = tok.slice(t + 5);
        pos = end + 1;
        continue;
      } else if (colon > a && colon < end) {
        const l = levelAt(text, colon + 1, end);
        if (l !== undefined && isModuleName(text, a, colon)) {
          head.module = text.slice(a, colon);
          head.level = l.level;
          head.levelWord = l.word;
          httpd = true;
          pos = end + 1;
          continue;
        }
      }
    } else if (c0 === 58) {
      // `[:error]`: httpd 2.4 line of a module built without APLOG_USE_MODULE (empty module name)
      const l = levelAt(text, a + 1, end);
      if (l !== undefined) {
        head.module = '';
        head.level = l.level;
        head.levelWord = l.word;
        httpd = true;
        pos = end + 1;
        continue;
      }
    } else if (c0 >= 48 && c0 <= 57 && !sawPid) {
      const colon = text.indexOf(':', a);
      const pid = colon > a && colon < end ? digitsValue(text, a, colon) : -1;
      const tid = pid >= 0 ? tidAt(text, colon + 1, end) : undefined;
      if (tid !== undefined) {
        head.pid = pid;
        head.tid = tid;
        sawPid = true;
        pos = end + 1;
        continue;
      }
    }
    if (httpd) break; // [client …] and friends are read by the httpd tail
    if (!sawPid && head.requestId === undefined && stamped) {
      const tok = text.slice(a, end);
      if (OLD_SOURCE.test(tok)) {
        head.kind = 'jk-old';
        head.oldSource = tok;
        pos = end + 1;
        if (text.charCodeAt(pos) === 58) pos++; // `]: `
        while (text.charCodeAt(pos) === 32) pos++;
        head.pos = pos;
        return head;
      }
      head.requestId = tok; // 1.2.49+: `[NO-ID]`, `[WATCHDOG]`, mod_unique_id values
      pos = end + 1;
      continue;
    }
    break;
  }
  if (httpd) {
    head.kind = head.module !== undefined || (head.pid !== undefined && !sawPid) ? 'httpd24' : 'httpd22';
    head.pos = pos;
    return head;
  }
  if (head.level !== undefined) {
    // jk: one blank after the level since 1.2.24, two before (padding to 8 in jk_util.c).
    if (text.charCodeAt(pos) === 32) pos++;
    if (text.charCodeAt(pos) === 32) pos++;
    head.pos = pos;
    head.kind = 'jk';
    if (fast) {
      lastHeadText = text.slice(0, pos);
      lastHead = head;
      lastCtx = ctx;
    }
    return head;
  }
  if (sawPid || head.requestId !== undefined) {
    if (head.requestId !== undefined && !sawPid) {
      // `[stamp] [something] text`: not a jk head after all. JkRequestLogFormat items (%w %V %T %U …)
      // never start with a bracket, so this is another program's layout (GlassFish/Payara ODL
      // `[stamp] [product] [LEVEL] …`, a bracketed logger): left to the other readers.
      return null;
    }
    head.pos = pos;
    head.kind = 'jk';
    return head;
  }
  if (stamped && (ts !== undefined || stampEnd >= 0)) {
    head.kind = 'jk-request';
    head.pos = afterStamp;
    while (text.charCodeAt(head.pos) === 32) head.pos++;
    return head.pos < text.length && text.charCodeAt(head.pos) !== 91 ? head : null;
  }
  return null;
}
