/**
 * Correlation helpers for rules (Sigma correlation vocabulary): ordering, time windows, counting,
 * grouping by worker / backend / pid:tid / socket. Lines without a timestamp (pasted excerpts often
 * lack them) are compared by their position in the same file instead.
 */
import type { LogEvent } from '../logs/types.js';
import type { Signal } from './types.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { workerIn } from './signals.js';
import { isoTime } from '../util/clock.js';
import { indexBy } from '../util/index-by.js';

export { indexBy };

/** Lines of one file without timestamps count as "close" when at most this many lines apart. */
export const LINE_PROXIMITY = 200;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** Milliseconds from a to b (b later → positive); undefined when the two cannot be compared by time. */
export function gapMs(a: Signal | LogEvent, b: Signal | LogEvent): number | undefined {
  const ea = 'ev' in a ? a.ev : a;
  const eb = 'ev' in b ? b.ev : b;
  if (ea.ts === undefined || eb.ts === undefined) return undefined;
  return eb.ts - ea.ts;
}

/** True when a and b are within `windowMs` of each other (or, without timestamps, close lines of one file). */
export function near(a: Signal, b: Signal, windowMs: number): boolean {
  const g = gapMs(a, b);
  if (g !== undefined) return Math.abs(g) <= windowMs;
  return a.ev.path === b.ev.path && Math.abs(a.ev.line - b.ev.line) <= LINE_PROXIMITY;
}

/** True when a happened before (or at the same time as) b. */
export function before(a: Signal, b: Signal): boolean {
  const g = gapMs(a, b);
  if (g !== undefined && g !== 0) return g > 0;
  if (a.ev.path === b.ev.path) return a.ev.line <= b.ev.line;
  return a.seq <= b.seq;
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const k = key(it) ?? '';
    let arr = out.get(k);
    if (!arr) out.set(k, (arr = []));
    arr.push(it);
  }
  return out;
}

/** Group keys. */
export const byWorker = (s: Signal): string | undefined => (s.d.worker as string | undefined) ?? workerIn(s.ev);
export const byBackend = (s: Signal): string | undefined => normaliseBackend(s.d.backend as string | undefined);
export const byThread = (s: Signal): string | undefined =>
  s.ev.pid === undefined ? undefined : `${s.ev.path}|${s.ev.pid}:${s.ev.tid ?? ''}`;
export const bySocket = (s: Signal): string | undefined => (s.d.socket === undefined ? undefined : `${s.ev.path}|${s.ev.pid ?? ''}|${s.d.socket}`);

/** `[::1]:8009`, `LocalHost:8009` → a comparable `host:port` (IPv6 stays in brackets, as printed). */
export function normaliseBackend(b: string | undefined): string | undefined {
  if (!b) return undefined;
  return b.toLowerCase();
}

/**
 * Worker of each signal; lines without a `(worker)` prefix (jk_connect.c, pre-1.2.41 wordings) take the
 * worker of the nearest signal of the same thread (pid:tid) within 2 s.
 */
export function workersOf(signals: readonly Signal[]): Map<Signal, string | undefined> {
  const out = new Map<Signal, string | undefined>();
  const byT = groupBy(signals, (s) => `${s.ev.path}|${s.ev.pid ?? ''}:${s.ev.tid ?? ''}`);
  for (const arr of byT.values()) {
    for (let i = 0; i < arr.length; i++) {
      const s = arr[i];
      let w = byWorker(s);
      for (let k = 1; !w && k < 6; k++) {
        const prev = arr[i - k];
        const next = arr[i + k];
        if (next && near(s, next, 2 * SECOND) && byWorker(next)) w = byWorker(next);
        else if (prev && near(s, prev, 2 * SECOND) && byWorker(prev)) w = byWorker(prev);
      }
      out.set(s, w);
    }
  }
  return out;
}

/** Backend of each signal; lines without one take the backend of the previous signal with one in the same file. */
export function backendsOf(signals: readonly Signal[]): Map<Signal, string | undefined> {
  const out = new Map<Signal, string | undefined>();
  const last = new Map<string, string>();
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    const b = byBackend(s) ?? last.get(s.ev.path);
    if (b) last.set(s.ev.path, b);
    out.set(s, b);
  }
  return out;
}

