/**
 * Physical lines → events, with the state a paste needs: one event of look-ahead so that a
 * mail-wrapped line can be re-joined, Tomcat stack traces attached to their event, and the
 * two-line java.util.logging SimpleFormatter pair merged. Memory: the events it returns plus one
 * pending event.
 */
import type { LogEvent, LogSummary } from './types.js';
import type { LineContext } from './dialects/common.js';
import { cleanLine, parseLine, stripLineNumber } from './line.js';
import { JkLogEvent } from './dialects/modjk.js';
import { appendTomcatContinuation, isTomcatContinuation, tomcatLevelLine } from './dialects/tomcat.js';

const MAX_UNRECOGNISED_SAMPLES = 5;
const MAX_JOINS = 8;
/** Mail clients wrap at 72–80 columns (RFC 2646 suggests 66–78); terminals at 80. */
const WRAP_MIN = 60;
/** A wrapped line is never very short: the next word would have been put on it. */
const MIN_CUT = 30;
const WRAP_MAX = 100;

export class LogLineReader {
  readonly summary: LogSummary;
  private readonly events: LogEvent[] = [];
  private pending: LogEvent | null = null;
  /** Cleaned text of the last physical line of `pending`. */
  private pendingLast = '';
  private joins = 0;
  private lineNo = 0;
  private isapi = false;
  /** Widest physical line so far: above the wrap width means the paste was not wrapped. */
  private longest = 0;

  /**
   * `onEvent`: stream mode. Each event is handed over as soon as it is complete (one line of
   * look-ahead) and not kept, so memory stays flat for any input size; `end()` then returns [].
   * In stream mode a jk line is labelled `isapi` only from the first ISAPI marker of the file on.
   */
  constructor(
    readonly path: string,
    private readonly ctx: LineContext,
    private readonly onEvent?: (ev: LogEvent) => void,
  ) {
    this.summary = { path, lines: 0, byDialect: {}, unrecognised: 0, unrecognisedSamples: [], levels: {} };
  }

  /**
   * Feeds one physical line (without its `\n`). `chunk`/`start`: the line is `chunk[start..]`
   * (lets a kept event point into the chunk instead of owning a string, see JkLogEvent.rebase).
   */
  push(raw: string, chunk?: string, start = 0): void {
    this.lineNo++;
    this.summary.lines++;
    const s = cleanLine(raw);
    const t = s.trim();
    if (t.length > this.longest) this.longest = t.length;
    if (t === '') {
      this.flush(); // a blank line ends a paragraph: never join across it
      return;
    }
    const p = this.pending;
    if (p !== null && p.dialect === 'tomcat' && tomcatLevelLine(p, t)) {
      this.pendingLast = s;
      return;
    }
    let ev = parseLine(t, this.ctx);
    if (ev === null) {
      const n = stripLineNumber(t);
      if (n !== null) ev = parseLine(n, this.ctx);
    }
    // A head with nothing after it (`[stamp] [pid:tid] [info]`) was cut by a wrap: the next line is
    // its rest even when that rest parses alone (`jk_connect.c (451): …` reads as a bare jk line).
    // (Only worked out when it can matter: an event that has a stamp or level never joins.)
    const headOnly =
      p !== null && (ev === null || (ev.ts === undefined && ev.level === undefined)) &&
      p.dialect !== 'tomcat' && p.dialect !== 'jk-request' && (p instanceof JkLogEvent ? p.messageEmpty : p.message === '');
    if (ev !== null && headOnly && ev.ts === undefined && ev.level === undefined && this.tryJoin(p, s, t, true)) return;
    if (ev !== null) {
      this.flush();
      // (only when the event's text is the raw line itself: nothing cleaned, trimmed or joined)
      if (chunk !== undefined && ev.text === raw && t === raw && ev instanceof JkLogEvent) ev.rebase(chunk, start);
      ev.path = this.path;
      ev.line = this.lineNo;
      this.pending = ev;
      this.pendingLast = s;
      this.joins = 0;
      return;
    }
    if (p !== null) {
      if (p.dialect === 'tomcat' && isTomcatContinuation(s)) {
        appendTomcatContinuation(p, s);
        this.pendingLast = s;
        return;
      }
      if (this.tryJoin(p, s, t, headOnly)) return;
    }
    this.flush();
    this.summary.unrecognised++;
    if (this.summary.unrecognisedSamples.length < MAX_UNRECOGNISED_SAMPLES) {
      this.summary.unrecognisedSamples.push({ line: this.lineNo, text: t.length > 200 ? `${t.slice(0, 200)}…` : t });
    }
  }

