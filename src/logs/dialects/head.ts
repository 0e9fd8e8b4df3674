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

/** Levels `jk_log()` prints (`jk_level_verbs[]`; JK_LOG_WARNING prints `warn`). */
export const JK_LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error', emerg: 'emerg',
};

/** httpd's level names (`priorities[]` in server/log.c). */
export const HTTPD_LEVELS: Readonly<Record<string, LogLevel>> = {
  emerg: 'emerg', alert: 'alert', crit: 'crit', error: 'error', warn: 'warn', notice: 'notice',
  info: 'info', debug: 'debug', trace1: 'trace', trace2: 'trace', trace3: 'trace', trace4: 'trace',
  trace5: 'trace', trace6: 'trace', trace7: 'trace', trace8: 'trace',
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function allDigits(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

const MODULE_CHARS = /^[A-Za-z0-9_]+$/;
const OLD_SOURCE = /^[\w.]+\.c \(\d+\)$/;

/** A token that proves "this is not a stamp" when it comes first (stamp-less pastes). */
function isHeadToken(tok: string): boolean {
  if (JK_LEVELS[tok] !== undefined || HTTPD_LEVELS[tok] !== undefined) return true;
  if (tok.startsWith('pid ')) return true;
  const c = tok.indexOf(':');
  if (c > 0 && HTTPD_LEVELS[tok.slice(c + 1)] !== undefined) return true;
  if (c > 0 && allDigits(tok, 0, c) && allDigits(tok, c + 1, tok.length)) return true;
  return false;
}

/**
 * Walks the head of a line that starts with `[` (or, with `stampEnd`, of a line whose custom
 * `JkLogStampFormat` stamp is not bracketed: the stamp is `text[0..stampEnd)`).
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
  const head: Head = { kind: 'jk', pos, ts };
  let httpd = false;
  let sawPid = false;
  for (;;) {
    // mod_jk's default stamp ends in a blank; custom ones may not (E10: `[…2016][17024:…]`).
    while (text.charCodeAt(pos) === 32) pos++;
    if (text.charCodeAt(pos) !== 91) break;
    const end = text.indexOf(']', pos + 1);
    if (end < 0) break;
    const tok = text.slice(pos + 1, end);
    const jl = JK_LEVELS[tok];
    if (jl !== undefined) {
      head.level = jl;
      head.levelWord = tok;
      pos = end + 1;
      break;
    }
    const hl = HTTPD_LEVELS[tok];
    if (hl !== undefined) {
      head.level = hl;
      head.levelWord = tok;
      httpd = true;
      pos = end + 1;
      break;
    }
    const colon = tok.indexOf(':');
    if (tok.startsWith('pid ')) {
      // httpd 2.4 `[pid 4337:tid 140133135910656]` or `[pid 25957]` (prefork)
      httpd = true;
      const t = tok.indexOf(':tid ');
      head.pid = Number(tok.slice(4, t < 0 ? undefined : t));
      if (t >= 0) head.tid = tok.slice(t + 5);
      pos = end + 1;
      continue;
    }
    if (colon > 0) {
      const lv = HTTPD_LEVELS[tok.slice(colon + 1)];
      if (lv !== undefined && MODULE_CHARS.test(tok.slice(0, colon))) {
        head.module = tok.slice(0, colon);
        head.level = lv;
        head.levelWord = tok.slice(colon + 1);
        httpd = true;
        pos = end + 1;
        continue;
      }
      if (allDigits(tok, 0, colon) && allDigits(tok, colon + 1, tok.length)) {
        head.pid = Number(tok.slice(0, colon));
        head.tid = tok.slice(colon + 1);
        sawPid = true;
        pos = end + 1;
        continue;
      }
    }
    if (httpd) break; // [client …] and friends are read by the httpd tail
    if (!sawPid && head.requestId === undefined && stamped && OLD_SOURCE.test(tok)) {
      head.kind = 'jk-old';
      head.oldSource = tok;
      pos = end + 1;
      if (text.charCodeAt(pos) === 58) pos++; // `]: `
      while (text.charCodeAt(pos) === 32) pos++;
      head.pos = pos;
      return head;
    }
    if (!sawPid && head.requestId === undefined && stamped) {
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