/** Collapses the several lines one failed request logs (same thread, within 2 s) into one signal each. */
export function perRequest(signals: readonly Signal[]): Signal[] {
  const out: Signal[] = [];
  const lastByThread = new Map<string, Signal>();
  for (const s of signals) {
    const k = `${s.ev.path}|${s.ev.pid ?? ''}:${s.ev.tid ?? ''}`;
    const prev = lastByThread.get(k);
    if (prev && s.ev.pid !== undefined && near(prev, s, 2 * SECOND)) continue;
    lastByThread.set(k, s);
    out.push(s);
  }
  return out;
}

/** Index of the first signal in `list` (ordered by seq) whose seq is greater than `seq`. */
function firstAfter(list: readonly Signal[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bound on the candidates a single look-around inspects, so rules stay linear on huge logs. */
const SCAN_LIMIT = 2000;

function outOfReach(a: Signal, x: Signal, windowMs: number): boolean {
  const g = gapMs(a, x);
  if (g !== undefined) return Math.abs(g) > windowMs;
  return a.ev.path === x.ev.path && Math.abs(a.ev.line - x.ev.line) > LINE_PROXIMITY;
}

/** The first of `bs` (ordered by seq) after `a` within `windowMs`, optionally with the same group key. */
export function nextWithin(a: Signal, bs: readonly Signal[], windowMs: number, key?: (s: Signal) => string | undefined): Signal | undefined {
  const ka = key?.(a);
  const start = firstAfter(bs, a.seq);
  for (let i = start, n = 0; i < bs.length && n < SCAN_LIMIT; i++, n++) {
    const x = bs[i];
    if (outOfReach(a, x, windowMs)) {
      if (gapMs(a, x) !== undefined || a.ev.path === x.ev.path) break;
      continue;
    }
    if (near(a, x, windowMs) && (!key || key(x) === ka)) return x;
  }
  return undefined;
}

/** The last of `bs` (ordered by seq) before `a` within `windowMs`, optionally with the same group key. */
export function precededBy(a: Signal, bs: readonly Signal[], windowMs: number, key?: (s: Signal) => string | undefined): Signal | undefined {
  const ka = key?.(a);
  const start = firstAfter(bs, a.seq - 1) - 1;
  for (let i = start, n = 0; i >= 0 && n < SCAN_LIMIT; i--, n++) {
    const x = bs[i];
    if (x === a) continue;
    if (outOfReach(a, x, windowMs)) {
      if (gapMs(a, x) !== undefined || a.ev.path === x.ev.path) break;
      continue;
    }
    if (near(a, x, windowMs) && (!key || key(x) === ka)) return x;
  }
  return undefined;
}

/** True when one of `bs` (ordered by seq) lies within `windowMs` before or after `a`. */
export function around(a: Signal, bs: readonly Signal[], windowMs: number): boolean {
  return nextWithin(a, bs, windowMs) !== undefined || precededBy(a, bs, windowMs) !== undefined;
}

/**
 * The signals of `list` (in input order) with another of the list within `windowMs` before or after
 * them, of the same `key` when one is given: a repeat (a backend's CPing failing again on the retry's
 * new connection). Each is looked for among its key's signals, grouped once: the list filtered anew
 * for each signal was quadratic (80,000 AH00897 lines: 3 CPU-s for one rule). A signal is never its
 * own repeat: the look-arounds start past its place in the list.
 */
export function withRepeat(list: readonly Signal[], windowMs: number, key?: (s: Signal) => unknown): Signal[] {
  if (key === undefined) return list.filter((s) => around(s, list, windowMs));
  const groups = indexBy(list, key);
  return list.filter((s) => around(s, groups.get(key(s))!, windowMs));
}

/** Pairs (a, b) where b follows a within `windowMs` and has the same group key (Sigma temporal_ordered). */
export function followedBy(
  as: readonly Signal[],
  bs: readonly Signal[],
  opts: { windowMs: number; key?: (s: Signal) => string | undefined },
): [Signal, Signal][] {
  const out: [Signal, Signal][] = [];
  for (const a of as) {
    const b = nextWithin(a, bs, opts.windowMs, opts.key);
    if (b) out.push([a, b]);
  }
  return out;
}

/**
 * Clusters of signals where consecutive members are at most `gapMs` apart (bursts). Signals without
 * timestamps are clustered by line proximity within one file.
 */
export function bursts(signals: readonly Signal[], gap: number): Signal[][] {
  const out: Signal[][] = [];
  let cur: Signal[] = [];
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    const last = cur[cur.length - 1];
    if (last && !near(last, s, gap)) {
      out.push(cur);
      cur = [];
    }
    cur.push(s);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Sigma event_count: windows of length `windowMs` holding at least `n` signals (per group); returns the first such cluster per group. */
export function countWithin(
  signals: readonly Signal[],
  opts: { n: number; windowMs: number; key?: (s: Signal) => string | undefined },
): { key: string; signals: Signal[] }[] {
  const out: { key: string; signals: Signal[] }[] = [];
  const groups = opts.key ? groupBy(signals, opts.key) : new Map([['', [...signals]]]);
  for (const [key, arr] of groups) {
    let lo = 0;
    for (let hi = 0; hi < arr.length; hi++) {
      while (lo < hi && !near(arr[lo], arr[hi], opts.windowMs)) lo++;
      if (hi - lo + 1 >= opts.n) {
        // extend to the whole run inside the window from lo
        let end = hi;
        while (end + 1 < arr.length && near(arr[lo], arr[end + 1], opts.windowMs)) end++;
        out.push({ key, signals: arr.slice(lo, end + 1) });
        break;
      }
    }
  }
  return out;
}

/** Distinct values of a signal fact. */
export function distinct(signals: readonly Signal[], field: string): (string | number)[] {
  const s = new Set<string | number>();
  for (const x of signals) {
    const v = x.d[field];
    if (v !== undefined) s.add(v);
  }
  return [...s];
}

/**
 * Merges signal lists into input order, without duplicates: the same as joining them, keeping each
 * signal's first place, and sorting by seq (stable). Lists in input order already (every list the
 * intake gives, and what is filtered from one) are merged two at a time, ties to the earlier list,
 * and a signal given twice (equal seq) is dropped in its run: no Set and no sort of an outage's
 * hundreds of thousands of lines.
 */
export function merge(...lists: readonly (readonly Signal[])[]): Signal[] {
  return mergeLists(lists);
}

/** merge() of a list of lists: for a number of lists without bound (one per backend), which a spread call cannot take (RangeError past ~100,000 arguments). */
export function mergeLists(lists: readonly (readonly Signal[])[]): Signal[] {
  if (!lists.every(inSeqOrder)) {
    const seen = new Set<Signal>();
    const out: Signal[] = [];
    for (const l of lists) for (const s of l) if (!seen.has(s)) (seen.add(s), out.push(s));
    return out.sort((a, b) => a.seq - b.seq);
  }
  // Adjacent lists two at a time, round after round (ties to the earlier list, as one after the other
  // would): an outage across thousands of backends gives a list each, and merging them one after the
  // other copied the whole merged list once per backend (8,000 backends: 1.3 s for one rule).
  // (mergeTwo makes a new list: a given one is copied only when it is the only one)
  let level: readonly (readonly Signal[])[] = lists.filter((l) => l.length > 0);
  let out: Signal[];
  if (level.length <= 1) out = level.length === 0 ? [] : [...level[0]];
  else {
    while (level.length > 1) {
      const next: (readonly Signal[])[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? mergeTwo(level[i], level[i + 1], (y, x) => y.seq < x.seq) : level[i]);
      level = next;
    }
    out = level[0] as Signal[];
  }
  // the same signal twice sits in a run of equal seq: keep its first
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const s = out[i];
    let dup = false;
    for (let k = n - 1; k >= 0 && out[k].seq === s.seq; k--)
      if (out[k] === s) {
        dup = true;
        break;
      }
    if (!dup) out[n++] = s;
  }
  out.length = n;
  return out;
}

/**
 * Two lists in input order as one: an item of `b` goes before the next of `a` only when
 * `before(itsItem, aItem)`, so ties keep `a`'s first unless `before` says otherwise.
 */
export function mergeTwo(a: readonly Signal[], b: readonly Signal[], before: (y: Signal, x: Signal) => boolean): Signal[] {
  const m = new Array<Signal>(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) m[n++] = before(b[j], a[i]) ? b[j++] : a[i++];
  while (i < a.length) m[n++] = a[i++];
  while (j < b.length) m[n++] = b[j++];
  return m;
}

function inSeqOrder(l: readonly Signal[]): boolean {
  for (let i = 1; i < l.length; i++) if (l[i].seq < l[i - 1].seq) return false;
  return true;
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/**
 * Connections a list of capture items stands for: an item of a quiet connection (SYN unanswered or
 * refused) may carry `fields.folded` more of the same shape (detect/index.ts MAX_QUIET_ITEMS).
 */
export function connectionsIn(items: readonly CaptureEvidence[]): number {
  let n = 0;
  for (const c of items) n += 1 + (typeof c.fields?.folded === 'number' ? c.fields.folded : 0);
  return n;
}

export function plural(n: number, word: string, pluralWord = word + 's'): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/** "a, b and c" */
export function list(items: readonly (string | number)[]): string {
  const s = items.map(String);
  if (s.length <= 1) return s.join('');
  return `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

/** Time span of signals as " at …" / " between … and … UTC" (with a leading blank), or "" without timestamps. */
export function span(signals: readonly Signal[]): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < signals.length; i++) {
    const t = signals[i].ev.ts;
    if (t === undefined) continue;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (lo === Infinity) return '';
  const f = (t: number): string => isoTime(t).replace('T', ' ').slice(0, 19);
  return f(lo) === f(hi) ? ` at ${f(lo)} UTC` : ` between ${f(lo)} and ${f(hi).slice(11)} UTC`;
}

/** Linux/BSD/Solaris/Windows(−10000) errno families used by JK and httpd. */
export const ERRNO = {
  refused: new Set([111, 61, 146, 10061]),
  timedOut: new Set([110, 60, 145, 10060]),
  inProgress: new Set([115, 36, 150]),
  unreachable: new Set([113, 65, 148, 101, 51, 10065, 10051]),
  denied: new Set([13, 10013]),
  again: new Set([11, 35]),
  reset: new Set([104, 54, 131, 10054]),
  pipe: new Set([32]),
} as const;

export const AJP_TYPE_NAMES: Record<number, string> = {
  2: 'FORWARD_REQUEST',
  3: 'SEND_BODY_CHUNK',
  4: 'SEND_HEADERS',
  5: 'END_RESPONSE',
  6: 'GET_BODY_CHUNK',
  7: 'SHUTDOWN',
  8: 'PING',
  9: 'CPONG',
  10: 'CPING',
};

export function ajpTypeName(t: number | string | undefined): string {
  const n = typeof t === 'string' ? Number(t) : t;
  return n !== undefined && AJP_TYPE_NAMES[n] ? `${n} (${AJP_TYPE_NAMES[n]})` : String(t);
}

/** True for loopback literals (127.0.0.0/8, ::1, localhost). */
export function isLoopback(hostPort: string | undefined): boolean {
  if (!hostPort) return false;
  const h = hostOf(hostPort);
  return /^127\./.test(h) || h === '::1' || h === 'localhost' || h === '0:0:0:0:0:0:0:1';
}

/** Host part of `host:port`, `[v6]:port`, `v6` or `host`. */
/** The port of "host:port" / "[v6]:port", as written; undefined when there is none. */
export function portOf(hostPort: string | undefined): string | undefined {
  return hostPort === undefined ? undefined : /:(\d+)$/.exec(hostPort)?.[1];
}

export function hostOf(hostPort: string): string {
  const b = /^\[([^\]]+)\]/.exec(hostPort);
  if (b) return b[1];
  return (hostPort.match(/:/g) ?? []).length === 1 ? hostPort.replace(/:\d+$/, '') : hostPort;
}
