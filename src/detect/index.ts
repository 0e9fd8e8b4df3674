/**
 * detect/: capture detectors over AJP timelines. Each turns protocol violations and connection facts
 * into the evidence kinds the root-cause rules ask for (rules/causes/*: `needs.capture`), so a rule
 * never reads frames itself. AjpDetector consumes the analyzer's events as they happen (its own
 * bounded state per connection), so what is detected never depends on display caps.
 *
 * Only the kinds below reach the rules (the state machine's own violations, ajp/state.ts
 * VIOLATION_KINDS, are raw material here): one table entry per kind, the detector that makes it.
 */
import type { AjpConnection, AjpEventSink, AjpResult, RequestCycle } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { EvidenceBudget, MAX_EVIDENCE_PER_KIND, type EvidenceUnread } from '../util/evidence-budget.js';
import { ClientGuess } from './client.js';
import { cycleOf, ev, endpoints, secs, type ConnView } from './common.js';
import { oversizedPacket } from './packet-size.js';
import { isRefused, RefusedLog, restartRelevant, restartsOf, ServedLog, type ConnRecord } from './restart.js';
import { cpingTimeout, replyTimeout, settle, type TimeoutItem } from './timeouts.js';
import { resetUnused } from './scan.js';
import { ColumnBlock, grown } from '../util/grown.js';

export { scanSources } from './scan.js';
export { MAX_EVIDENCE_PER_KIND, type EvidenceUnread } from '../util/evidence-budget.js';

export const DETECTED_KINDS = [
  // violations passed on unchanged
  'cpong-expected',
  'data-after-end-response',
  // index.ts fromViolation() / fromConnection()
  'ghostcat-attribute',
  'non-ajp-reply',
  'non-ajp-client',
  'secret-rejected',
  'unknown-attribute',
  'client-abort-upload',
  'client-abort-download',
  'body-chunk-never-sent',
  'connect-refused',
  // scan.ts: connections no web server made (port scans, TCP probes)
  'port-scan',
  'syn-unanswered',
  'backend-idle-close',
  'idle-connection-dropped',
  // timeouts.ts: the web server gave up waiting for a reply / a CPONG
  'reply-timeout',
  'cping-timeout',
  // packet-size.ts: a packet over 8 KB the other side refused
  'oversized-request-rejected',
  'oversized-reply-rejected',
  // restart.ts: refused connects, then served again
  'refused-then-served',
] as const;

/** Rule-level evidence derived from one protocol violation. */
export function fromViolation(v: CaptureEvidence): CaptureEvidence[] {
  const f = v.fields ?? {};
  switch (v.kind) {
    // Violations that are root-cause evidence as they are: a CPING answered by a stale packet of an earlier
    // exchange (cping-desync-leftover-packets), packets after END_RESPONSE (backend-sends-after-end-response).
    case 'cpong-expected':
    case 'data-after-end-response':
      return [v];
    case 'include-attribute':
      return []; // one per request, with the container's answer: ghostcatRequests(), at the connection's end
    case 'unknown-request-attribute':
      return [ev(v, 'unknown-attribute', v.detail)];
    case 'bad-magic':
      return f.from === 'container'
        ? [ev(v, 'non-ajp-reply', `the container answered with non-AJP bytes "${String(f.text ?? '')}"`)]
        : [ev(v, 'non-ajp-client', `the client sent non-AJP bytes "${String(f.text ?? '')}" to the AJP port`)];
    case 'end-response-no-reuse':
      return f.status === 403 && f.rejectedAttribute !== true
        ? [ev(v, 'secret-rejected', `403 and reuse=0 for ${String(f.method)} ${String(f.uri)}: request ${f.secret ? 'carried a secret the container did not accept' : 'carried no secret'}`)]
        : [];
    case 'closed-in-cycle':
    case 'reset-in-cycle':
      if (f.by !== 'web-server' || (typeof f.cycleViolations === 'number' && f.cycleViolations > 0)) return [];
      if (f.status === null || f.status === undefined) {
        if (f.requestBodyComplete === false) {
          return [ev(v, 'client-abort-upload', `the web server closed the connection while the request body of ${String(f.method)} ${String(f.uri)} was still arriving`)];
        }
        // Who waited on whom: the container had asked for body (GET_BODY_CHUNK) that no Content-Length
        // announced and nothing answered. Tomcat blocks in AjpProcessor.refillReadBuffer() → receive()
        // for it; mod_jk (jk_ajp_common.c ajp_process_callback(), JK_AJP13_GET_BODY_CHUNK) and
        // mod_proxy_ajp answer every GET_BODY_CHUNK at once, with an empty packet when there is no
        // more body, unless they are themselves still reading it from their HTTP client.
        if (typeof f.bodyAskedTs === 'number') {
          const waited = Math.round((v.ts - f.bodyAskedTs) * 1000) / 1000;
          return [
            {
              ...ev(v, 'body-chunk-never-sent', `the container asked for request body with GET_BODY_CHUNK (frame ${String(f.bodyAskedFrame)}) for ${String(f.method)} ${String(f.uri)}; nothing came, and the web server closed the connection ${secs(waited)} later`, { waitedSeconds: waited }),
              frames: [Number(f.bodyAskedFrame), ...v.frames],
            },
          ];
        }
        return [];
      }
      return [ev(v, 'client-abort-download', `the web server closed the connection while the response to ${String(f.method)} ${String(f.uri)} was being sent`)];
    default:
      return [];
  }
}

