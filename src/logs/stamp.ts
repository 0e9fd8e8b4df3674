/**
 * Timestamp readers. The fast path is the stamp mod_jk, the ISAPI redirector and httpd write by
 * default, `Www Mmm dd HH:MM:SS[.fff|.ffffff] YYYY` (mod_jk `JK_DEFAULT_LOG_STAMP_FORMAT` in
 * jk_util.c, httpd `ap_recent_ctime_ex()`); it is read by character positions, no regex, no Intl.
 * Everything else (custom `JkLogStampFormat`, ISO, Tomcat juli, access-log style) goes through
 * {@link parseStampText}, a few regexes tried in turn.
 */
import { inferYear, monthAt, monthIndex, type ZoneClock } from './time.js';

export interface StampContext {
  clock: ZoneClock;
  /** "Now" for stamps without a year (epoch ms). */
  now: number;
}

const d2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/**
 * `s[start..end)` = `Tue Mar 04 10:12:33 2025`, `Tue Mar 04 10:12:33.517 2025` or
 * `Tue Dec 17 18:06:19.375949 2019`. Returns UTC ms, or undefined when it is not that shape.
 * The day may be space-padded (`Mar  4`, C `asctime` style).
 */
export function parseDefaultStamp(s: string, start: number, end: number, ctx: StampContext): number | undefined {
  const len = end - start;
  if (len < 24 || s.charCodeAt(start + 3) !== 32 || s.charCodeAt(start + 7) !== 32) return undefined;
  const mo = monthAt(s, start + 4);
  if (mo < 0) return undefined;
  let day = d2(s, start + 8);
  if (day < 0 && s.charCodeAt(start + 8) === 32) {
    const c = s.charCodeAt(start + 9) - 48;
    day = c >= 1 && c <= 9 ? c : -1;
  }
  const p = start + 11;
  const h = d2(s, p);
  const mi = d2(s, p + 3);
  const sec = d2(s, p + 6);
  if (day < 1 || h < 0 || mi < 0 || sec < 0 || s.charCodeAt(p + 2) !== 58 || s.charCodeAt(p + 5) !== 58) return undefined;
  let q = p + 8;
  let ms = 0;
  if (s.charCodeAt(q) === 46) {
    // fraction: %Q = 3 digits (ms), %q = 6 digits (µs), httpd = 6 digits
    let v = 0;
    let n = 0;
    q++;
    let digits = 0;
    for (let c = s.charCodeAt(q) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++q) - 48) {
      // Digits past the ninth (a nanosecond) change nothing a log can say; read on, not into v,
      // so that 400 of them never make Infinity / Infinity.
      if (n < 9) (v = v * 10 + c), n++;
      digits++;
    }
    if (digits === 0) return undefined;
    ms = n === 3 ? v : (v / 10 ** n) * 1000;
  }
  if (s.charCodeAt(q) !== 32 || end - q !== 5) return undefined;
  const y = d2(s, q + 1) * 100 + d2(s, q + 3);
  if (y < 1900) return undefined;
  // Consecutive lines share the minute: reuse its UTC base instead of converting again.
  const minuteKey = ((((y * 12 + mo) * 32 + day) * 24 + h) * 60 + mi);
  if (minuteKey === lastMinuteKey && ctx.clock === lastClock) return lastMinuteBase + sec * 1000 + ms;
  const base = ctx.clock.toUtc(y, mo, day, h, mi, 0, 0);
  lastMinuteKey = minuteKey;
  lastMinuteBase = base;
  lastClock = ctx.clock;
  return base + sec * 1000 + ms;
}

let lastMinuteKey = -1;
let lastMinuteBase = 0;
let lastClock: ZoneClock | null = null;

function fraction(f: string | undefined): number {
  if (!f) return 0;
  if (f.length > 9) f = f.slice(0, 9);
  const v = Number(f);
  return f.length === 3 ? v : (v / 10 ** f.length) * 1000;
}

