/**
 * Backend back after refused connects: SYN → RST (nothing listening) to one container endpoint, then,
 * later, a connection to the same endpoint that Tomcat served (a request answered through END_RESPONSE,
 * or a CPONG the web server was still waiting for). That is the wire shape of a stop/start or restart
 * (decoders-study §4.3 item 2); the pooled connections' FINs from Tomcat just before are the stop itself.
 */
import type { AjpConnection } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { hostPort, lowerBound, secs } from './common.js';
import { minOf } from '../util/append.js';

/**
 * What restart detection keeps of each ended AJP connection (a few numbers and its facts, never its
 * cycles): the detector holds one per connection, whatever the display keeps.
 */
export type ConnRecord = Pick<AjpConnection, 'stream' | 'webServer' | 'container' | 'startTs' | 'firstFrame' | 'lastFrame' | 'facts' | 'bytes' | 'cpongs' | 'cpings'> & {
  /** Start time of the first request cycle answered through END_RESPONSE (null: none). */
  firstServedTs: number | null;
};

/** How long before the first refusal Tomcat's FINs on pooled connections count as the stop. */
const STOP_LEAD = 60;

export function isRefused(c: Pick<AjpConnection, 'facts' | 'bytes'>): boolean {
  return c.facts.syn && !c.facts.synAck && c.facts.rstBy === 'container' && c.bytes.webServer + c.bytes.container === 0;
}

/** When Tomcat served this connection (null: never, as far as the capture shows). */
function servedAt(c: ConnRecord, cpingGaveUp: ReadonlySet<number>): number | null {
  if (!c.facts.synAck) return null;
  // A CPONG that came after the web server had given up (cping-unanswered) does not count: Tomcat was not serving yet.
  const cpong = c.cpongs > 0 && !cpingGaveUp.has(c.stream) ? c.startTs : null;
  const t = [c.firstServedTs, cpong].filter((x): x is number => x !== null);
  return t.length ? minOf(t) : null;
}

export interface RestartWindow {
  container: string;
  from: number;
  to: number;
}


/**
 * Refused connects (SYN answered by RST) as three parallel number lists per container and source
 * address: a stop of minutes under a busy pool, or a flood, refuses hundreds of thousands of times,
 * and restart detection needs only when, which frame and which stream of each (24 bytes, no object).
 * Past MAX_REFUSED_SOURCES distinct sources a container's further sources share one list (addr '').
 */
export class RefusedLog {
  private readonly byKey = new Map<string, { container: string; addr: string; ts: number[]; frame: number[]; stream: number[] }>();
  private sources = 0;

  add(c: Pick<ConnRecord, 'container' | 'webServer' | 'startTs' | 'firstFrame' | 'stream'>): void {
    const container = hostPort(c.container);
    let key = `${container}|${c.webServer.addr}`;
    let l = this.byKey.get(key);
    if (l === undefined) {
      let addr = c.webServer.addr;
      if (this.sources >= MAX_REFUSED_SOURCES) {
        addr = '';
        key = `${container}|`;
        l = this.byKey.get(key);
      } else this.sources++;
      if (l === undefined) this.byKey.set(key, (l = { container, addr, ts: [], frame: [], stream: [] }));
    }
    l.ts.push(c.startTs);
    l.frame.push(c.firstFrame);
    l.stream.push(c.stream);
  }

  /** Per container, the refusals (sorted by time) of every source but the `skip`ped ones (scanners). */
  byContainer(skip: ReadonlyMap<string, unknown>): Map<string, Refusal[]> {
    const out = new Map<string, Refusal[]>();
    for (const l of this.byKey.values()) {
      if (l.addr !== '' && skip.has(l.addr)) continue;
      let arr = out.get(l.container);
      if (!arr) out.set(l.container, (arr = []));
      for (let i = 0; i < l.ts.length; i++) arr.push({ startTs: l.ts[i]!, firstFrame: l.frame[i]!, stream: l.stream[i]! });
    }
    for (const arr of out.values()) arr.sort((a, b) => a.startTs - b.startTs || a.firstFrame - b.firstFrame);
    return out;
  }
}

/** Distinct web-server addresses whose refusals are listed apart (a scanner's are left out by address). */
export const MAX_REFUSED_SOURCES = 10_000;

export interface Refusal {
  startTs: number;
  firstFrame: number;
  stream: number;
}

/**
 * Whether restart detection needs this ended connection beyond its refusal: served (a request
 * answered, or a CPONG), an idle close by the container (the stop), or a CPING the web server gave
 * up on. Quiet connections (SYN-only, reset before a byte) are not kept: a scan leaves millions.
 */
export function restartRelevant(c: ConnRecord, cpingGaveUp: ReadonlySet<number>): boolean {
  return (c.facts.synAck && (c.firstServedTs !== null || c.cpongs > 0)) || c.facts.closedIdleBy !== null || cpingGaveUp.has(c.stream);
}

/**
 * The ended connections restart detection reads beyond their refusals (restartRelevant ones), per
 * container endpoint, in columns (numbers in plain arrays, no object per connection, nothing of the
 * connection's summary kept): when each was served and by which web server, the container's closes
 * of idle pooled connections, the connections whose CPING the web server gave up on.
 */
export class ServedLog {
  private readonly byContainer = new Map<string, ContainerLog>();