/**
 * One `ghostcat-attribute` item per FORWARD_REQUEST carrying javax/jakarta.servlet.include.*
 * attributes (not one per attribute), with what the container answered: Tomcat 9.0.31 / 8.5.51 /
 * 7.0.100+ refuses a request attribute it does not know with 403 and closes (AjpProcessor.prepareRequest(),
 * allowedRequestAttributesPattern); any other answer means the attributes were let through (an
 * unpatched Tomcat, or a pattern that matches them) and the request was served with them.
 */
export function ghostcatRequests(vs: readonly CaptureEvidence[], c: ConnView): CaptureEvidence[] {
  const byCycle = new Map<number | string, CaptureEvidence[]>();
  for (const v of vs) {
    if (v.kind !== 'include-attribute') continue;
    const k = typeof v.fields?.cycle === 'number' ? v.fields.cycle : `f${v.frames[0]}`;
    let arr = byCycle.get(k);
    if (!arr) byCycle.set(k, (arr = []));
    arr.push(v);
  }
  const out: CaptureEvidence[] = [];
  for (const g of byCycle.values()) {
    const v = g[0]!;
    const y = cycleOf(c, v);
    const status = y?.status ?? null;
    const names = g.map((x) => String(x.fields?.name));
    const accepted = status === null ? null : status !== 403;
    const answer =
      status === null
        ? 'no reply seen'
        : accepted
          ? `the container answered ${status}: it let the attributes through (a patched Tomcat refuses them with 403)`
          : `the container refused it with 403${y?.reuse === 0 ? ' and closed the connection' : ''}`;
    out.push(
      ev(v, 'ghostcat-attribute', `${String(v.fields?.method)} ${String(v.fields?.uri)} with ${names.join(', ')}: ${answer}`, {
        name: names[0] ?? null,
        attributes: names.join(' '),
        count: names.length,
        status,
        accepted,
      }),
    );
  }
  return out;
}

/** Rule-level evidence from a connection's summary and facts. */
export function fromConnection(c: AjpConnection): CaptureEvidence[] {
  const out: CaptureEvidence[] = [];
  const f = c.facts;
  const base = { source: 'capture' as const, stream: c.stream };
  const quiet = c.bytes.webServer + c.bytes.container === 0;
  if (f.syn && !f.synAck && quiet) {
    if (isRefused(c)) {
      out.push({ ...base, kind: 'connect-refused', frames: [c.firstFrame, c.lastFrame], ts: c.startTs, detail: `connection to ${endpoints(c).container} refused (SYN answered by RST)`, fields: endpoints(c) });
    } else if (f.rstBy === null && f.finBy === null) {
      // Every SYN of the attempt (the kernel re-sends it on the same 4-tuple), so the filter shows them all.
      const frames = f.synFrames.length > 0 ? [...f.synFrames] : [c.firstFrame, c.lastFrame];
      const n = f.synFrames.length;
      out.push({ ...base, kind: 'syn-unanswered', frames, ts: c.startTs, detail: `SYN to ${endpoints(c).container} never answered${n > 1 ? ` (${n} SYNs: the first and ${n - 1} retransmission${n > 2 ? 's' : ''})` : ''}`, fields: { ...endpoints(c), syns: n } });
    }
  }
  if (f.closedIdleBy !== null) {
    const x = f.closedIdleBy;
    out.push({
      ...base,
      kind: 'backend-idle-close',
      frames: [x.frame],
      ts: x.ts,
      detail: `the container closed the idle pooled connection (${x.how.toUpperCase()}${x.idle !== null ? ` after ${x.idle.toFixed(1)} s without traffic` : ''})`,
      fields: { ...endpoints(c), how: x.how, idleSeconds: x.idle },
    });
  }
  if (f.unansweredAfterIdle !== null && f.unansweredAfterIdle.retransmissions > 0) {
    const x = f.unansweredAfterIdle;
    out.push({
      ...base,
      kind: 'idle-connection-dropped',
      frames: x.frames,
      ts: x.ts,
      detail: `${x.type} after ${x.idle.toFixed(1)} s of silence was never answered (${x.retransmissions} retransmission(s), no reply, no RST): something between dropped the idle connection`,
      fields: { ...endpoints(c), idleSeconds: x.idle, retransmissions: x.retransmissions, type: x.type },
    });
  }
  return out;
}