function zoneOffsetMs(z: string): number {
  if (z === 'Z' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

// Each: [regex, builder]. Anchored, whole string.
const ISO = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const ASCTIME = /^(?:[A-Za-z]{3},? )?([A-Za-z]{3}) {1,2}(\d{1,2}),? (?:(\d{4}) )?(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: (\d{4}))?$/;
const DMY = /^(\d{1,2})[-/ ](\p{L}{3,5}\.?)[-/ ](\d{4})[: ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ([+-]\d{4}))?$/u;
const EUROPEAN = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/;
/** Java SimpleFormatter: `Nov 21, 2026 10:00:00 AM`. */
const JAVA_US = /^([A-Za-z]{3}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/;

/**
 * Reads any stamp we know in a trimmed string; undefined when it is not a stamp, NaN never
 * escapes (invalid dates → undefined).
 */
export function parseStampText(t: string, ctx: StampContext): number | undefined {
  if (t.length < 8 || t.length > 64) return undefined;
  const fast = parseDefaultStamp(t, 0, t.length, ctx);
  if (fast !== undefined) return ok(fast);
  // Each regex below is tried only where the characters it starts with are: ISO, DMY and
  // EUROPEAN start with a digit, ASCTIME and JAVA_US with a letter (most texts asked are no stamp:
  // the head of a line of some other program). The order among those that remain is the same.
  const c = t.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (c >= 48 && c <= 57) {
    const c4 = t.charCodeAt(4);
    // (ISO ends with a digit of its time, fraction or zone, a `Z`, or blanks: the head of some other
    // program's line, `2026-11-21 08:00:00,000 - app -`, is turned down by its last character)
    if ((c4 === 45 || c4 === 47) && isDateSeparator(t.charCodeAt(7)) && isoMayEnd(t.charCodeAt(t.length - 1))) {
      m = ISO.exec(t);
      if (m) {
        const ms = fraction(m[7]);
        if (m[8]) {
          return ok(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + ms - zoneOffsetMs(m[8]));
        }
        return ok(ctx.clock.toUtc(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
      }
    }
    const c1 = t.charCodeAt(1);
    const c2 = t.charCodeAt(2);
    if ((isDmySeparator(c1) && mayBeLetter(c2)) || (isDmySeparator(c2) && mayBeLetter(t.charCodeAt(3)))) {
      const clf = clfStamp(t);
      if (clf !== undefined) return ok(clf);
      m = DMY.exec(t);
      if (m) {
        const mo = monthIndex(m[2]);
        if (mo < 0) return undefined;
        const ms = fraction(m[7]);
        if (m[8]) return ok(Date.UTC(+m[3], mo, +m[1], +m[4], +m[5], +m[6]) + ms - zoneOffsetMs(m[8]));
        return ok(ctx.clock.toUtc(+m[3], mo, +m[1], +m[4], +m[5], +m[6], ms));
      }
    }
    if (c2 === 46 && t.charCodeAt(5) === 46) {
      m = EUROPEAN.exec(t);
      if (m) return ok(ctx.clock.toUtc(+m[3], +m[2] - 1, +m[1], +m[4], +m[5], +m[6], fraction(m[7])));
    }
    return undefined;
  }
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return undefined;
  m = ASCTIME.exec(t);
  if (m) {
    const mo = monthIndex(m[1]);
    if (mo < 0) return undefined;
    const y = m[3] ? +m[3] : m[8] ? +m[8] : inferYear(mo, +m[2], ctx.now);
    return ok(ctx.clock.toUtc(y, mo, +m[2], +m[4], +m[5], +m[6], fraction(m[7])));
  }
  m = JAVA_US.exec(t);
  if (m) {
    const mo = monthIndex(m[1]);
    if (mo < 0) return undefined;
    let h = +m[4] % 12;
    if (m[7] === 'PM') h += 12;
    return ok(ctx.clock.toUtc(+m[3], mo, +m[2], h, +m[5], +m[6], 0));
  }
  return undefined;
}

/**
 * False only when no text that starts with the first 8 characters of `t` is a stamp parseStampText
 * reads: the characters each of its readers needs at fixed places (a blank at 3 and 7 for the
 * default stamp, a digit first and a separator at 4, 1 or 2 for ISO, DMY and EUROPEAN, a letter
 * first for the others). A cheap way to rule out the head of a line that a layout would take for
 * a stamp only after a regex run.
 */
export function stampMayStart(t: string): boolean {
  if (t.length < 8) return false;
  if (t.charCodeAt(3) === 32 && t.charCodeAt(7) === 32) return true;
  const c = t.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const c1 = t.charCodeAt(1);
    const c2 = t.charCodeAt(2);
    const c4 = t.charCodeAt(4);
    return (
      ((c4 === 45 || c4 === 47) && isDateSeparator(t.charCodeAt(7))) ||
      (isDmySeparator(c1) && mayBeLetter(c2)) ||
      (isDmySeparator(c2) && mayBeLetter(t.charCodeAt(3))) ||
      (c2 === 46 && t.charCodeAt(5) === 46)
    );
  }
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/*
 * The places the readers of parseStampText need (a text whose characters there are others is no
 * stamp of theirs, and its regex is not run):
 *   ISO       `yyyy-mm-dd`, `yyyy/mm/dd`: a separator at 4 and at 7;
 *   DMY       `d-Mmm-yyyy`, `dd/Mmm/yyyy`, `dd Mmm yyyy`: a separator at 1 or 2, a letter after it;
 *   EUROPEAN  `dd.mm.yyyy`: a dot at 2 and at 5.
 */
const WHITE = /\s/;
/** A character ISO may end with: a digit, `Z`, or one of `\s` (beyond ASCII asked of the regex itself). */
function isoMayEnd(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 90 || c === 32 || (c >= 9 && c <= 13) || (c > 127 && WHITE.test(String.fromCharCode(c)));
}

/** `-` or `/`: ISO's date separators. */
const isDateSeparator = (c: number): boolean => c === 45 || c === 47;
/** `-`, `/` or a blank: what follows the day of a DMY stamp. */
const isDmySeparator = (c: number): boolean => c === 45 || c === 47 || c === 32;
/** A letter of DMY's month (`\p{L}`): an ASCII letter, or any character beyond ASCII (the regex decides). */
const mayBeLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;

/**
 * The access log's stamp, `21/Nov/2026:08:00:16 +0000` (httpd mod_log_config `%t`,
 * `[%d/%b/%Y:%H:%M:%S %z]`; Tomcat AccessLogValve's `%t` alike), read by character positions: the
 * value DMY gives for it (an English month, no fraction), or undefined to let DMY read it.
 */
function clfStamp(t: string): number | undefined {
  if (t.length !== 26 || t.charCodeAt(2) !== 47 || t.charCodeAt(6) !== 47 || t.charCodeAt(11) !== 58) return undefined;
  if (t.charCodeAt(14) !== 58 || t.charCodeAt(17) !== 58 || t.charCodeAt(20) !== 32) return undefined;
  const sign = t.charCodeAt(21);
  if (sign !== 43 && sign !== 45) return undefined;
  const mo = monthAt(t, 3);
  const d = d2(t, 0);
  const y1 = d2(t, 7);
  const y2 = d2(t, 9);
  const h = d2(t, 12);
  const mi = d2(t, 15);
  const sec = d2(t, 18);
  const zh = d2(t, 22);
  const zm = d2(t, 24);
  if (mo < 0 || d < 0 || y1 < 0 || y2 < 0 || h < 0 || mi < 0 || sec < 0 || zh < 0 || zm < 0) return undefined;
  // (as DMY's branch computes it: Date.UTC, plus no fraction, minus the zone offset)
  return Date.UTC(y1 * 100 + y2, mo, d, h, mi, sec) + 0 - (sign === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
}

function ok(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}
