/**
 * Physical lines → events, with the state a paste needs: one event of look-ahead so that a
 * mail-wrapped line can be re-joined, Tomcat stack traces attached to their event, and the
 * two-line java.util.logging SimpleFormatter pair merged. Memory: the events it returns plus one
 * pending event.
 */
import type { LogEvent, LogSummary } from './types.js';
import type { LineContext } from './dialects/common.js';
import { CLOCK_FIRST, cleanLine, parseLine, stripLineNumber } from './line.js';
import { JkLogEvent } from './dialects/modjk.js';
import { appendTomcatContinuation, finishTomcatTrace, isTomcatContinuation, MAX_TRACE_HEAD, tomcatFields, tomcatLevelLine, type TraceRest } from './dialects/tomcat.js';
import { appendFragmentLine, finishFragment, fragmentEvent } from './dialects/fragment.js';
import { isFence, unwrapLine } from './unwrap.js';
import { GLUE_MIN, splitGlued } from './glued.js';
import { inputSecrets, SECRET_HINT, SecretLook } from '../util/secrets.js';

/** Characters of a line read (issue 15: lines are length-capped before matching); the rest is dropped. */
export const MAX_LINE = 64 * 1024;

const MAX_UNRECOGNISED_SAMPLES = 5;
const MAX_JOINS = 8;
/** Cut lines joined into one Tomcat event (a wrapped trace is cut at many of its lines). */
const MAX_TRACE_JOINS = 64;
/** The first character of a bullet, a heading or a quote: a line of prose, never the rest of a cut one. */
function proseMark(c: number): boolean {
  return c === 35 || c === 42 || c === 45 || c === 8226 || c === 62;
}

/**
 * The first character of the rest of a cut message, as it can go on in the middle of one: a lower-case
 * word, `(host:port)`, `[Connector[AJP/1.3-8009]]`, a quoted value. (A log line's head starting with
 * `[` was read as a line before this is asked.)
 */
function continuesWith(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 40 || c === 91 || c === 34;
}

/**
 * `prev` ends where its message cannot: at a colon, or at a preposition (the log messages of httpd,
 * mod_jk and Tomcat are English: `attempt to connect to` + `127.0.0.1:8019 (localhost) failed`), and
 * the next line (first character `c`) does not start a sentence. The value the line announces is
 * joined even to a line that already names a known message, since the rules read the value too.
 */
function valueFollows(prev: string, c: number): boolean {
  if (c <= 32 || (c >= 65 && c <= 90)) return false;
  // (by hand, not a regex anchored at the end: asked of every line of noise after another)
  let e = prev.length;
  while (e > 0 && prev.charCodeAt(e - 1) <= 32) e--;
  if (e === 0) return false;
  if (prev.charCodeAt(e - 1) === 58) return true;
  // the last word, if it is as short as a preposition (at most 4 letters after a blank or the start)
  let s = e - 1;
  while (s > 0 && e - s <= 4 && prev.charCodeAt(s - 1) > 32) s--;
  return (s === 0 || prev.charCodeAt(s - 1) <= 32) && e - s <= 4 && OPEN_ENDS.has(prev.slice(s, e));
}

/** The prepositions an English message does not end at (valueFollows). */
const OPEN_ENDS = new Set(['to', 'from', 'for', 'on', 'of', 'at', 'in', 'into', 'with', 'by']);

/**
 * A line that starts with a date and a time (`2017-03-12 16:39:28 …`, `21/Nov/2026:08:00:00`), or a
 * time to the second (`11:16:00,734 …`, line.ts CLOCK_FIRST): a record of its own, whatever layout it has.
 */
const DATE_TIME_FIRST = /^(?:\d{4}[-/.]\d\d?[-/.]\d\d?|\d\d?[-/.](?:\d\d?|[A-Za-z]{3})[-/.]\d{2,4})[ T:]\d\d:\d\d/;
const stampFirst = (s: string): boolean => DATE_TIME_FIRST.test(s) || CLOCK_FIRST.test(s);

/**
 * Two lines that start alike with a digit or a mark (`2026-11-21 08:00:00,000 - …`, `{"ts":…`): two
 * records of one layout, not a line and the rest a wrap cut from it. (Words vary: lines that start
 * with a letter are not compared.)
 */