/** Violation kinds some detector reads; the others are not kept past their call. */
const READ_KINDS = new Set([
  'cpong-expected',
  'data-after-end-response',
  'include-attribute',
  'unknown-request-attribute',
  'bad-magic',
  'end-response-no-reuse',
  'closed-in-cycle',
  'reset-in-cycle',
  'cping-unanswered',
  'packet-too-big',
  'packet-over-default',
]);

const NO_EVIDENCE: readonly CaptureEvidence[] = Object.freeze([]);

/** Violations of one connection kept until it ends (its own bound; beyond it they are counted). */
const MAX_PENDING_PER_CONNECTION = 4096;

/**
 * Quiet connections (SYN unanswered or refused, reset before a byte) kept as items of their own;
 * past it each further one is folded into the item of its kind, source address and container
 * (`fields.folded` counts them), and past MAX_FOLD_KEYS such groups into one per kind and container
 * (source ''). A scan or SYN flood makes one per connection, millions of them (issue 15).
 */
export const MAX_QUIET_ITEMS = 10_000;
const MAX_FOLD_KEYS = 10_000;

interface Quiet {
  e: CaptureEvidence;
  /** The address that opened the connection(s); '' for a group of several past MAX_FOLD_KEYS. */
  addr: string;
  stream: number;
  /** Further connections of the same shape folded into this one. */
  folded: number;
}

/**
 * What is held for an open connection with violations some detector reads (most connections never
 * have one): the violations and the cycles they refer to.
 */
class Pending {
  violations: CaptureEvidence[] = [];
  dropped = 0;
  /** Cycle indexes a pending violation refers to, and the cycles found for them. */
  wanted: Set<number> | null = null;
  cycles: Map<number, RequestCycle> | null = null;
  /** Frames of oversized web-server packets: the first cycle starting at or after each is kept. */
  wantedFrom: number[] | null = null;

  keep(y: RequestCycle): void {
    (this.cycles ??= new Map()).set(y.index, y);
  }
}

/**
 * What is held per open connection that has had a request cycle or a violation: a row of columns
 * (a pooled capture keeps most of its connections open to the end; an object each was ~110 bytes
 * with its boxed time), its Pending made only at the first violation read.
 */
class LiveRows {
  private readonly slotOf = new Map<number, number>();
  private readonly free: number[] = [];
  private top = 0;
  private cap = 0;
  /** First frame of the connection's first request cycle (NaN: none). */
  firstCycleFrame = new Float64Array(0);
  /** Index of its last request cycle (0: none). */
  lastCycleIndex = new Float64Array(0);
  /** Time of its first cycle answered with END_RESPONSE (NaN: none). */
  firstServedTs = new Float64Array(0);
  /** The cycle that ended at the packet being handled (a violation at its END_RESPONSE refers to it after it ended). */
  last: Array<RequestCycle | null> = [];
  pending: Array<Pending | null> = [];

  /**
   * The last stream asked for and its row, answered without the map: a cycle's end and its
   * cycleDone come one after the other for one stream (the map lookups were ~0.5 % of a 2 GB pooled
   * capture, issue 14). Only a row that exists is remembered; release forgets it.
   */
  private lastStream = -1;
  private lastSlot = -1;

