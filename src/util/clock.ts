/**
 * Frame times as tshark prints them with `-t` (tshark(1), "-t a|ad|adoy|d|dd|e|r|u|ud|udoy"), so a
 * line of ours can be put beside Wireshark's and beside log stamps:
 *   r  seconds relative to the capture's first packet ("0.000000", frame.time_relative)
 *   a  absolute local time ("10:15:52.541103")      ad  with the date ("2026-11-21 10:15:52.541103")
 *   u  absolute UTC time                            ud  with the date
 *   e  seconds since the epoch ("1795256152.541103", frame.time_epoch)
 * Microsecond precision, as tshark shows a pcap (µs) capture.
 */
export type TimeFormat = 'r' | 'a' | 'ad' | 'u' | 'ud' | 'e';

export const TIME_FORMATS: readonly TimeFormat[] = ['r', 'a', 'ad', 'u', 'ud', 'e'];

export function isTimeFormat(v: unknown): v is TimeFormat {
  return typeof v === 'string' && (TIME_FORMATS as readonly string[]).includes(v);
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Whole seconds and microseconds of a float time, rounded to the microsecond. */
function split(ts: number): { sec: number; us: number } {
  let sec = Math.floor(ts);
  let us = Math.round((ts - sec) * 1e6);
  if (us >= 1e6) {
    sec += 1;
    us -= 1e6;
  }
  return { sec, us };
}

/** The largest time a JavaScript Date holds (ECMA-262 21.4.1.1: ±8.64e15 ms from the epoch). */
const MAX_DATE_MS = 8.64e15;

/** Whether `ms` since the epoch is a time a Date can show (finite, within ±275,760 years). */
export function isDateMs(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/**
 * ISO 8601 of `ms` since the epoch, never throwing: a time a damaged capture or log pushed out of
 * the Date range (a pcapng if_tsresol / if_tsoffset, a year of nine digits) reads as such, not as
 * a RangeError or "Invalid Date".
 */
export function isoTime(ms: number): string {
  return isDateMs(ms) ? new Date(ms).toISOString() : `(time out of range: ${Number.isFinite(ms) ? (ms / 1000).toExponential(6) : 'not a number'} s)`;
}

/** `ts` (seconds since the epoch) in the format; `t0` is the capture's first packet (for r). */
export function formatTime(ts: number, fmt: TimeFormat, t0: number): string {
  if (!Number.isFinite(ts) || !Number.isFinite(t0)) return '(no time)';
  if (fmt === 'r') return (ts - t0).toFixed(6);
  // Out of the Date range (a damaged timestamp): seconds since the epoch, as -t e would show them.
  if (fmt !== 'e' && !isDateMs(ts * 1000)) return ts.toFixed(6);
  const { sec, us } = split(ts);
  const frac = String(us).padStart(6, '0');
  if (fmt === 'e') return `${sec}.${frac}`;
  const d = new Date(sec * 1000);
  const utc = fmt === 'u' || fmt === 'ud';
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const clock = `${two(h)}:${two(m)}:${two(s)}.${frac}`;
  if (fmt === 'a' || fmt === 'u') return clock;
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utc ? d.getUTCDate() : d.getDate();
  return `${y}-${two(mo)}-${two(day)} ${clock}`;
}

/** A formatter bound to a format and the capture start. */
export function clock(fmt: TimeFormat, t0: number): (ts: number) => string {
  return (ts) => formatTime(ts, fmt, t0);
}
