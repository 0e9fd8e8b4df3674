/**
 * Request statistics from access logs (httpd mod_log_config, Tomcat AccessLogValve: the `access`
 * dialect) and mod_jk's JkRequestLog (`jk-request`): per interval and per worker, requests, status
 * classes, and latency (mean, deviation, median, p95, max) — the table mod_jk's own
 * tools/reports scripts made from the request log. Bounded: latencies are kept per bucket up to
 * LATENCY_SAMPLE values (a reservoir), counts are exact.
 */
import type { LogEvent } from './types.js';
import { ownString } from './keep.js';

export interface LatencySummary {
  /** Requests with a duration. */
  n: number;
  meanMs: number;
  sdMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export interface RequestBucket {
  /** Bucket start (epoch ms) for intervals; undefined for per-worker and total buckets. */
  from?: number;
  requests: number;
  /** Counts per status class: "2xx" … "5xx". */
  classes: Record<string, number>;
  /** Counts per status, e.g. { "504": 4 }. */
  statuses: Record<string, number>;
  latency?: LatencySummary;
}

export interface RequestStats {
  intervalMs: number;
  /** Events read as requests (access or JkRequestLog lines with a status or a duration). */
  requests: number;
  total: RequestBucket;
  intervals: RequestBucket[];
  /** JkRequestLog lines name their worker (%w). */
  workers: Record<string, RequestBucket>;
  /** How durations were read. */
  durationNote: string;
}

/**
 * {@link RequestStats} whose interval and worker buckets are made one at a time as they are asked
 * for, for a writer that prints each and drops it: a row per minute of the logs is 525,600 rows for
 * a year, and the buckets, their drawn table and its text held at once took 1.5 GB for 125,000 rows.
 */
export interface RequestStatsRows {
  intervalMs: number;
  requests: number;
  total: RequestBucket;
  /** RequestStats.intervals, made again at each call. */
  intervals(): Iterable<RequestBucket>;
  /** RequestStats.workers' entries, in its order, made again at each call. */
  workers(): Iterable<[string, RequestBucket]>;
  durationNote: string;
}

/** `s` as {@link RequestStatsRows} (its buckets as they are). */
export function statsRows(s: RequestStats): RequestStatsRows {
  return {
    intervalMs: s.intervalMs,
    requests: s.requests,
    total: s.total,
    intervals: () => s.intervals,
    workers: () => Object.entries(s.workers),
    durationNote: s.durationNote,
  };
}

const DURATION_NOTE = 'access logs: the number after the size read as %D (microseconds: httpd, Tomcat 10.1+; Tomcat 9 and older write milliseconds); JkRequestLog: %T (seconds)';

const LATENCY_SAMPLE = 10_000;

interface Acc {
  from?: number;
  requests: number;
  classes: Record<string, number>;
  /**
   * Counts per status, turned into RequestBucket.statuses by {@link bucket}. A Map, not an object:
   * V8 keeps an integer-like key ("504") of an object as an array element, and a first element at
   * 504 made a holey backing store of ~505 slots, ~6 KB for each interval row and each worker (a
   * year of access-log lines, a row per minute: 1.5 GB). Keyed by the number: String() of two
   * statuses is the same exactly when Map's SameValueZero says they are.
   */
  statuses: Map<number, number>;
  n: number;
  sum: number;
  sumSq: number;
  max: number;
  sample: number[];
  seen: number;
}

function acc(from?: number): Acc {
  const a: Acc = { requests: 0, classes: {}, statuses: new Map(), n: 0, sum: 0, sumSq: 0, max: 0, sample: [], seen: 0 };
  if (from !== undefined) a.from = from;
  return a;
}

// deterministic reservoir: the same input gives the same figures
function add(a: Acc, status: number | undefined, ms: number | undefined, seq: number): void {
  a.requests++;
  if (status !== undefined) {
    const c = `${Math.floor(status / 100)}xx`;
    a.classes[c] = (a.classes[c] ?? 0) + 1;
    a.statuses.set(status, (a.statuses.get(status) ?? 0) + 1);
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return;
  a.n++;
  a.sum += ms;
  a.sumSq += ms * ms;
  if (ms > a.max) a.max = ms;
  a.seen++;
  if (a.sample.length < LATENCY_SAMPLE) a.sample.push(ms);
  else {
    const j = (seq * 2654435761) % a.seen;
    if (j < LATENCY_SAMPLE) a.sample[j] = ms;
  }
}

function bucket(a: Acc): RequestBucket {
  // (the object the Map's order makes, as the keyed updates made it: integer-like keys ascending, the others in first-seen order)
  const statuses: Record<string, number> = {};
  for (const [s, n] of a.statuses) statuses[String(s)] = n;
  const b: RequestBucket = { requests: a.requests, classes: a.classes, statuses };
  if (a.from !== undefined) b.from = a.from;
  if (a.n) {
    const s = [...a.sample].sort((x, y) => x - y);
    const mean = a.sum / a.n;
    const round = (x: number) => Math.round(x * 1000) / 1000;
    b.latency = {
      n: a.n,
      meanMs: round(mean),
      sdMs: round(Math.sqrt(Math.max(0, a.sumSq / a.n - mean * mean))),
      medianMs: round(s[Math.floor((s.length - 1) / 2)]),
      p95Ms: round(s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]),
      maxMs: round(a.max),
    };
  }
  return b;
}

/** Duration of a request line in ms: JkRequestLog %T (seconds.fraction); access logs' %D after the size (microseconds). */
export function durationMs(ev: LogEvent): number | undefined {
  if (ev.dialect === 'jk-request') return typeof ev.fields.seconds === 'number' ? ev.fields.seconds * 1000 : undefined;
  if (ev.dialect !== 'access') return undefined;
  const rest = ev.fields.rest;
  if (typeof rest !== 'string') return undefined;
  // %D right after %b (httpd "%h %l %u %t \"%r\" %>s %b %D", Tomcat "… %s %b %D"); microseconds in httpd and Tomcat 10.1+
  const m = /^(\d{1,12})(?:\s|$)/.exec(rest);
  return m ? Number(m[1]) / 1000 : undefined;
}

/** Statistics of the request lines among `events`, per `intervalMs` (default one minute). */
export function requestStats(events: readonly LogEvent[], intervalMs = 60_000): RequestStats {
  const b = new RequestStatsBuilder(intervalMs);
  for (const ev of events) b.add(ev);
  return b.result();
}

/** {@link requestStats} one event at a time, as the logs are read (nothing of the events is kept). */
export class RequestStatsBuilder {
  private readonly total = acc();
  private readonly intervals = new Map<number, Acc>();
  private readonly workers = new Map<string, Acc>();
  private requests = 0;
  /** Events seen (the reservoir's position). */
  private seq = 0;