  /** The row of `stream`, made when `create`; -1 when there is none. */
  slot(stream: number, create: boolean): number {
    if (stream === this.lastStream) return this.lastSlot;
    let s = this.slotOf.get(stream);
    if (s !== undefined) {
      this.lastStream = stream;
      this.lastSlot = s;
      return s;
    }
    if (!create) return -1;
    s = this.free.pop();
    if (s === undefined) {
      if (this.top === this.cap) this.grow(Math.max(256, this.cap * 2));
      s = this.top++;
    }
    this.slotOf.set(stream, s);
    this.firstCycleFrame[s] = NaN;
    this.lastCycleIndex[s] = 0;
    this.firstServedTs[s] = NaN;
    this.last[s] = null;
    this.pending[s] = null;
    this.lastStream = stream;
    this.lastSlot = s;
    return s;
  }

  release(stream: number, s: number): void {
    if (stream === this.lastStream) this.lastStream = -1;
    this.slotOf.delete(stream);
    this.last[s] = null;
    this.pending[s] = null;
    this.free.push(s);
  }

  private grow(cap: number): void {
    const block = new ColumnBlock();
    for (const k of ['firstCycleFrame', 'lastCycleIndex', 'firstServedTs'] as const) this[k] = grown(this[k], cap, block);
    for (let i = this.cap; i < cap; i++) {
      this.last.push(null);
      this.pending.push(null);
    }
    this.cap = cap;
  }
}

/**
 * The capture detectors as a streaming consumer of the AJP analyzer (its `events` sink): each
 * connection's violations and the cycles they refer to are held while it is open, judged when it
 * ends, then dropped; what stays is a few numbers for the connections restart detection reads
 * (restart.ts RefusedLog, ServedLog) and the per-slot client marks. Nothing here reads a list the analyzer caps for display.
 */
export class AjpDetector implements AjpEventSink {
  private readonly live = new LiveRows();
  private readonly out: CaptureEvidence[] = [];
  /** What restart detection reads of the other ended connections: a few numbers each (restart.ts ServedLog). */
  private readonly served = new ServedLog();
  private readonly refused = new RefusedLog();
  private readonly cpingGaveUp = new Set<number>();
  private readonly client = new ClientGuess();
  /**
   * Timeouts, judged when their connection ends; the client module guessed around them and the
   * restart windows are told at the end, when all marks are in (timeouts.ts settle).
   */
  private readonly timeouts: TimeoutItem[] = [];
  /**
   * Unanswered / refused SYNs and connections reset before a byte (scan.ts resetUnused), with the
   * address that opened them: a scanner's probes or a web server's connects, told at the end.
   */
  private readonly syns: Quiet[] = [];
  /** Where a quiet connection past MAX_QUIET_ITEMS folds: kind, source and container. */
  private readonly folds = new Map<string, Quiet>();
  private dropped = 0;
  private readonly budget: EvidenceBudget;

  /** `perKind`: the evidence items of a kind kept for the rules (tests give a small bound). */
  constructor(perKind = MAX_EVIDENCE_PER_KIND) {
    this.budget = new EvidenceBudget(perKind);
  }

  /** An item for the rules, within the evidence bound. */
  private keep(e: CaptureEvidence): void {
    if (this.budget.take(e.kind)) this.out.push(e);
  }

  /** Items counted past the evidence bound, by kind (none: the rules read every item). */
  unread(): EvidenceUnread[] {
    return this.budget.unread();
  }

  private quiet(e: CaptureEvidence, addr: string, stream: number): void {
    if (this.syns.length < MAX_QUIET_ITEMS) {
      this.syns.push({ e, addr, stream, folded: 0 });
      return;
    }
    const container = String(e.fields?.container);
    let key = `${e.kind}|${addr}|${container}`;
    let q = this.folds.get(key);
    if (q === undefined && this.folds.size >= MAX_FOLD_KEYS) {
      addr = '';
      key = `${e.kind}||${container}`;
      q = this.folds.get(key);
    }
    if (q === undefined) {
      q = { e, addr, stream, folded: 0 };
      this.folds.set(key, q);
      this.syns.push(q);
    } else q.folded++;
  }

