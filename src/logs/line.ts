/**
 * One physical line → one event: paste cleaning, then dialect detection by the first character
 * and the bracketed head, so each line is scanned once by the parser that can read it.
 */
import type { LogEvent } from './types.js';
import { blankThen, type LineContext } from './dialects/common.js';
import { scanHead } from './dialects/head.js';
import { parseStampText } from './stamp.js';
import { finishJk, finishJkRequest, parseBareJkSource, parseBareWorkerMessage } from './dialects/modjk.js';
import { finishHttpd } from './dialects/httpd.js';
import { parseTomcat } from './dialects/tomcat.js';
import { parseAccess } from './dialects/access.js';
import { ANSI_ALL } from '../util/ansi.js';

const QUOTE = /^(?:[ \t]*>)+[ \t]?/;

/** Removes what a paste adds around a log line: CR, ANSI colours, mail quote marks (`> `, `>> `, `> > `). */
export function cleanLine(raw: string): string {
  let s = raw;
  if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
  if (s.indexOf('\x1b') >= 0) s = s.replace(ANSI_ALL, '');
  const c = s.charCodeAt(0);
  if (c === 62 || ((c === 32 || c === 9) && QUOTE.test(s))) s = s.replace(QUOTE, '');
  return s;
}

/**
 * `123: `, `123 `, `123\t` (cat -n, editors, pastebins), `file.log:123:` (grep -n), and list
 * markers `- `, `* `, `• ` (pastebin's list view, Markdown, bulleted support articles).
 */
// (after `N:` or a tab the indentation of the numbered line stays: a stack frame keeps its place)
const LINE_NUMBER = /^(?:(?:[\w./\\-]+:)?\d{1,9}(?::[ \t]?|\t)(?=[ \t]*\S)|\d{1,9} +(?=\S)|[-*\u2022\u00b7][ \t]+(?=\S))/;

/** A clock time first, to the second (`11:16:00,734 …`, log4j's ABSOLUTE layout): a stamp, never line numbers. */
export const CLOCK_FIRST = /^\d{1,2}:\d{2}:\d{2}(?:[,.]\d{1,9})?(?![\d:])/;

/** Strips a leading line number or list marker; null when there is none. */
export function stripLineNumber(s: string): string | null {
  // A clock time first (`11:16:00,734 ERROR …`, log4j's ABSOLUTE layout) is no `file:` and line
  // number (`11:` then `16:`): a line cut after it, or a layout not known, stays as it stands.
  if (CLOCK_FIRST.test(s)) return null;
  // A line that starts with no list marker matches by `file:` (a run of `[\w./\\-]` then `:`, which
  // the run cannot hold, so it stands right after the whole run) or by a number: a line whose first
  // word ends otherwise (`Started Session 1`, `Nov 21 …`) needs no regex.
  // A number first (`\d{1,9}`) is followed by `:`, a tab or a blank, or it is no line number (the
  // stamp of `2026-11-21 08:00:00`, `10.1.2.3 - -`).
  const c = s.charCodeAt(0);
  if (!(c === 45 || c === 42 || c === 0x2022 || c === 0xb7)) {
    let i = 0;
    while (i < s.length && isPathChar(s.charCodeAt(i))) i++;
    if (i === 0) return null;
    if (s.charCodeAt(i) !== 58) {
      if (!(c >= 48 && c <= 57)) return null;
      let d = 1;
      while (d < s.length && s.charCodeAt(d) >= 48 && s.charCodeAt(d) <= 57) d++;
      const e = s.charCodeAt(d);
      if (d > 9 || (e !== 9 && e !== 32)) return null;
    }
  }
  const m = LINE_NUMBER.exec(s);
  return m ? s.slice(m[0].length) : null;
}

/** A character of `[\w./\\-]` (LINE_NUMBER's `file:` prefix). */
function isPathChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 47 || c === 92 || c === 45;
}

/**
 * mod_jk falls back to httpd's error_log when its own log cannot be written (jk_log_to_file() →
 * ap_log_error(APLOG_ERR, "%.*s")): the whole jk line is then the message of an httpd entry. It is
 * read as the jk line it is, with the httpd line as its text.
 */
function jkInHttpd(outer: LogEvent, ctx: LineContext): LogEvent | null {
  const inner = parseLine(outer.message, ctx);
  // (reading `source` here also resolves it against the inner text before `text` is replaced)
  if (inner === null || (inner.dialect !== 'modjk' && inner.dialect !== 'isapi') || inner.source === undefined) return null;
  inner.text = outer.text;
  if (inner.ts === undefined) inner.ts = outer.ts;
  return inner;
}

/**
 * Parses one cleaned, trimmed line in whichever dialect it is written; null when none recognises it.
 * The returned event has `path` '' and `line` 0: the caller fills them.
 */
export function parseLine(text: string, ctx: LineContext): LogEvent | null {
  const c = text.charCodeAt(0);
  if (c === 91) {
    const head = scanHead(text, ctx);
    if (!head) return null;
    switch (head.kind) {
      case 'jk':
      case 'jk-old': {
        const ev = finishJk(text, head);
        if (ev) return ev;
        // `[error] …` without a jk `file.c (line): ` is httpd 2.2 (same level words).
        return head.kind === 'jk' && head.level !== undefined && head.requestId === undefined ? finishHttpd(text, head) : null;
      }
      case 'httpd24':
      case 'httpd22': {
        const ev = finishHttpd(text, head);
        return ev.message.charCodeAt(0) === 91 && (ev.module === 'jk' || ev.module === undefined) ? (jkInHttpd(ev, ctx) ?? ev) : ev;
      }
      case 'jk-request':
        return finishJkRequest(text, head);
    }
  }
  if (c === 40) return parseBareWorkerMessage(text);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) {
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c > 127) {
      const t = parseTomcat(text, ctx);
      if (t) return t;
    }
    if (c >= 97 && c <= 122) {
      const j = parseBareJkSource(text);
      if (j) return j;
    }
    // A custom `JkLogStampFormat` without brackets: `2023-03-09 16:41:25.123 [pid:tid] [level] …`.
    const b = blankThen(text, '[');
    if (b >= 8 && b <= 64) {
      // The tokens first (scanHead reads no stamp here), the stamp only where it decides: a jk line
      // needs one; a line that reads as no jk line is no line at all behind a stamp, and an access
      // line behind none (nginx's `2026/11/21 08:00:00 [warn] 1234#1234: …` has no ` "` either).
      const head = scanHead(text, ctx, b);
      if (head && (head.kind === 'jk' || head.kind === 'jk-old')) {
        const ev = finishJk(text, head);
        if (ev === null && blankThen(text, '"') < 0) return null;
        const ts = parseStampText(text.slice(0, b).trim(), ctx);
        if (ts !== undefined) {
          if (ev !== null) ev.ts = ts;
          return ev;
        }
      }
    }
    return parseAccess(text, ctx);
  }
  return null;
}