function sameHead(a: string, b: string): boolean {
  const n = 8;
  if (a.length < n || b.length < n) return false;
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(k);
    const y = b.charCodeAt(k);
    const cx = x >= 48 && x <= 57 ? 0 : (x | 0x20) >= 97 && (x | 0x20) <= 122 ? 1 : x;
    const cy = y >= 48 && y <= 57 ? 0 : (y | 0x20) >= 97 && (y | 0x20) <= 122 ? 1 : y;
    if (cx !== cy || (k === 0 && cx === 1)) return false;
  }
  return true;
}

/** Mail clients wrap at 72–80 columns (RFC 2646 suggests 66–78); terminals at 80. */
const WRAP_MIN = 60;
/** A wrapped line is never very short: the next word would have been put on it. */
const MIN_CUT = 30;
const WRAP_MAX = 100;
/**
 * How far below the wrap width a cut line may end: a word wrap leaves the line short by at most the
 * next word, and words in log lines (class names, paths) run long. Lines ending within it say the
 * paste was wrapped (see wrapWidth).
 */
const WRAP_SLACK = 24;
/**
 * Lines read ahead at the start of a text before the first is read: whether the paste is wrapped
 * (wrapWidth) is a fact of its lines together, and a cut at its start, before a second line near the
 * width has come, was left apart (a wrapped paste of a dozen lines, BonCode's `aborted by the
 * software` cut in its third line). Enough for a paste; a log file pays them twice, once.
 */
const LOOK_AHEAD = 16;
/** A fragment takes the unrecognised lines that follow it (a wrapped message, a stack trace) up to these limits. */
const MAX_FRAGMENT_LINES = 12;
const MAX_FRAGMENT_CHARS = 4000;

/**
 * A line that ends in a Chinese or Japanese character other than a full stop: a wrap cut it
 * mid-sentence, where these scripts put no blank. (Korean puts blanks between words: a Hangul line's
 * cut is a blank, as in English.)
 */
function isCjkCut(line: string): boolean {
  const t = line.trimEnd();
  const c = t.charCodeAt(t.length - 1);
  const hangul = (c >= 0xac00 && c <= 0xd7af) || (c >= 0x3130 && c <= 0x318f) || (c >= 0x1100 && c <= 0x11ff);
  return c >= 0x3040 && !hangul && c !== 0x3002 && c !== 0xff0e && c !== 0xff01 && c !== 0xff1f;
}

/** The end of a line that a wrapped secret value may be cut from. */
const lastOf = (line: string): string => (line.length > 80 ? line.slice(-80) : line);

/** A letter at the end of `tail` and at the start of `next` whose junction spells a secret's keyword (a wrap mid-word). */
function cutsWord(tail: string, next: string): boolean {
  const a = tail.charCodeAt(tail.length - 1) | 0x20;
  if (a < 97 || a > 122) return false;
  const n = next.trimStart();
  const b = n.charCodeAt(0) | 0x20;
  return b >= 97 && b <= 122 && SECRET_HINT.test(tail.slice(-8) + n.slice(0, 8));
}

export class LogLineReader {
  private readonly sm: LogSummary;
  /**
   * The dialect and level of the events flushed last, and how many in a row, not yet added to the
   * summary: keyed updates of `byDialect` / `levels` per event cost more than the rest of the count.
   * Added in order, so the summary's keys keep the order of first occurrence.
   */
  private runDialect: LogEvent['dialect'] | undefined;
  private runDialects = 0;
  private runLevel: LogEvent['level'];
  private runLevels = 0;
  private readonly events: LogEvent[] = [];
  private pending: LogEvent | null = null;
  /** The lines of the pending event's stack trace past what its text holds (tomcat.ts MAX_TRACE_HEAD). */
  private traceRest: TraceRest | undefined;
  /** Cleaned text of the last physical line of `pending`. */
  private pendingLast = '';
  private joins = 0;
  private lineNo = 0;
  private isapi = false;
  /** Physical lines of the pending fragment: counted if it is not kept. */
  private fragCount = 0;
  /**
   * The first of them (number, text), while the summary still wants samples of unrecognised lines
   * (MAX_UNRECOGNISED_SAMPLES): past them a line of noise costs no object.
   */
  private readonly fragLines: { line: number; text: string }[] = [];
  /** The last line of the pending fragment under its wrappers. */
  private fragLast = '';
  /** Widest physical line so far: above the wrap width means the paste was not wrapped. */
  private longest = 0;
  /** Physical lines by their width under their wrappers, up to WRAP_MAX (see wrapWidth). */
  private readonly widths = new Uint32Array(WRAP_MAX + 1);
  /**
   * The widest physical line as it stands (cleaned: a CR and quote marks off, see joinSep); the
   * previous line's width and the current one's.
   */
  private rawLongest = 0;
  private prevWidth = 0;
  private curWidth = 0;
  /**
   * The first lines of the text, while they are read ahead (LOOK_AHEAD; null once read): their widths
   * are counted first (endLookAhead), then they are read as any line.
   */
  private ahead: { raw: string; chunk: string | undefined; start: number }[] | null = [];
  /** Lines still to come whose widths were counted ahead (not counted again). */
  private primed = 0;
  /** The current line's width is to be counted (it was not counted ahead). */
  private counted = true;