  violation(v: CaptureEvidence): void {
    if (!READ_KINDS.has(v.kind)) return;
    if (v.kind === 'cping-unanswered' && v.fields?.by === 'web-server') this.cpingGaveUp.add(v.stream);
    const rows = this.live;
    const s = rows.slot(v.stream, true);
    const l = (rows.pending[s] ??= new Pending());
    const vs = l.violations;
    if (vs.length >= MAX_PENDING_PER_CONNECTION) {
      l.dropped++;
      this.dropped++;
      return;
    }
    vs.push(v);
    const n = v.fields?.cycle;
    if (typeof n === 'number') {
      const last = rows.last[s]!;
      if (last !== null && last.index === n) l.keep(last);
      else (l.wanted ??= new Set()).add(n);
    }
    if ((v.kind === 'packet-too-big' || v.kind === 'packet-over-default') && v.fields?.side === 'web-server') (l.wantedFrom ??= []).push(v.frames[0]!);
  }

  cycleEnd(stream: number, webServerAddr: string, y: RequestCycle): void {
    const rows = this.live;
    const s = rows.slot(stream, true);
    this.client.add(webServerAddr, y);
    // (NaN, no cycle yet, compares false.)
    if (!(y.firstFrame >= rows.firstCycleFrame[s]!)) rows.firstCycleFrame[s] = y.firstFrame;
    if (y.index > rows.lastCycleIndex[s]!) rows.lastCycleIndex[s] = y.index;
    if (Number.isNaN(rows.firstServedTs[s]!) && y.outcome === 'end-response') rows.firstServedTs[s] = y.ts;
    rows.last[s] = y;
    const l = rows.pending[s]!;
    if (l === null) return;
    if (l.wanted !== null && l.wanted.delete(y.index)) l.keep(y);
    if (l.wantedFrom !== null && l.wantedFrom.length > 0) {
      const before = l.wantedFrom.length;
      l.wantedFrom = l.wantedFrom.filter((f) => f > y.firstFrame);
      if (l.wantedFrom.length < before) l.keep(y);
    }
  }

  /** Nothing refers to the cycle once the packet that ended it is handled: not held past it. */
  cycleDone(stream: number, y: RequestCycle): void {
    const s = this.live.slot(stream, false);
    if (s >= 0 && this.live.last[s] === y) this.live.last[s] = null;
  }

  connectionEnd(conn: AjpConnection): void {
    const rows = this.live;
    const s = rows.slot(conn.stream, false);
    const l = s < 0 ? null : rows.pending[s]!;
    const firstServed = s < 0 ? NaN : rows.firstServedTs[s]!;
    const vs = l?.violations ?? NO_EVIDENCE;
    // The facts below read the summary only; the view with the cycles the violations refer to is
    // made only for a connection that has such violations (most have none).
    let c: AjpConnection | ConnView = conn;
    if (vs.length > 0) {
      const first = rows.firstCycleFrame[s]!;
      // The view keeps no story or display lists: a timeout judged at the end holds only this.
      // Object.assign, not an object literal spreading `conn` and adding two properties: on Node 20
      // (V8 11.3) such clones survived the scavenges that should have freed them (a sampling heap
      // profile of the pooled 2 GB capture's finish, ~13,000 open connections with a pending
      // violation ended at once: 26 of the 60 MB it promoted to the old generation came from here).
      const view: ConnView = Object.assign({}, conn, {
        events: [],
        violations: [],
        cycles: l!.cycles === null ? [] : [...l!.cycles.values()].sort((a, b) => a.index - b.index),
        firstCycleFrame: Number.isNaN(first) ? null : first,
        lastCycleIndex: rows.lastCycleIndex[s]!,
      });
      c = view;
      for (const e of ghostcatRequests(vs, view)) this.keep(e);
      for (const v of vs) {
        for (const e of fromViolation(v)) this.keep(e);
        for (const e of oversizedPacket(v, view, vs)) this.keep(e);
        // (the client and restart windows of the whole capture are told at the end)
        const reply = replyTimeout(v, view);
        if (reply !== null && this.budget.take(reply.e.kind)) this.timeouts.push(reply);
        const cping = cpingTimeout(v, view);
        if (cping !== null && this.budget.take(cping.e.kind)) this.timeouts.push(cping);
      }
    }
    if (s >= 0) rows.release(conn.stream, s);
    for (const e of fromConnection(c)) {
      if (e.kind === 'syn-unanswered' || e.kind === 'connect-refused') this.quiet(e, c.webServer.addr, c.stream);
      else this.keep(e);
    }
    if (resetUnused(c)) {
      this.quiet(
        {
          source: 'capture',
          kind: 'reset-unused',
          stream: c.stream,
          frames: c.facts.synFrames.length > 0 ? [...c.facts.synFrames, c.lastFrame] : [c.firstFrame, c.lastFrame],
          ts: c.startTs,
          detail: '',
          fields: endpoints(c),
        },
        c.webServer.addr,
        c.stream,
      );
    }
    const record: ConnRecord = {
      stream: c.stream, webServer: c.webServer, container: c.container, startTs: c.startTs, firstFrame: c.firstFrame, lastFrame: c.lastFrame,
      facts: c.facts, bytes: c.bytes, cpongs: c.cpongs, cpings: c.cpings, firstServedTs: Number.isNaN(firstServed) ? null : firstServed,
    };
    // Restart detection keeps a refusal as three numbers, and a few numbers of the other connections it reads.
    if (isRefused(c)) this.refused.add(record);
    else if (restartRelevant(record, this.cpingGaveUp)) this.served.add(record, this.cpingGaveUp);
  }