  /**
   * Re-joins a line that a mail client or terminal cut: only when the previous physical line has a
   * wrapping width, this one is not itself a log line, a list item or a quote, and the joined text
   * still parses as the same dialect (so the fields in the tail are read).
   */
  private tryJoin(p: LogEvent, s: string, t: string, headOnly: boolean): boolean {
    // JkRequestLog lines have a free format (any tail parses) and Tomcat has its own continuations.
    if (this.joins >= MAX_JOINS || p.dialect === 'tomcat' || p.dialect === 'jk-request') return false;
    const prev = this.pendingLast;
    const plen = prev.trimEnd().length;
    const c = t.charCodeAt(0);
    // Bullets and headings are prose. (A `[` line that got here is no head of its own: `[client …] AH…`.)
    if (c === 35 || c === 42 || c === 45 || c === 8226 || c === 62) return false;
    if (!headOnly) {
      // A paste that has a physical line wider than any wrap width was not wrapped.
      if (this.longest > WRAP_MAX || this.longest < WRAP_MIN || t.length > WRAP_MAX) return false;
      // Word-wrap test (as reflow tools do): the line was cut only if the next word would not have
      // fitted on it; the widest line so far stands for the wrap width.
      const sp = t.indexOf(' ');
      const word = sp < 0 ? t.length : sp;
      if (plen < MIN_CUT || plen + 1 + word <= this.longest) return false;
      // A finished sentence followed by a capitalised one is prose after the log line.
      if (/[.!?]\s*$/.test(prev) && c >= 65 && c <= 90) return false;
    }
    // Format=flowed keeps the blank at the end of the cut line; a hard wrap at exactly 80 cuts mid-word.
    const sep = plen === 80 && !/\s$/.test(prev) ? '' : ' ';
    const joined = `${p.text.trimEnd()}${sep}${t}`;
    const re = parseLine(joined, this.ctx);
    // Same dialect, or a jk line cut before its `file.c (line): ` (its first half reads as httpd 2.2).
    if (re === null || (re.dialect !== p.dialect && !(p.dialect === 'httpd' && (re.dialect === 'modjk' || re.dialect === 'isapi')))) return false;
    re.path = p.path;
    re.line = p.line;
    this.pending = re;
    this.pendingLast = s;
    this.joins++;
    return true;
  }

  private flush(): void {
    const ev = this.pending;
    if (ev === null) return;
    this.pending = null;
    const sm = this.summary;
    if (ev.dialect === 'isapi') this.isapi = true;
    else if (this.isapi && ev.dialect === 'modjk') ev.dialect = 'isapi';
    if (this.onEvent !== undefined) this.onEvent(ev);
    else this.events.push(ev);
    sm.byDialect[ev.dialect] = (sm.byDialect[ev.dialect] ?? 0) + 1;
    if (ev.level !== undefined) sm.levels[ev.level] = (sm.levels[ev.level] ?? 0) + 1;
    const ts = ev.ts;
    if (ts !== undefined) {
      if (sm.firstTs === undefined || ts < sm.firstTs) sm.firstTs = ts;
      if (sm.lastTs === undefined || ts > sm.lastTs) sm.lastTs = ts;
    }
  }

  /**
   * Ends the input and returns the events in line order. A file that shows itself to be an ISAPI
   * redirector log anywhere (jk_isapi_plugin.c lines, ISAPI request ids, the version banner) has
   * all its jk lines labelled `isapi`: both write the same jk_log() layout.
   */
  end(): LogEvent[] {
    this.flush();
    if (this.isapi) {
      let moved = 0;
      for (const ev of this.events) {
        if (ev.dialect === 'modjk') {
          ev.dialect = 'isapi';
          moved++;
        }
      }
      const by = this.summary.byDialect;
      if (moved > 0) {
        by.isapi = (by.isapi ?? 0) + moved;
        delete by.modjk;
      }
    }
    return this.events;
  }
}