  /**
   * `onEvent`: stream mode. Each event is handed over as soon as it is complete (one line of
   * look-ahead) and not kept, so memory stays flat for any input size; `end()` then returns [].
   * In stream mode a jk line is labelled `isapi` only from the first ISAPI marker of the file on.
   */
  /** The previous physical line, cleaned (its end: secret values wrapped onto the next line). */
  private prev = '';
  /** The previous line may hold a keyword of SECRET_HINT (see push). */
  private prevMay = true;
  /** The previous line's raw text is printable ASCII with no gate word of the value patterns (SecretLook.lookJoined). */
  private prevFree = false;
  /** Keywords and odd characters looked for over each input chunk at once. */
  private readonly look = new SecretLook();
  /** The chunk of ASCII text the lines are read from next, and its bytes (chunkBytes). */
  private bytesOf: string | undefined;
  private bytes: Uint8Array | undefined;
  /**
   * The pending fragment (of one line) holds nothing knownMessage looks for, as its first look over
   * the line's bytes said (false: not known, the test decides at flush).
   */
  private fragClear = false;

  constructor(
    readonly path: string,
    private readonly ctx: LineContext,
    private readonly onEvent?: (ev: LogEvent) => void,
  ) {
    this.sm = { path, lines: 0, byDialect: {}, unrecognised: 0, unrecognisedSamples: [], levels: {} };
  }

  /** The lines of `chunk` pushed next hold nothing but printable ASCII, tab and CR (see SecretLook.plain). */
  plainChunk(chunk: string): void {
    this.look.plain(chunk);
  }

  /**
   * The lines of `chunk` pushed next are read from `bytes`, ASCII, one a character (undefined: not
   * known). A fragment's line is then first looked at through them (KnownMessage.firstLook):
   * most lines of noise are dropped on that look, and a typed array is cheaper to read than a string.
   */
  chunkBytes(chunk: string, bytes: Uint8Array | undefined): void {
    this.bytesOf = bytes === undefined ? undefined : chunk;
    this.bytes = bytes;
  }

  /**
   * Whether `body`, the line's text for the message layer, holds nothing knownMessage looks for, by
   * a first look over its bytes; false when that is not known (no first look, a line not read from
   * ASCII bytes, a body that is not the end of the line `t` = `chunk[start..start + t.length)`, as
   * unwrapping Markdown or HTML makes one).
   */
  private clearBytes(chunk: string | undefined, start: number, t: string, body: string): boolean {
    const look = this.ctx.knownMessage?.firstLook;
    if (look === undefined || chunk === undefined || chunk !== this.bytesOf) return false;
    if (body !== t && !t.endsWith(body)) return false;
    const end = start + t.length;
    return !look(this.bytes!, end - body.length, end);
  }

  /**
   * Feeds one physical line (without its `\n`). `chunk`/`start`: the line is `chunk[start..]`
   * (lets a kept event point into the chunk instead of owning a string, see JkLogEvent.rebase).
   */
  push(raw: string, chunk?: string, start = 0): void {
    const ahead = this.ahead;
    if (ahead === null) this.read(raw, chunk, start);
    else {
      ahead.push({ raw, chunk, start });
      if (ahead.length >= LOOK_AHEAD) this.endLookAhead();
    }
  }

  /**
   * The lines read ahead: first their widths, as a reader of their own reads them (the same test of
   * each line, so the same widths), then the lines themselves, with the whole start's widths known.
   */
  private endLookAhead(): void {
    const ahead = this.ahead;
    if (ahead === null) return;
    this.ahead = null;
    const scout = new LogLineReader(this.path, this.ctx);
    scout.ahead = null;
    scout.chunkBytes(this.bytesOf ?? '', this.bytes);
    for (const l of ahead) scout.read(l.raw, l.chunk, l.start);
    this.longest = scout.longest;
    this.rawLongest = scout.rawLongest;
    this.widths.set(scout.widths);
    this.primed = ahead.length;
    // (a line's chunk may be gone by now, a chunk read since: each test of a line against its chunk
    // asks whether it is the current one first, SecretLook.mayHold and clearBytes)
    for (const l of ahead) this.read(l.raw, l.chunk, l.start);
  }