  /**
   * Every rule-level evidence item, in time order (call once, after the last connection ended).
   * `scanners`: addresses that probed several ports of the capture without a byte (scan.ts
   * scanSources, from every TCP stream): their unanswered or refused SYNs are a scan, not connects.
   */
  evidence(scanners: ReadonlyMap<string, number> = new Map()): CaptureEvidence[] {
    // A scanner's refused connects are not a web server's: left out of restart detection by their
    // address (the records hold no quiet connection, so none of a scanner's probes).
    const restarts = restartsOf(this.served, this.refused.byContainer(scanners));
    const out = [...this.out];
    for (const { e: one, addr, folded } of this.syns) {
      const e = folded === 0 ? one : withFolded(one, folded, addr);
      const ports = addr === '' ? undefined : scanners.get(addr);
      if (ports === undefined) {
        // A web server's connect (a reset-unused one says nothing alone: mod_jk does that too, samples/backend-restart).
        if (e.kind !== 'reset-unused') out.push(e);
        continue;
      }
      const what =
        e.kind === 'connect-refused'
          ? 'was refused (RST)'
          : e.kind === 'syn-unanswered'
            ? 'was never answered'
            : 'was answered, and the connection reset before a byte was sent (SYN → SYN-ACK → RST)';
      out.push({
        ...e,
        kind: 'port-scan',
        detail: `SYN from ${addr} to ${String(e.fields?.container)} ${what}; the same address opened connections to ${ports} ports of this capture within seconds, without sending a byte: a port scan, not a web server connecting`,
        fields: { ...e.fields, scanner: addr, shape: e.kind === 'connect-refused' ? 'refused' : e.kind === 'syn-unanswered' ? 'syn-unanswered' : 'reset-unused', ports },
      });
    }
    for (const t of this.timeouts) out.push(settle(t, this.client, restarts.windows));
    for (const e of restarts.evidence) out.push(e);
    return out.sort((a, b) => a.ts - b.ts || a.stream - b.stream);
  }
}

/** A quiet connection's item standing for `folded` more of the same shape (MAX_QUIET_ITEMS). */
function withFolded(e: CaptureEvidence, folded: number, addr: string): CaptureEvidence {
  const from = addr === '' ? 'from other sources' : `from ${addr}`;
  return { ...e, detail: `${e.detail} (and ${folded} more like it ${from}, folded into this item)`, fields: { ...e.fields, folded } };
}

/**
 * Every rule-level evidence item of an analyzer result (its kept lists replayed through the
 * streaming detector; the AJP vertical feeds the detector live instead, see AjpDetector).
 */
export function detectCaptureEvidence(r: AjpResult): CaptureEvidence[] {
  const d = new AjpDetector();
  const byStream = new Map<number, CaptureEvidence[]>();
  for (const v of r.violations) {
    let arr = byStream.get(v.stream);
    if (!arr) byStream.set(v.stream, (arr = []));
    arr.push(v);
  }
  for (const c of r.connectionList) {
    for (const v of byStream.get(c.stream) ?? []) d.violation(v);
    for (const y of c.cycles) d.cycleEnd(c.stream, c.webServer.addr, y);
    d.connectionEnd(c);
  }
  return d.evidence();
}
