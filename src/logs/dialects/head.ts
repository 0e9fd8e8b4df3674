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
  if (c > 0 && levelAt(tok, c + 1, tok.length) !== undefined && isModuleName(tok, 0, c)) return true;
  if (c > 0 && allDigits(tok, 0, c) && allDigits(tok, c + 1, tok.length)) return true;
  return false;
}

/**
 * Level word at `s[a..e)` without slicing: httpd's names (a superset of jk's). `jk` tells whether
 * jk_log() prints it too.
 */
function levelAt(s: string, a: number, e: number): { level: LogLevel; word: string; jk: boolean } | undefined {
  switch (e - a) {
    case 4:
      if (s.startsWith('info', a)) return LV.info;
      if (s.startsWith('warn', a)) return LV.warn;
      if (s.startsWith('crit', a)) return LV.crit;
      return undefined;
    case 5:
      if (s.startsWith('debug', a)) return LV.debug;
      if (s.startsWith('error', a)) return LV.error;
      if (s.startsWith('trace', a)) return LV.trace;
      if (s.startsWith('emerg', a)) return LV.emerg;
      if (s.startsWith('alert', a)) return LV.alert;
      return undefined;
    case 6:
      if (s.startsWith('notice', a)) return LV.notice;
      if (s.startsWith('trace', a)) {
        const d = s.charCodeAt(a + 5);
        return d >= 49 && d <= 56 ? LV_TRACE[d - 49] : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}

const lv = (level: LogLevel, word: string, jk: boolean) => ({ level, word, jk });
const LV = {
  info: lv('info', 'info', true), warn: lv('warn', 'warn', true), crit: lv('crit', 'crit', false),
  debug: lv('debug', 'debug', true), error: lv('error', 'error', true), trace: lv('trace', 'trace', true),
  emerg: lv('emerg', 'emerg', true), alert: lv('alert', 'alert', false), notice: lv('notice', 'notice', false),
};
const LV_TRACE = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => lv('trace', `trace${n}`, false));

/** The last few thread ids, reused instead of one new string per line (threads repeat). */
const tids: string[] = ['', '', '', '', '', '', '', ''];
let tidNext = 0;
function tidAt(s: string, a: number, e: number): string {
  const n = e - a;
  for (let i = 0; i < tids.length; i++) {
    const t = tids[i];
    if (t.length === n && s.startsWith(t, a)) return t;
  }
  const t = s.slice(a, e);
  tids[tidNext] = t;
  tidNext = (tidNext + 1) & 7;
  return t;
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
 * Walks the head of a line that starts with `[` (or, with `stampEnd`, of a line whose custom
 * `JkLogStampFormat` stamp is not bracketed: the stamp is `text[0..stampEnd)`).
 * Hot path (a million lines a second): char-code tests and `startsWith` at offsets, no slicing of
 * tokens that are not kept, no keyed lookups with arbitrary strings.
 */
export function scanHead(text: string, ctx: StampContext, stampEnd = -1): Head | null {
  let pos = 0;
  let ts: number | undefined;
  let stamped = false;
  if (stampEnd >= 0) {
    ts = parseStampText(text.slice(0, stampEnd).trim(), ctx);
    if (ts === undefined) return null;
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
    } else if (c0 >= 48 && c0 <= 57 && !sawPid) {
      const colon = text.indexOf(':', a);
      if (colon > a && colon < end && allDigits(text, a, colon) && allDigits(text, colon + 1, end)) {
        head.pid = Number(text.slice(a, colon));
        head.tid = tidAt(text, colon + 1, end);
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
    return head;
  }
  if (sawPid || head.requestId !== undefined) {
    if (head.requestId !== undefined && !sawPid) {
      // `[stamp] [something] text`: not a jk head after all; a request-log line starting with a bracket.
      head.requestId = undefined;
      head.pos = afterStamp;
      head.kind = 'jk-request';
      return ts === undefined ? null : head;
    }
    head.pos = pos;
    head.kind = 'jk';
    return head;
  }
  if (stamped && ts !== undefined) {
    head.kind = 'jk-request';
    head.pos = afterStamp;
    while (text.charCodeAt(head.pos) === 32) head.pos++;
    return head.pos < text.length ? head : null;
  }
  return null;
}
