/**
 * Analyses several rules share (connection refusals: restart vs. down vs. address family), kept out
 * of the engine so that the engine stays cause-agnostic.
 */
import { append, minOf } from '../util/append.js';
import type { LogEvent } from '../logs/types.js';
import type { RuleContext, Signal } from './types.js';
import { httpdConnectFailed, httpdWorkerDisabled, jkBackendConnectFailed, jkConnectFailed, winsockConnectFailed, jkCpongNotReceived, jkForcedClose, httpdReceiveHeader, tomcatLifecycle, tomcatAjpStartFailed, tomcatAjpHandler, listenerFailureIn, type ListenerFailure } from './signals.js';
import { ERRNO, gapMs, merge, mergeLists, normaliseBackend, precededBy, SECOND, MINUTE } from './helpers.js';

export const refusalSignals = [jkConnectFailed, jkBackendConnectFailed, winsockConnectFailed, httpdConnectFailed, httpdWorkerDisabled, jkForcedClose, jkCpongNotReceived, httpdReceiveHeader, tomcatLifecycle] as const;

export interface RefusalGroup {
  /** `host:port`, or `name:<host>` / `worker:<name>` when the lines do not show the address. */
  backend: string;
  signals: Signal[];
  /**
   * Requests went on being handled in the same file (≥ 30 s) after the last refusal, without further
   * refusals of this backend. Lines that show no request (an httpd restart's start-up warnings) do
   * not count: after them nothing says anyone asked the backend again.
   */
  recovered: boolean;
  /** EOFs / connection closes on pooled connections just before the first refusal (a stop in progress). */
  eofBefore: Signal[];
  /** Tomcat lifecycle lines (pause/stop/startup) around the refusals. */
  lifecycle: Signal[];
  /** Tomcat logged a startup after the first refusal. */
  cameBack: boolean;
  /**
   * Seconds from Tomcat's last stop line before the refusals to the next JVM start (its `Server
   * version` line, else `Server startup in [N]` minus N), when the Tomcat log shows both.
   */
  restartGapSeconds?: number;
}

/** A new start that begins within this long of the stop is a restart (stop and start back to back, as `systemctl restart` or a deploy script does), not a backend that was down until someone started it. */
export const RESTART_GAP_SECONDS = 10;

const memo = new WeakMap<object, RefusalGroup[]>();

