/**
 * Wall-clock stamps → UTC epoch milliseconds.
 *
 * Log stamps carry no zone (mod_jk `strftime`, httpd `apr_ctime`, Tomcat `SimpleDateFormat`), so the
 * user names the zone (`--log-tz`): an IANA name (resolved with Intl) or a fixed `±hh:mm` offset.
 * Intl is slow, so the offset is looked up once per local hour and cached: a million lines from the
 * same hour cost one Intl call.
 */

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/**
 * Month abbreviations of other locales, as Java's `SimpleDateFormat("MMM")` and `%tb` print them
 * on a server whose default locale is not English (Tomcat juli stamps): de, fr, es, it, pt, nl.
 */
const LOCAL_MONTHS: Record<string, number> = {
  'mär': 2, mrz: 2, mai: 4, okt: 9, dez: 11, // de
  janv: 0, 'févr': 1, fevr: 1, mars: 2, avr: 3, juin: 5, juil: 6, 'août': 7, aout: 7, sept: 8, 'déc': 11, // fr
  ene: 0, abr: 3, ago: 7, dic: 11, // es
  gen: 0, mag: 4, giu: 5, lug: 6, set: 8, ott: 9, // it
  fev: 1, out: 9, // pt
  mrt: 2, mei: 4, // nl
};

/** 0-based month from an abbreviation (`Mar`, `mar`, `MAR`, `March`, `Mär`, `févr.`); -1 when unknown. */
export function monthIndex(name: string): number {
  const lower = name.toLowerCase();
  const m = MONTHS[lower.slice(0, 3)];
  if (m !== undefined) return m;
  const t = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  return LOCAL_MONTHS[t] ?? LOCAL_MONTHS[t.slice(0, 3)] ?? LOCAL_MONTHS[t.slice(0, 4)] ?? -1;
}

/** Fast path for the exact three-letter English month at `s[i..i+3)` (the default stamps). */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 0x20;
  const b = s.charCodeAt(i + 1) | 0x20;
  const c = s.charCodeAt(i + 2) | 0x20;
  switch (a) {
    case 0x6a: // j
      if (b === 0x61 && c === 0x6e) return 0; // jan
      if (b === 0x75) return c === 0x6e ? 5 : c === 0x6c ? 6 : -1; // jun jul
      return -1;
    case 0x66: return b === 0x65 && c === 0x62 ? 1 : -1; // feb
    case 0x6d: return b === 0x61 ? (c === 0x72 ? 2 : c === 0x79 ? 4 : -1) : -1; // mar may
    case 0x61: return b === 0x70 && c === 0x72 ? 3 : b === 0x75 && c === 0x67 ? 7 : -1; // apr aug
    case 0x73: return b === 0x65 && c === 0x70 ? 8 : -1; // sep
    case 0x6f: return b === 0x63 && c === 0x74 ? 9 : -1; // oct
    case 0x6e: return b === 0x6f && c === 0x76 ? 10 : -1; // nov
    case 0x64: return b === 0x65 && c === 0x63 ? 11 : -1; // dec
    default: return -1;
  }
}

/** Converts a wall-clock time in the log's zone to UTC epoch ms. */
export interface ZoneClock {
  /** `month` 0-based; `ms` may carry a fraction (microsecond stamps). NaN when the fields are invalid. */
  toUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number;
  /** What the user asked for, normalised, for summaries. */
  readonly name: string;
}

const FIXED = /^(?:UTC|GMT|Z)?\s*([+-])(\d{1,2}):?(\d{2})?$/i;

/**
 * `tz`: undefined → the machine's local zone; `UTC`/`Z`/`GMT`; `+02:00`, `-0530`, `+2`; or an IANA
 * name such as `Europe/Berlin`. Throws RangeError for a zone Intl does not know (the CLI turns it
 * into a one-line error; it is the user's option, not log input).
 */
export function zoneClock(tz?: string): ZoneClock {
  const t = tz?.trim();
  if (t && /^(UTC|GMT|Z|Etc\/UTC|Etc\/GMT)$/i.test(t)) return fixedClock(0, 'UTC');
  const m = t ? FIXED.exec(t) : null;
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    const h = Number(m[2]);
    const mi = m[3] ? Number(m[3]) : 0;
    if (h > 14 || mi > 59) throw new RangeError(`invalid UTC offset: ${tz}`);
    const off = sign * (h * 60 + mi);
    return fixedClock(off, `${sign < 0 ? '-' : '+'}${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`);
  }
  const zone = t || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return ianaClock(zone);
}

function fixedClock(offsetMin: number, name: string): ZoneClock {
  const offMs = offsetMin * 60_000;
  return {
    name,
    toUtc(y, mo, d, h, mi, s, ms) {
      return Date.UTC(y, mo, d, h, mi, s) + ms - offMs;
    },
  };
}

function ianaClock(zone: string): ZoneClock {
  // Throws RangeError on an unknown zone: wanted, see zoneClock().
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  /** Offset (ms, local − UTC) in force at a UTC instant. */
  const offsetAt = (utc: number): number => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(utc))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
    return asUtc - Math.floor(utc / 1000) * 1000;
  };
  // local hour (as a pseudo-UTC hour number) → offset; bounded so a year of logs stays small.
  const cache = new Map<number, number>();
  return {
    name: zone,
    toUtc(y, mo, d, h, mi, s, ms) {
      const local = Date.UTC(y, mo, d, h, mi, s) + ms;
      // Near the end of the Date range (a year 275760 in a damaged line) the zone cannot be asked:
      // formatToParts would throw on the probe a day away. No time, rather than a crash.
      if (!(Math.abs(local) <= 8.64e15 - 2 * 86_400_000)) return NaN;
      const key = Math.floor(local / 3_600_000);
      let off = cache.get(key);
      if (off === undefined) {
        // Two passes resolve the offset for a wall time near a DST change; in the repeated hour the
        // first (summer-time) reading wins, in the skipped hour the time is read with the old offset.
        const probe = key * 3_600_000;
        const o1 = offsetAt(probe);
        off = offsetAt(probe - o1);
        if (cache.size > 50_000) cache.clear();
        cache.set(key, off);
      }
      return local - off;
    },
  };
}

/**
 * A stamp without a year (`JkLogStampFormat "[%b %d %H:%M:%S]"`, syslog-style relays): take the year
 * that puts the stamp closest before `now`, i.e. this year unless that lands more than two days in
 * the future (a December log read in January).
 */
export function inferYear(month: number, day: number, now: number): number {
  const n = new Date(now);
  const y = n.getUTCFullYear();
  const candidate = Date.UTC(y, month, day);
  return candidate - now > 2 * 86_400_000 ? y - 1 : y;
}