  constructor(readonly intervalMs = 60_000) {}

  add(ev: LogEvent): void {
    const seq = this.seq++;
    if (ev.dialect !== 'access' && ev.dialect !== 'jk-request') return;
    const status = typeof ev.fields.status === 'number' ? ev.fields.status : undefined;
    const ms = durationMs(ev);
    if (status === undefined && ms === undefined) return;
    this.requests++;
    add(this.total, status, ms, seq);
    if (ev.ts !== undefined && Number.isFinite(ev.ts)) {
      const from = Math.floor(ev.ts / this.intervalMs) * this.intervalMs;
      let a = this.intervals.get(from);
      if (!a) this.intervals.set(from, (a = acc(from)));
      add(a, status, ms, seq);
    }
    const w = typeof ev.fields.worker === 'string' ? ev.fields.worker : undefined;
    if (w !== undefined) {
      let a = this.workers.get(w);
      // (the key kept is a copy: the event's string may be a view into its whole input chunk)
      if (!a) this.workers.set(ownString(w), (a = acc()));
      add(a, status, ms, seq);
    }
  }

  result(): RequestStats {
    return {
      intervalMs: this.intervalMs,
      requests: this.requests,
      total: bucket(this.total),
      intervals: [...this.intervals.values()].sort((a, b) => a.from! - b.from!).map(bucket),
      workers: Object.fromEntries([...this.workers].map(([k, v]) => [k, bucket(v)])),
      durationNote: DURATION_NOTE,
    };
  }

  /** {@link result} with the buckets of the intervals and workers made as they are asked for. */
  rows(): RequestStatsRows {
    const intervals = [...this.intervals.values()].sort((a, b) => a.from! - b.from!);
    const workers = this.workers;
    let names: string[] | undefined;
    return {
      intervalMs: this.intervalMs,
      requests: this.requests,
      total: bucket(this.total),
      intervals: function* () {
        for (const a of intervals) yield bucket(a);
      },
      workers: function* () {
        // In the order of result()'s object, which puts integer-like keys (a worker named `1`) first,
        // ascending: the keys of such an object, made here of the names alone.
        names ??= Object.keys(Object.fromEntries([...workers.keys()].map((k) => [k, 0])));
        for (const name of names) yield [name, bucket(workers.get(name)!)];
      },
      durationNote: DURATION_NOTE,
    };
  }
}