  private read(raw: string, chunk?: string, start = 0): void {
    // (a line whose width was counted ahead is not counted again: pushLine)
    this.counted = this.primed === 0;
    if (!this.counted) this.primed--;
    // Length-capped before any pattern sees it: no log line of mod_jk, httpd or Tomcat is this long
    // (httpd's error log line buffer is 8 KiB), and a hostile one costs no more than this.
    if (raw.length > MAX_LINE) {
      raw = raw.slice(0, MAX_LINE);
      chunk = undefined;
    }
    // Secret values in any line (read or not) are scrubbed from every output (util/secrets.ts); a
    // value wrapped onto the next line ('worker.w1.secret\n' with value 'X'), or a wrap that cut the
    // keyword itself ('worker.w1.sec\nret' -> 'X', a hard wrap mid-word: the reader re-joins such
    // lines into the evidence text), is read with the end of the line before it.
    // (Both ends as cleaned: a CR before the LF, a mail's quote marks before the continuation.)
    const s = cleanLine(raw);
    const prev = this.prev;
    // The end of the previous line is looked at only when that line may hold a keyword: a line whose
    // raw text has no keyword and no invisible character (noteText said so) has none once cleaned
    // either (cleaning removes a CR, ANSI sequences — which start with ESC, an invisible character —
    // and leading quote marks: what is left is a part of it).
    // (cutsWord reads the last 8 characters only: the same of the line as of its last 80)
    if (prev !== '' && raw.length < 4096 && ((this.prevMay && SECRET_HINT.test(lastOf(prev))) || cutsWord(prev, s))) {
      const tail = lastOf(prev);
      const lead = s.trimStart();
      // The joined text is read only when it can hold a value: after a line of printable ASCII with a
      // keyword but no gate word (`Started Session 7`), a line of printable ASCII with no gate word
      // and no gate word across the junction gives noteText nothing (SecretLook.lookJoined). (The
      // previous line's `free`: its raw text had no gate word, and `prev` is a part of it: cleaning
      // printable ASCII only cuts a CR and quote marks off.)
      const k = this.prevFree && chunk !== undefined ? this.look.lookJoined(chunk, start, start + raw.length, raw, tail, lead) : 2;
      if (k === 2) {
        inputSecrets.noteText(tail + lead);
        this.prevMay = true;
      } else this.prevMay = k === 1;
      this.prevFree = k !== 2;
    } else if (chunk === undefined) {
      this.prevMay = inputSecrets.noteText(raw);
      this.prevFree = false;
    } else {
      // (0: no keyword, no hidden character: noteText would find nothing, and the next line need not
      // look back; 1: a keyword but no word any value pattern needs: it would find nothing and say true)
      const k = this.look.look(chunk, start, start + raw.length, raw);
      this.prevMay = k === 2 ? inputSecrets.noteText(raw) : k === 1;
      this.prevFree = k === 1;
    }
    this.prev = s;
    let w = s.length;
    while (w > 0 && s.charCodeAt(w - 1) <= 32) w--;
    this.prevWidth = this.curWidth;
    this.curWidth = w;
    if (w > this.rawLongest) this.rawLongest = w;
    this.lineNo++;
    this.sm.lines++;
    const t = s.trim();
    if (t === '' || isFence(t)) {
      this.flush(); // a blank line (or a Markdown fence) ends a paragraph: never join across it
      return;
    }
    // Several records glued into one line (a paste that lost its line ends): each read on its own.
    if (t.length >= GLUE_MIN) {
      const parts = splitGlued(t);
      if (parts !== null) {
        // (a line that held several records is wider than any wrap: the paste was not wrapped)
        if (t.length > this.longest) this.longest = t.length;
        for (const part of parts) this.pushLine(part, part, undefined, 0);
        return;
      }
    }
    this.pushLine(s, t, t === raw ? chunk : undefined, start);
  }

