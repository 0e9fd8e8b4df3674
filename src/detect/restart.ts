/**
 * Backend back after refused connects: SYN → RST (nothing listening) to one container endpoint, then,
 * later, a connection to the same endpoint that Tomcat served (a request answered through END_RESPONSE,
 * or a CPONG the web server was still waiting for). That is the wire shape of a stop/start or restart
 * (decoders-study §4.3 item 2); the pooled connections' FINs from Tomcat just before are the stop itself.
 */
import type { AjpConnection } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { hostPort, lowerBound, secs } from './common.js';

/**
 * What restart detection reads of one ended AJP connection (a few numbers and its facts, never its
 * cycles). RestartRecords keeps only what the detection uses of it.
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
  return t.length ? Math.min(...t) : null;
}

/**
 * One container endpoint's connections as restart detection needs them, in columns (numbers in
 * plain arrays, no object per connection): the refused connects, the served connections (when and
 * by whom), the container's closes of idle pooled connections, and the connections whose CPING the
 * web server gave up on. A connection in none of these lists costs nothing.
 */
class ContainerRecords {
  /** Arrival number of the first connection of this container that no scan can remove (not a refusal); Infinity: none yet. */
  firstKept = Infinity;
  refusedSeq: number[] = [];
  refusedStream: number[] = [];
  refusedTs: number[] = [];
  refusedFrame: number[] = [];
  servedAt: number[] = [];
  servedStream: number[] = [];
  servedFrame: number[] = [];
  servedWebServer: string[] = [];
  stopAt: number[] = [];
  stopFrame: number[] = [];
  waitingAt: number[] = [];
  waitingFrame: number[] = [];
}

/**
 * The ended AJP connections as restart detection reads them (a few numbers for the connections
 * that matter to it, grouped by container endpoint), filled as connections end.
 */
export class RestartRecords {
  private readonly byContainer = new Map<string, ContainerRecords>();
  private seq = 0;

  /** One ended connection; `cpingGaveUp` holds its stream already when the web server gave up on its CPING. */
  add(c: ConnRecord, cpingGaveUp: ReadonlySet<number>): void {
    const n = this.seq++;
    const key = hostPort(c.container);
    let r = this.byContainer.get(key);
    if (r === undefined) this.byContainer.set(key, (r = new ContainerRecords()));
    if (isRefused(c)) {
      r.refusedSeq.push(n);
      r.refusedStream.push(c.stream);
      r.refusedTs.push(c.startTs);
      r.refusedFrame.push(c.firstFrame);
      return; // refused: never served, never closed idle by the container, no CPING
    }
    if (n < r.firstKept) r.firstKept = n;
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

  /** Restart evidence and windows; refused connects of `skip` streams (a scanner's) are left out. */
  detect(skip: ReadonlySet<number>): { evidence: CaptureEvidence[]; windows: RestartWindow[] } {
    // Containers in the order of their first connection that counts, as the connection list had them.
    const order: Array<{ container: string; r: ContainerRecords; first: number }> = [];
    for (const [container, r] of this.byContainer) {
      let first = r.firstKept;
      for (let i = 0; i < r.refusedSeq.length; i++) {
        if (!skip.has(r.refusedStream[i]!)) {
          first = Math.min(first, r.refusedSeq[i]!);
          break;
        }
      }
      if (first !== Infinity) order.push({ container, r, first });
    }
    order.sort((a, b) => a.first - b.first);
    const evidence: CaptureEvidence[] = [];
    const windows: RestartWindow[] = [];
    for (const { container, r } of order) runs(container, r, skip, evidence, windows);
    return { evidence, windows };
  }
}

interface Point {
  at: number;
  i: number;
}

/** Indexes of `at` sorted by time (ties in arrival order). */
function byTime(at: readonly number[]): Point[] {
  return at.map((t, i) => ({ at: t, i })).sort((a, b) => a.at - b.at || a.i - b.i);
}

export interface RestartWindow {
  container: string;
  from: number;
  to: number;
}

interface Served {
  c: ConnRecord;
  at: number;
}

/** `cpingGaveUp`: streams where the web server closed while waiting for a CPONG (cping-unanswered by the web server). */
export function detectRestarts(connections: readonly ConnRecord[], cpingGaveUp: ReadonlySet<number>): { evidence: CaptureEvidence[]; windows: RestartWindow[] } {
  const records = new RestartRecords();
  for (const c of connections) records.add(c, cpingGaveUp);
  return records.detect(new Set());
}

/** One container's runs of refusals, each followed by a served connection: refused-then-served. */
function runs(container: string, r: ContainerRecords, skip: ReadonlySet<number>, evidence: CaptureEvidence[], windows: RestartWindow[]): void {
  const refused = byTime(r.refusedTs).filter((p) => !skip.has(r.refusedStream[p.i]!));
  if (!refused.length) return;
  const served = byTime(r.servedAt);
  // Sorted lists for the lookups around each run (bounded work on long captures).
  const stops = byTime(r.stopAt);
  const waitingAll = byTime(r.waitingAt);
  const at = (p: Point): number => p.at;
  // Runs of refusals with no served connection in between; each run that is followed by a served one.
  let i = 0;
  while (i < refused.length) {
    const first = refused[i]!;
    const nextServed = lowerBound(served, first.at, at);
    const back = served[nextServed];
    let j = i;
    while (j + 1 < refused.length && (back === undefined || refused[j + 1]!.at < back.at)) j++;
    const last = refused[j]!;
    const count = j - i + 1;
    i = j + 1;
    if (!back) continue;
    const before: Point[] = [];
    for (let k = lowerBound(stops, first.at - STOP_LEAD, at); k < stops.length && stops[k]!.at <= first.at; k++) before.push(stops[k]!);
    const waiting: Point[] = [];
    for (let k = lowerBound(waitingAll, last.at, at); k < waitingAll.length && waitingAll[k]!.at < back.at; k++) if (waitingAll[k]!.at > last.at) waiting.push(waitingAll[k]!);
    windows.push({ container, from: first.at - STOP_LEAD, to: back.at });
    const outage = back.at - first.at;
    const stopFrames = before.map((s) => r.stopFrame[s.i]!);
    const firstFrame = r.refusedFrame[first.i]!;
    const lastFrame = r.refusedFrame[last.i]!;
    const backFrame = r.servedFrame[back.i]!;
    const backStream = r.servedStream[back.i]!;
    const frames = [...stopFrames, firstFrame, lastFrame, ...waiting.map((s) => r.waitingFrame[s.i]!), backFrame];
    evidence.push({
      source: 'capture',
      kind: 'refused-then-served',
      stream: backStream,
      frames: [...new Set(frames)].sort((a, b) => a - b),
      ts: first.at,
      detail:
        (before.length ? `the container closed ${before.length} pooled connection(s) (frame ${stopFrames.join(', ')}), then ` : '') +
        `${count} connection attempt(s) to ${container} were refused (SYN answered by RST, frames ${firstFrame}–${lastFrame})` +
        (waiting.length ? `, ${waiting.length} accepted connection(s) got no CPONG in time` : '') +
        `; tcp.stream ${backStream} (frame ${backFrame}) was served again ${secs(outage)} after the first refusal`,
      fields: {
        webServer: r.servedWebServer[back.i]!,
        container,
        refused: count,
        firstRefusedFrame: firstFrame,
        lastRefusedFrame: lastFrame,
        servedFrame: backFrame,
        outageSeconds: Math.round(outage * 1000) / 1000,
        pooledClosedBefore: before.length,
        cpingsUnansweredWhileStarting: waiting.length,
      },
    });
  }
}