/** Connection refusals (errno 111 / APR 111, and httpd's "disabled" follow-ups) grouped by backend. */
export function refusalGroups(ctx: RuleContext): RefusalGroup[] {
  const cached = memo.get(ctx.run);
  if (cached) return cached;
  // (the refusals are picked in each loop below, not filtered into a list of their own: an outage's
  // hundreds of thousands of lines made one, grown push by push, for two walks)
  const sigs = ctx.signalsOf(jkConnectFailed, jkBackendConnectFailed, winsockConnectFailed, httpdConnectFailed, httpdWorkerDisabled);
  const refusal = (s: Signal): boolean => s.kind === 'httpd-worker-disabled' || (s.d.errno !== undefined && ERRNO.refused.has(Number(s.d.errno))) || (s.kind === 'jk-backend-connect-failed' && s.d.errno === undefined);
  // host names as printed in parentheses ("(localhost)", "(localhost:8009)") → the address they resolved to
  const byName = new Map<string, string>();
  // (indexed loops: over an outage's hundreds of thousands of lines, for…of made an iterator result per line)
  for (let i = 0; i < sigs.length; i++) {
    const s = sigs[i];
    if (s.d.backend && s.d.name && refusal(s)) {
      const b = normaliseBackend(String(s.d.backend))!;
      const n = String(s.d.name).toLowerCase();
      byName.set(`${s.ev.path}|${n}`, b);
      byName.set(`${s.ev.path}|${n.replace(/:\d+$/, '')}`, b);
    }
  }
  // names whose connects failed for another reason (timeout, no route, EACCES): their AH00959/AH00896 are not refusals
  const otherFailure = new Set<string>();
  for (const s of ctx.signals(httpdConnectFailed))
    if (s.d.errno !== undefined && !ERRNO.refused.has(Number(s.d.errno)) && s.d.name) {
      const n = String(s.d.name).toLowerCase();
      otherFailure.add(`${s.ev.path}|${n}`);
      otherFailure.add(`${s.ev.path}|${n.replace(/:\d+$/, '')}`);
    }
  const groups = new Map<string, Signal[]>();
  const lastBackend = new Map<string, string>();
  for (let i = 0; i < sigs.length; i++) {
    const s = sigs[i];
    if (!refusal(s)) continue;
    let key = normaliseBackend((s.d.backend as string | undefined) ?? undefined);
    if (!key && s.d.name && s.kind === 'httpd-worker-disabled') {
      const n = String(s.d.name).toLowerCase();
      if (otherFailure.has(`${s.ev.path}|${n}`) && !byName.has(`${s.ev.path}|${n}`)) continue;
    }
    if (!key && s.d.name) {
      const n = String(s.d.name).toLowerCase();
      key = byName.get(`${s.ev.path}|${n}`) ?? byName.get(`${s.ev.path}|${n.replace(/:\d+$/, '')}`) ?? `name:${n}`;
    }
    if (!key) key = lastBackend.get(s.ev.path) ?? `worker:${(s.d.worker as string | undefined) ?? ''}`;
    if (s.d.backend) lastBackend.set(s.ev.path, key);
    let arr = groups.get(key);
    if (!arr) groups.set(key, (arr = []));
    arr.push(s);
  }
  // A jk-backend-connect-failed without errno only counts when a refused connect of the same file backs it.
  const eofs = ctx.signalsOf(jkForcedClose, jkCpongNotReceived).concat(ctx.signals(httpdReceiveHeader).filter((s) => s.d.apr === 70014)).sort((a, b) => a.seq - b.seq);
  const life = ctx.signals(tomcatLifecycle);
  // The lifecycle lines that may lie around a group (the filter above decides), from the stamped
  // ones sorted by time once: filtering them all for each backend was backends × lifecycle lines
  // (3,200 backends against a catalina.out of 160,000 lifecycle lines: 19 CPU-s). In input order.
  const byTime = life.filter((l) => l.ev.ts !== undefined).sort((x, y) => x.ev.ts! - y.ev.ts!);
  const order = new Map(life.map((l, i) => [l, i]));
  const firstFrom = (t: number): number => {
    let lo = 0;
    let hi = byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byTime[mid].ev.ts! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lifeNear = (first: Signal, last: Signal): Signal[] => {
    const picked = new Set<Signal>();
    // (a millisecond more either side: the filter itself decides at the edges)
    const take = (from: number, to: number): void => {
      for (let i = firstFrom(from - 1); i < byTime.length && byTime[i].ev.ts! <= to + 1; i++) picked.add(byTime[i]);
    };
    if (first.ev.ts !== undefined) take(first.ev.ts - 5 * MINUTE, first.ev.ts + 5 * SECOND);
    if (last.ev.ts !== undefined) take(last.ev.ts - 5 * SECOND, last.ev.ts + 5 * MINUTE);
    return [...picked].sort((x, y) => order.get(x)! - order.get(y)!);
  };
  const out: RefusalGroup[] = [];
  for (const [backend, arr] of groups) {
    const hasRefusal = arr.some((s) => s.d.errno !== undefined || s.kind !== 'jk-backend-connect-failed');
    if (!hasRefusal) continue;
    const last = arr[arr.length - 1];
    const end = ctx.lastActiveTs(last.ev.path);
    const recovered = last.ev.ts !== undefined && end !== undefined && end - last.ev.ts >= 30 * SECOND;
    const eof = precededBy(arr[0], eofs, MINUTE);
    const first = arr[0];
    const lifecycle = lifeNear(first, last).filter((l) => {
      const a = gapMs(l, first);
      const b = gapMs(last, l);
      return (a !== undefined && a >= -5 * SECOND && a <= 5 * MINUTE) || (b !== undefined && b >= -5 * SECOND && b <= 5 * MINUTE);
    });
    const cameBack = lifecycle.some((l) => l.d.what === 'Server startup in' && (gapMs(first, l) ?? -1) >= 0);
    const g: RefusalGroup = { backend, signals: arr, recovered, eofBefore: eof ? [eof] : [], lifecycle, cameBack };
    const gap = restartGap(lifecycle, first);
    if (gap !== undefined) g.restartGapSeconds = gap;
    out.push(g);
  }
  memo.set(ctx.run, out);
  return out;
}

const inOrder = new WeakMap<object, readonly Signal[]>();

/**
 * Every refusal of every group, in input order (the groups' lists merged: each is in input order),
 * worked out once a run: several rules look around their lines for a refusal, and an outage log gives
 * hundreds of thousands (each rule sorted them all anew).
 */
export function refusalsInOrder(ctx: RuleContext): readonly Signal[] {
  let all = inOrder.get(ctx.run);
  if (all === undefined) {
    const groups = refusalGroups(ctx);
    // (one backend, an outage's usual case: its list is in input order already, no copy of it)
    inOrder.set(ctx.run, (all = groups.length === 1 ? groups[0].signals : mergeLists(groups.map((g) => g.signals))));
  }
  return all;
}

/** Seconds between the last stop line at or before `first` (+5 s) and the next start after it. */
function restartGap(lifecycle: readonly Signal[], first: Signal): number | undefined {
  const t0 = first.ev.ts;
  if (t0 === undefined) return undefined;
  const stops = lifecycle.filter((l) => l.ev.ts !== undefined && l.ev.ts <= t0 + 5 * SECOND && /^(Pausing|Stopping)/.test(String(l.d.what)));
  const stop = stops[stops.length - 1];
  if (stop === undefined) return undefined;
  const begins = lifecycle
    .filter((l) => l.ev.ts !== undefined && l.ev.ts > stop.ev.ts!)
    .map((l) => (l.d.what === 'Server version' ? l.ev.ts! : l.d.what === 'Server startup in' && typeof l.d.ms === 'number' ? l.ev.ts! - l.d.ms : undefined))
    .filter((t): t is number => t !== undefined);
  if (!begins.length) return undefined;
  return Math.max(0, minOf(begins) - stop.ev.ts!) / SECOND;
}

/** Human wording of a refusal group's backend. */
export function describeBackend(key: string): string {
  if (key.startsWith('worker:')) return key.length > 7 ? `the backend of worker ${key.slice(7)}` : 'the backend';
  if (key.startsWith('name:')) return key.slice(5);
  return key;
}

/**
 * True when `s` falls into a restart: from a minute before the first refused connect to Tomcat's
 * "Server startup in" after it (+2 s), or to 10 s after the last refusal when no startup line is known.
 * Connect-CPing timeouts there come from a Tomcat that is bound but not started yet. A group without
 * stamps at its ends (or a signal without one) is a range of lines instead: 50 lines either side.
 */
export function inRestartWindow(ctx: RuleContext, s: Signal): boolean {
  let w = windows.get(ctx.run);
  if (w === undefined) windows.set(ctx.run, (w = restartWindows(refusalGroups(ctx))));
  return inWindows(w, s);
}

/** Whether `s` falls into one of the windows (inRestartWindow). */
export function inWindows(w: RestartWindows, s: Signal): boolean {
  const ts = s.ev.ts;
  if (ts !== undefined && within(w.times, ts)) return true;
  const lines = (ts === undefined ? w.linesOfAll : w.linesOfUnstamped).get(s.ev.path);
  return lines !== undefined && within(lines, s.ev.line);
}

/** Closed intervals, sorted and merged: [lo0, hi0, lo1, hi1, …]. */
type Intervals = number[];

export interface RestartWindows {
  /** Of the groups stamped at both ends. */
  times: Intervals;
  /** Line ranges by path: of the groups not stamped at an end, and of every group (for a signal without a stamp). */
  linesOfUnstamped: Map<string, Intervals>;
  linesOfAll: Map<string, Intervals>;
}

const windows = new WeakMap<object, RestartWindows>();

/**
 * Every refusal group's window, worked out once a run: a rule asks for each of its signals, and
 * asking every group each time was quadratic (80,000 httpd lines over 20,000 backends: 3 CPU-s for
 * one rule).
 */
export function restartWindows(groups: readonly RefusalGroup[]): RestartWindows {
  const times: [number, number][] = [];
  const unstamped = new Map<string, [number, number][]>();
  const all = new Map<string, [number, number][]>();
  const add = (m: Map<string, [number, number][]>, path: string, r: [number, number]): void => {
    const list = m.get(path);
    if (list === undefined) m.set(path, [r]);
    else list.push(r);
  };
  for (const g of groups) {
    const first = g.signals[0];
    const last = g.signals[g.signals.length - 1];
    const lines: [number, number] = [first.ev.line - 50, last.ev.line + 50];
    add(all, first.ev.path, lines);
    if (first.ev.ts === undefined || last.ev.ts === undefined) {
      add(unstamped, first.ev.path, lines);
      continue;
    }
    const startup = g.lifecycle.find((l) => l.d.what === 'Server startup in' && l.ev.ts !== undefined && l.ev.ts >= first.ev.ts!);
    const end = startup ? Math.max(startup.ev.ts! + 2 * SECOND, last.ev.ts) : last.ev.ts + 10 * SECOND;
    times.push([first.ev.ts - MINUTE, end]);
  }
  const merged = (m: Map<string, [number, number][]>): Map<string, Intervals> => new Map([...m].map(([k, v]) => [k, mergeIntervals(v)]));
  return { times: mergeIntervals(times), linesOfUnstamped: merged(unstamped), linesOfAll: merged(all) };
}

function mergeIntervals(rs: [number, number][]): Intervals {
  const out: Intervals = [];
  for (const [lo, hi] of [...rs].sort((a, b) => a[0] - b[0])) {
    // (an empty range, its end before its start, holds nothing)
    if (!(hi >= lo)) continue;
    if (out.length > 0 && lo <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Whether `x` lies in one of the intervals. */
function within(iv: Intervals, x: number): boolean {
  // the last interval starting at or before x
  let lo = 0;
  let hi = iv.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (iv[2 * mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && x <= iv[2 * (lo - 1) + 1];
}

/** Connect attempts in a refusal group: one jk_connect.c / AH00957 line each (mod_jk logs 3–4 lines per attempt). */
export function attemptCount(g: RefusalGroup): number {
  // (counted, not filtered: an outage's group has hundreds of thousands of lines)
  let connects = 0;
  let others = 0;
  for (let i = 0; i < g.signals.length; i++) {
    const s = g.signals[i];
    if ((s.kind === 'jk-connect-failed' && s.d.worker === undefined) || s.kind === 'httpd-connect-failed') connects++;
    if (s.kind !== 'httpd-worker-disabled') others++;
  }
  return connects || others || g.signals.length;
}

/** The container's AJP listener could not start: one group per port (or per listener when no port is printed). */
export interface ListenerFailureGroup {
  port: number | undefined;
  /** The reason the exception chain gives; `unknown` when the paste does not show it. */
  what: ListenerFailure;
  /** Tomcat binds the socket in init() (bindOnInit, the default) and checks the secret in start(). */
  phase: 'init' | 'start';
  signals: Signal[];
  /** The address the connector tried, from its handler name (`ajp-nio-0:0:0:0:0:0:0:1-8009`) when logged. */
  address?: string;
  /** The handler line that shows it. */
  handler?: Signal;
}

/**
 * Listener start failures grouped by port, each with its reason: from the failing event's own
 * exception chain, else from the few events right after it (a `Caused by:` pasted as its own line: the signal's `next`).
 */
export function listenerFailures(ctx: RuleContext): ListenerFailureGroup[] {
  const by = new Map<string, ListenerFailureGroup>();
  for (const s of ctx.signals(tomcatAjpStartFailed)) {
    const key = s.d.port === undefined ? '?' : String(s.d.port);
    let g = by.get(key);
    if (!g) by.set(key, (g = { port: s.d.port === undefined ? undefined : Number(s.d.port), what: 'unknown', phase: s.d.phase === 'start' ? 'start' : 'init', signals: [] }));
    g.signals.push(s);
    let what = s.d.what as ListenerFailure;
    for (const text of s.next ?? []) if (what === 'unknown') what = listenerFailureIn(text);
    if (g.what === 'unknown' || g.what === 'secret-required') g.what = what === 'unknown' ? g.what : what;
    if (s.d.phase === 'init') g.phase = 'init';
  }
  // A port-less group (Winstone, a bare secretRequired line) joins the only numbered one.
  const anon = by.get('?');
  if (anon && by.size === 2) {
    const other = [...by.values()].find((g) => g !== anon)!;
    append(other.signals, anon.signals);
    if (other.what === 'unknown') other.what = anon.what;
    by.delete('?');
  }
  for (const h of ctx.signals(tomcatAjpHandler)) {
    const g = by.get(String(h.d.port));
    if (g && h.d.address !== undefined) (g.address = String(h.d.address)), (g.handler = h);
  }
  return [...by.values()];
}

/** An IPv6 address as Tomcat prints it in a handler name (`0:0:0:0:0:0:0:1`, `::1`). */
export function isIpv6(address: string | undefined): boolean {
  return address !== undefined && address.includes(':');
}

/**
 * Why a shared-memory file could not be made, by errno: mod_jk's JkShmFile (jk-shm-failure) and
 * httpd's own slotmem for mod_proxy_balancer (httpd-shm-failure) fail alike.
 */
const SHM_ERRNO_WHY: Readonly<Record<number, string>> = {
  13: 'permission denied (errno 13): httpd may not create or map that file — its directory is not writable by the user httpd starts as, or SELinux forbids httpd to write there (the logs directory is httpd_log_t)',
  2: 'no such file or directory (errno 2): the folder of the shared-memory file does not exist',
  17: 'the file exists (errno 17): a stale shm file of a previous httpd that was killed',
  28: 'no space left (errno 28) on the file system of the shared-memory file',
  12: 'out of memory (errno 12)',
};

/**
 * What shared-memory failure lines say (their data: `errno`, `file`): the file, and why by errno, as
 * `: <why>` ready to follow a sentence ('' when no errno is known).
 */
export function shmFailure(signals: readonly Signal[]): { file: string | undefined; why: string } {
  const errnos = [...new Set(signals.map((x) => x.d.errno).filter((e): e is number => typeof e === 'number'))];
  const file = signals.find((x) => x.d.file)?.d.file;
  const why = errnos.map((e) => SHM_ERRNO_WHY[e] ?? `errno ${e}`).join('; ');
  return { file: file === undefined ? undefined : String(file), why: why ? `: ${why}` : '' };
}