  /** One cleaned line `s` (trimmed: `t`) of the current physical line. */
  private pushLine(s: string, t: string, chunk: string | undefined, start: number): void {
    const p = this.pending;
    if (p !== null && p.dialect === 'tomcat' && tomcatLevelLine(p, t)) {
      if (t.length > this.longest) this.longest = t.length;
      this.pendingLast = s;
      return;
    }
    let ev = parseLine(t, this.ctx);
    // The line's text for the message layer (trimmed) and as laid out (indentation kept: stack frames).
    let body = t;
    let laid = s;
    // (the line without a leading line number: worked out once, asked for twice below)
    let numbered: string | null = null;
    if (ev === null) {
      numbered = stripLineNumber(t);
      if (numbered !== null) ev = parseLine(numbered, this.ctx);
    }
    // What the line says under a paste's wrappers (container / journal prefixes, Markdown, HTML, a
    // line number): only worked out for a line that does not read as it stands. Wrappers first: a
    // `grep -n`-like prefix would otherwise take the date of a `docker logs -t` stamp for a file name.
    if (ev === null) {
      let u = unwrapLine(t);
      if (u === null && numbered !== null) u = unwrapLine(numbered) ?? numbered;
      if (u !== null) {
        const ut = u.trim();
        if (ut === '' || isFence(ut)) {
          this.flush();
          return;
        }
        body = ut;
        laid = u;
        // (the line without its number as it stands was read above: the same text reads the same)
        ev = ut === numbered ? null : parseLine(ut, this.ctx);
        if (ev === null) {
          const n = stripLineNumber(ut);
          if (n !== null) ev = parseLine(n, this.ctx);
        }
      }
    }
    // The widest line, as it reads under its wrappers (a wrap cut the text, not the prefix a
    // container or a journal put before each line): tryJoin's wrap width.
    // (the line's width as laid out: a wrap cut the indented line; the same as the body's but for an indentation)
    const width = laid === body ? body.length : laid.trimEnd().length;
    if (width > this.longest) this.longest = width;
    if (width <= WRAP_MAX && this.counted) this.widths[width]++;
    // A head with nothing after it (`[stamp] [pid:tid] [info]`) was cut by a wrap: the next line is
    // its rest even when that rest parses alone (`jk_connect.c (451): …` reads as a bare jk line).
    // (Only worked out when it can matter: an event that has a stamp or level never joins.)
    const headOnly =
      p !== null && (ev === null || (ev.ts === undefined && ev.level === undefined)) &&
      p.dialect !== 'tomcat' && p.dialect !== 'jk-request' && p.dialect !== 'fragment' &&
      (p instanceof JkLogEvent ? p.messageEmpty : p.message === '');
    // (The line as it reads under its wrappers: a container or journal prefix, Markdown or a line
    // number on each physical line of a wrapped record wraps its rest as well as its head.)
    if (ev !== null && headOnly && ev.ts === undefined && ev.level === undefined && this.tryJoin(p, laid, t, body, true)) return;
    if (ev !== null) {
      this.flush();
      // (only when the event's text is the raw line itself: nothing cleaned, trimmed or joined)
      if (chunk !== undefined && ev.text === t && ev instanceof JkLogEvent) ev.rebase(chunk, start);
      ev.path = this.path;
      ev.line = this.lineNo;
      this.pending = ev;
      this.pendingLast = laid;
      this.joins = 0;
      return;
    }
    // The rest of a line a wrap cut has no line number of its own when the line had none: it is text
    // that looks like one (the `-0:0:` of `ajp-bio-0:0:0:0:0:0:0:1-8009` cut after `ajp-bio`), read
    // as it stands. (Other wrappers are not judged so: a line may read as a log line with its
    // wrapper on, a Markdown backtick, while its rest does not.)
    if (p !== null && ev === null && numbered !== null && body !== t && stripLineNumber(this.pendingLast.trim()) === null && (this.terminalCut(this.pendingLast, s) || this.wrapCut(this.pendingLast, t))) {
      body = t;
      laid = s;
    }
    if (p !== null) {
      const frag = p.dialect === 'fragment' && this.joins < MAX_FRAGMENT_LINES && p.text.length + body.length < MAX_FRAGMENT_CHARS;
      const c = body.charCodeAt(0);
      // Chinese and Japanese text is wrapped without a blank: the cut line goes on directly.
      const cjk = frag && c >= 0x3040 && isCjkCut(this.fragLast);
      // In a paste wrapped throughout, the rest of a line the wrap cut goes on with the line whatever
      // it says (a `Caused by:` whose message goes on with a capital, a path after `Cannot load`, a
      // blank a hard wrap put first, which would read as a trace line), unless it is a trace line as
      // it stands (`at …`, `Caused by: …`). A fragment is then kept or dropped as a whole at flush, by
      // the message it names.
      // So too a line a terminal cut mid-word at its 80 columns (no blank at the cut), in a paste whose
      // lines are no wider than a wrap, whatever the paste's other widths.
      const cut =
        (p.dialect === 'tomcat' || frag) && !cjk && (this.wrapCut(this.pendingLast, body) || this.terminalCut(this.pendingLast, laid)) && !isTomcatContinuation(body);
      if (!cut && (p.dialect === 'tomcat' || frag) && isTomcatContinuation(laid)) {
        this.traceRest = appendTomcatContinuation(p, laid, this.traceRest);
        this.pendingLast = laid;
        if (frag) {
          // (a needle may span the line end: the test reads the fragment's lines together)
          this.fragClear = false;
          this.fragLine(t, body);
        }
        return;
      }
      if (p.dialect === 'fragment') {
        // Another line of no known layout joins the fragment only where a wrap cut it (above), or cut
        // a known message, or the fragment ends where a message cannot (valueFollows) and the two name
        // a known message (as for a log line, see tryJoin); unrelated lines stay apart, each its own evidence.
        const known = this.ctx.knownMessage;
        let sep: string | undefined;
        if (cut) sep = this.joinSep(this.pendingLast, laid, p.message, body);
        else if (frag && known !== undefined) {
          if (cjk ? this.fragClear || !known(p.message) : this.leftOpen(this.pendingLast, c, p.message, this.fragClear)) {
            const s = cjk ? '' : this.joinSep(this.pendingLast, laid, p.message, body);
            if (known(`${p.message}${s}${body}`)) sep = s;
          }
        }
        if (sep !== undefined) {
          appendFragmentLine(p, body, sep);
          this.fragClear = false;
          this.pendingLast = laid;
          this.fragLine(t, body);
          return;
        }
      } else if (p.dialect === 'tomcat') {
        if (this.traceRest === undefined && this.joinTomcat(p, laid, body, cut)) return;
      } else if (this.tryJoin(p, laid, t, body, headOnly)) return;
    }
    this.flush();
    // Not a line of any layout we know: kept as a fragment (a bare message, an exception, a line of
    // an unknown layout), for the rules to recognise the catalogue's messages in it wherever they stand.
    const f = fragmentEvent(body);
    f.path = this.path;
    f.line = this.lineNo;
    this.pending = f;
    this.fragClear = this.clearBytes(chunk, start, t, body);
    this.pendingLast = laid;
    this.joins = 0;
    this.fragCount = 0;
    // (an array's length set when it is already 0 still costs a runtime call)
    if (this.fragLines.length !== 0) this.fragLines.length = 0;
    this.fragLine(t, body);
  }