  /** One ended connection; `cpingGaveUp` holds its stream already when the web server gave up on its CPING. */
  add(c: ConnRecord, cpingGaveUp: ReadonlySet<number>): void {
    const key = hostPort(c.container);
    let r = this.byContainer.get(key);
    if (r === undefined) this.byContainer.set(key, (r = new ContainerLog()));
    const at = servedAt(c, cpingGaveUp);
    if (at !== null) {
      r.servedAt.push(at);
      r.servedStream.push(c.stream);
      r.servedFrame.push(c.firstFrame);
      r.servedWebServer.push(hostPort(c.webServer));
    }
    const x = c.facts.closedIdleBy;
    if (x !== null && x.side === 'container') {
      r.stopAt.push(x.ts);
      r.stopFrame.push(x.frame);
    }
    if (cpingGaveUp.has(c.stream)) {
      r.waitingAt.push(c.startTs);
      r.waitingFrame.push(c.firstFrame);
    }
  }

  get(container: string): ContainerLog | undefined {
    return this.byContainer.get(container);
  }
}

class ContainerLog {
  servedAt: number[] = [];
  servedStream: number[] = [];
  servedFrame: number[] = [];
  servedWebServer: string[] = [];
  stopAt: number[] = [];
  stopFrame: number[] = [];
  waitingAt: number[] = [];
  waitingFrame: number[] = [];
}

const NO_LOG = new ContainerLog();

interface Point {
  at: number;
  i: number;
}

/** Indexes of `at` sorted by time (ties in the order they came). */
function byTime(at: readonly number[]): Point[] {
  return at.map((t, i) => ({ at: t, i })).sort((a, b) => a.at - b.at || a.i - b.i);
}

/**
 * `records`: ended connections (restartRelevant ones suffice); `refused`: the refusals per container
 * (RefusedLog.byContainer); `cpingGaveUp`: streams where the web server closed while waiting for a
 * CPONG (cping-unanswered by the web server).
 */
export function detectRestarts(records: readonly ConnRecord[], refusedBy: ReadonlyMap<string, readonly Refusal[]>, cpingGaveUp: ReadonlySet<number>): { evidence: CaptureEvidence[]; windows: RestartWindow[] } {
  const log = new ServedLog();
  for (const c of records) log.add(c, cpingGaveUp);
  return restartsOf(log, refusedBy);
}

/** detectRestarts over a ServedLog filled as connections ended (the detector's own). */
export function restartsOf(log: ServedLog, refusedBy: ReadonlyMap<string, readonly Refusal[]>): { evidence: CaptureEvidence[]; windows: RestartWindow[] } {
  const evidence: CaptureEvidence[] = [];
  const windows: RestartWindow[] = [];
  for (const [container, refused] of refusedBy) {
    if (!refused.length) continue;
    const r = log.get(container) ?? NO_LOG;
    const served = byTime(r.servedAt);
    // Sorted lists for the lookups around each run (bounded work on long captures).
    const stops = byTime(r.stopAt);
    const waitingAll = byTime(r.waitingAt);
    const at = (p: Point): number => p.at;
    // Runs of refusals with no served connection in between; each run that is followed by a served one.
    let i = 0;
    while (i < refused.length) {
      const first = refused[i]!;
      const nextServed = lowerBound(served, first.startTs, at);
      const back = served[nextServed];
      let j = i;
      while (j + 1 < refused.length && (back === undefined || refused[j + 1]!.startTs < back.at)) j++;
      const last = refused[j]!;
      const count = j - i + 1;
      i = j + 1;
      if (!back) continue;
      const before: Point[] = [];
      for (let k = lowerBound(stops, first.startTs - STOP_LEAD, at); k < stops.length && stops[k]!.at <= first.startTs; k++) before.push(stops[k]!);
      const waiting: Point[] = [];
      for (let k = lowerBound(waitingAll, last.startTs, at); k < waitingAll.length && waitingAll[k]!.at < back.at; k++) if (waitingAll[k]!.at > last.startTs) waiting.push(waitingAll[k]!);
      windows.push({ container, from: first.startTs - STOP_LEAD, to: back.at });
      const outage = back.at - first.startTs;
      const stopFrames = before.map((s) => r.stopFrame[s.i]!);
      const backFrame = r.servedFrame[back.i]!;
      const backStream = r.servedStream[back.i]!;
      const frames = [...stopFrames, first.firstFrame, last.firstFrame, ...waiting.map((s) => r.waitingFrame[s.i]!), backFrame];
      evidence.push({
        source: 'capture',
        kind: 'refused-then-served',
        stream: backStream,
        frames: [...new Set(frames)].sort((a, b) => a - b),
        ts: first.startTs,
        detail:
          (before.length ? `the container closed ${before.length} pooled connection(s) (frame ${stopFrames.join(', ')}), then ` : '') +
          `${count} connection attempt(s) to ${container} were refused (SYN answered by RST, frames ${first.firstFrame}–${last.firstFrame})` +
          (waiting.length ? `, ${waiting.length} accepted connection(s) got no CPONG in time` : '') +
          `; tcp.stream ${backStream} (frame ${backFrame}) was served again ${secs(outage)} after the first refusal`,
        fields: {
          webServer: r.servedWebServer[back.i]!,
          container,
          refused: count,
          firstRefusedFrame: first.firstFrame,
          lastRefusedFrame: last.firstFrame,
          servedFrame: backFrame,
          outageSeconds: Math.round(outage * 1000) / 1000,
          pooledClosedBefore: before.length,
          cpingsUnansweredWhileStarting: waiting.length,
        },
      });
    }
  }
  return { evidence, windows };
}