  private fragLine(t: string, body: string): void {
    this.fragLast = body;
    this.joins++;
    this.fragCount++;
    if (this.sm.unrecognisedSamples.length + this.fragLines.length < MAX_UNRECOGNISED_SAMPLES) this.fragLines.push({ line: this.lineNo, text: t });
  }

  /** What was read so far: lines, events by dialect and level, stamps, unrecognised lines. */
  get summary(): LogSummary {
    this.countRuns();
    return this.sm;
  }

  private countRuns(): void {
    const sm = this.sm;
    if (this.runDialects > 0) {
      sm.byDialect[this.runDialect!] = (sm.byDialect[this.runDialect!] ?? 0) + this.runDialects;
      this.runDialects = 0;
    }
    if (this.runLevels > 0) {
      sm.levels[this.runLevel!] = (sm.levels[this.runLevel!] ?? 0) + this.runLevels;
      this.runLevels = 0;
    }
  }

  /** Unrecognised lines: `count` counted, and a few of `lines` (the first of them) sampled for the summary. */
  private unrecognised(count: number, lines: readonly { line: number; text: string }[]): void {
    const sm = this.sm;
    sm.unrecognised += count;
    for (const { line, text: t } of lines) {
      if (sm.unrecognisedSamples.length >= MAX_UNRECOGNISED_SAMPLES) break;
      sm.unrecognisedSamples.push({ line, text: inputSecrets.cut(t, 200) });
    }
  }

  /**
   * Re-joins a line that a mail client or terminal cut (`laid`: the line under its wrappers as laid
   * out, `raw`: the line as cleaned, `t`: what it says under its wrappers, which is what is joined):
   * only when the previous physical line has a wrapping width, this one is not itself a log line, a
   * list item or a quote, and the joined text still parses as the same dialect (so the fields in
   * the tail are read).
   */
  private tryJoin(p: LogEvent, laid: string, raw: string, t: string, headOnly: boolean): boolean {
    // JkRequestLog lines have a free format (any tail parses); Tomcat's are joined by joinTomcat.
    if (this.joins >= MAX_JOINS || p.dialect === 'tomcat' || p.dialect === 'jk-request') return false;
    const prev = this.pendingLast;
    const plen = prev.trimEnd().length;
    const c = t.charCodeAt(0);
    // Bullets and headings are prose, as written or under a wrapper (a line number strips a bullet
    // too). (A `[` line that got here is no head of its own: `[client …] AH…`.)
    if (proseMark(c) || proseMark(raw.charCodeAt(0))) return false;
    // A line that carries on what the previous one left open (leftOpen) continues it, whatever the
    // widths: forums wrap at their own width, and pastes mix wrapped and unwrapped lines. Only when
    // the two name a message the rules know.
    const known = this.ctx.knownMessage;
    const continues = known !== undefined && this.leftOpen(prev, c, p.message) && known(`${p.message} ${t}`);
    if (!headOnly && !continues) {
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
    const joined = `${p.text.trimEnd()}${this.joinSep(prev, laid, p.message.trimEnd(), t)}${t}`;
    const re = parseLine(joined, this.ctx);
    // Same dialect, or a jk line cut before its `file.c (line): ` (its first half reads as httpd 2.2).
    if (re === null || (re.dialect !== p.dialect && !(p.dialect === 'httpd' && (re.dialect === 'modjk' || re.dialect === 'isapi')))) return false;
    re.path = p.path;
    re.line = p.line;
    this.pending = re;
    this.pendingLast = laid;
    this.joins++;
    return true;
  }

  /**
   * The wrap width when the paste reads as wrapped throughout (0: it does not): its widest line is a
   * wrap width (WRAP_MIN–WRAP_MAX) and another line ends within WRAP_SLACK of it.
   */
  private wrapWidth(): number {
    const w = this.longest;
    if (w < WRAP_MIN || w > WRAP_MAX) return 0;
    let near = 0;
    for (let k = w - WRAP_SLACK; k <= w; k++) near += this.widths[k];
    return near >= 2 ? w : 0;
  }

  /**
   * Whether a wrap cut the line `prev` (as laid out) before `next` (under its wrappers), in a paste
   * wrapped throughout: the reflow test (tryJoin), and no new sentence after a finished one.
   */
  private wrapCut(prev: string, next: string): boolean {
    const longest = this.longest;
    if (longest < WRAP_MIN || longest > WRAP_MAX || next.length > longest) return false;
    const p = prev.trimEnd();
    const sp = next.indexOf(' ');
    if (p.length + 1 + (sp < 0 ? next.length : sp) <= longest || p.trimStart().length < MIN_CUT || this.wrapWidth() === 0) return false;
    const c = next.charCodeAt(0);
    if (proseMark(c) || (/[.!?]$/.test(p) && c >= 65 && c <= 90) || sameHead(p.trimStart(), next) || stampFirst(next)) return false;
    // A known message that ends in a colon introduces the next line, as httpd's `Syntax error on line
    // 7 of …:` does the directive's own message (server/config.c, ap_process_config_tree: AH00526,
    // then the message as a record of its own): two lines, not one cut.
    const known = this.ctx.knownMessage;
    return !(p.endsWith(':') && c >= 65 && c <= 90 && known !== undefined && known(p));
  }

  /**
   * Whether the line `prev` is left open for the next one (its first character `c`) by what it says:
   * it ends where a message cannot (valueFollows), or it ends mid-sentence and the next goes on as the
   * middle of a message does (continuesWith) while the message so far, `head`, names no known message
   * (`clear`: already known not to). The caller then asks whether the two together name one: prose
   * after a complete log line is never glued to it. (The one test of the fragment, Tomcat and log-line
   * joins.)
   */
  private leftOpen(prev: string, c: number, head: string, clear = false): boolean {
    if (valueFollows(prev, c)) return true;
    const known = this.ctx.knownMessage;
    return known !== undefined && continuesWith(c) && !/[.!?;]\s*$/.test(prev) && (clear || !known(head));
  }

  /** `prev` is 80 wide, a terminal's default width, and its rest `next` goes on without a blank between them. */
  private terminalCut(prev: string, next: string): boolean {
    return prev.length === 80 && this.longest <= WRAP_MAX && prev.charCodeAt(79) > 32 && next.charCodeAt(0) > 32;
  }

  /**
   * What a cut line and its rest are joined with (`prev`, `next`: the two lines as laid out; `head`:
   * the message up to the cut, `body`: the rest): a blank, as a word wrap (format=flowed keeps it at
   * the end of the cut line) or the blank the cut took. None where a terminal cut mid-word: the cut
   * line is 80 wide (a terminal's default), or it is the widest so far, as it stands (a terminal cut
   * it with whatever markup a paste put around it, an inline code span's backtick), no blank at the
   * cut, and the message reads as one the rules know only without a blank (`Failed to s` + `tart
   * connector`). A cut elsewhere keeps the blank:
   * the widths alone cannot tell a terminal's cut from a word wrap (log lines with heads of one
   * length wrap at one width).
   */
  private joinSep(prev: string, next: string, head: string, body: string): string {
    if (/\s$/.test(prev) || /^\s/.test(next)) return ' ';
    // a terminal's default width
    if (prev.length === 80) return '';
    const n = this.prevWidth;
    if (n !== this.rawLongest || n < WRAP_MIN) return ' ';
    const known = this.ctx.knownMessage;
    return known !== undefined && known(`${head}${body}`) && !known(`${head} ${body}`) ? '' : ' ';
  }

  /**
   * The rest of a Tomcat line (its head or the last line of its trace, `pendingLast`) that a wrap cut:
   * in a paste wrapped throughout (`cut`: wrapCut said so), or where the cut went through a message the rules know
   * (the line alone does not name it, the line and its rest do, as for a fragment). Joined to the
   * event's last line, and that line's facts read again (a port after the cut).
   */
  private joinTomcat(p: LogEvent, laid: string, body: string, cut: boolean): boolean {
    if (this.joins >= MAX_TRACE_JOINS || p.text.length + body.length > MAX_TRACE_HEAD) return false;
    const last = this.pendingLast.trim();
    let sep: string;
    if (cut) sep = this.joinSep(this.pendingLast, laid, last, body);
    else {
      const known = this.ctx.knownMessage;
      if (known === undefined || !this.leftOpen(last, body.charCodeAt(0), last)) return false;
      sep = this.joinSep(this.pendingLast, laid, last, body);
      if (!known(`${last}${sep}${body}`)) return false;
    }
    p.text = `${p.text.trimEnd()}${sep}${body}`;
    p.message = `${p.message.trimEnd()}${sep}${body}`;
    tomcatFields(`${last}${sep}${body}`, p.fields);
    this.pendingLast = `${this.pendingLast.trimEnd()}${sep}${body}`;
    this.joins++;
    return true;
  }

  private flush(): void {
    const ev = this.pending;
    if (ev === null) return;
    this.pending = null;
    if (this.traceRest !== undefined) {
      finishTomcatTrace(ev, this.traceRest);
      this.traceRest = undefined;
    }
    const sm = this.sm;
    if (ev.dialect === 'fragment') {
      const known = this.ctx.knownMessage;
      if (known === undefined || this.fragClear || !known(ev.message)) {
        this.unrecognised(this.fragCount, this.fragLines);
        this.fragCount = 0;
        if (this.fragLines.length !== 0) this.fragLines.length = 0;
        return;
      }
      finishFragment(ev);
    }
    if (ev.dialect === 'isapi') this.isapi = true;
    else if (this.isapi && ev.dialect === 'modjk') ev.dialect = 'isapi';
    if (this.onEvent !== undefined) this.onEvent(ev);
    else this.events.push(ev);
    const dialect = ev.dialect;
    if (dialect !== this.runDialect) {
      if (this.runDialects > 0) sm.byDialect[this.runDialect!] = (sm.byDialect[this.runDialect!] ?? 0) + this.runDialects;
      this.runDialect = dialect;
      this.runDialects = 0;
    }
    this.runDialects++;
    const level = ev.level;
    if (level !== undefined) {
      if (level !== this.runLevel) {
        if (this.runLevels > 0) sm.levels[this.runLevel!] = (sm.levels[this.runLevel!] ?? 0) + this.runLevels;
        this.runLevel = level;
        this.runLevels = 0;
      }
      this.runLevels++;
    }
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
    this.endLookAhead();
    this.flush();
    if (this.isapi && this.onEvent !== undefined) {
      // Stream mode: the events before the first ISAPI marker went out as modjk; the summary counts them as the file's.
      const by = this.summary.byDialect;
      if (by.modjk) {
        by.isapi = (by.isapi ?? 0) + by.modjk;
        delete by.modjk;
      }
    } else if (this.isapi) {
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

