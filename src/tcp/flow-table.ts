import { TcpFlags, type Segment } from '../net/types.js';
import type {
  Direction,
  StreamData,
  StreamEnd,
  StreamInfo,
  StreamSummary,
  TcpEvent,
  TcpEventKind,
  TcpSink,
} from './types.js';
import { seqAdd, seqDiff } from './seq.js';
import { serverByContent, serverByKnownPort, serverByPortRange } from './roles.js';
import { PendingQueue } from './pending.js';

export interface TcpFlowTableOptions {
  /** Bytes one direction of a flow may hold while waiting for a hole to fill (default 4 MiB). */
  maxBufferPerFlow?: number;
  /**
   * Bytes all flows together may hold waiting for holes to fill, each buffered segment counted with
   * PENDING_OVERHEAD more for its bookkeeping (default 64 MiB): a capture of many flows, each with a
   * hole, stays bounded too. Past it the flow that asks for more gives up its holes (buffer-limit).
   */
  maxBufferTotal?: number;
  /** Seconds without a packet in either direction that make an `idle` event (default 30). */
  idleThreshold?: number;
  /**
   * Finished streams kept as small tombstones so late packets on their 4-tuple (last ACK, retransmitted
   * FIN) still get the stream's id, as Wireshark does (default 8192; oldest dropped first: late packets come within seconds).
   */
  maxClosedFlows?: number;
}

const SYN = TcpFlags.SYN;
const ACK = TcpFlags.ACK;
const FIN = TcpFlags.FIN;
const RST = TcpFlags.RST;

/** What one buffered segment costs besides its bytes (its record, the Buffer object, the heap slot). */
const PENDING_OVERHEAD = 160;

/** Wireshark's out-of-order threshold when the handshake RTT is unknown (packet-tcp.c, tcp_analyze_sequence_number: 3 ms). */
const DEFAULT_OOO_THRESHOLD = 0.003;

/** One direction of a flow. */
class Half {
  /** Wireshark's base_seq (ISN, or seq-1 of the first non-SYN packet, or ack-1 from the peer): decides port reuse. */
  baseSet = false;
  baseSeq = 0;
  /** Delivery has a start point (SYN seen, or first packet of this direction). */
  started = false;
  synSeen = false;
  /** Next sequence number to deliver in order. */
  nextSeq = 0;
  /** Offset in this direction's byte stream of nextSeq. */
  offset = 0;
  /** Highest sequence end seen (SYN/FIN count one), Wireshark's nextseq, and the time of the segment that set it. */
  maxEnd = 0;
  maxEndTs = 0;
  hasData = false;
  /** Out-of-order segments (created when the first one arrives). */
  ooo: PendingQueue | null = null;
  /** Highest ACK the peer sent for this direction's bytes. */
  peerAckSet = false;
  peerAck = 0;
  finSeen = false;
  /** Last advertised window; -1 before the first packet. */
  window = -1;
}

/** What an ended flow points to instead of its own direction state. */
const ENDED: readonly [Half, Half] = [new Half(), new Half()];

class Flow {
  /** Per-direction state; replaced by the shared ENDED pair when the flow ends (tombstones stay small). */
  half: readonly [Half, Half] = [new Half(), new Half()];
  /** Base sequence numbers kept after the end, for the port-reuse test on late SYNs. */
  endBase0 = -1;
  endBase1 = -1;
  /** Highest sequence end seen per direction at the end (-1: none), to classify late segments. */
  endMax0 = -1;
  endMax1 = -1;
  ended = false;
  lastTs: number;
  synTs = -1;
  /** Handshake RTT (SYN to first ACK), as Wireshark's tcp.analysis.initial_rtt; -1 unknown. */
  firstRtt = -1;
  constructor(
    readonly id: number,
    /** Sender of the first packet ("A"); direction index 0 is A→B. */
    readonly aAddr: string,
    readonly aPort: number,
    readonly bAddr: string,
    readonly bPort: number,
    /** The flow's bucket in the table (the same for both directions), see portKey. */
    readonly key: number,
    /** True when A is the client. */
    readonly clientIsA: boolean,
    readonly info: StreamInfo,
    readonly summary: StreamSummary,
  ) {
    this.lastTs = info.startTs;
  }
}

/**
 * The table's bucket for a 4-tuple, the same for both directions: the two ports folded into a small
 * integer (a V8 Smi: no string built, no heap number, per packet). Flows whose ports fold alike share
 * the bucket and are told apart by their exact ports and addresses (sameTuple).
 */
function portKey(p1: number, p2: number): number {
  return p1 < p2 ? ((p1 << 14) ^ p2) & 0x3fffffff : ((p2 << 14) ^ p1) & 0x3fffffff;
}

function sameTuple(f: Flow, seg: Segment): boolean {
  return (
    (seg.srcPort === f.aPort && seg.dstPort === f.bPort && seg.srcAddr === f.aAddr && seg.dstAddr === f.bAddr) ||
    (seg.srcPort === f.bPort && seg.dstPort === f.aPort && seg.srcAddr === f.bAddr && seg.dstAddr === f.aAddr)
  );
}

function sameFlowTuple(f: Flow, g: Flow): boolean {
  return (
    (g.aPort === f.aPort && g.bPort === f.bPort && g.aAddr === f.aAddr && g.bAddr === f.bAddr) ||
    (g.aPort === f.bPort && g.bPort === f.aPort && g.aAddr === f.bAddr && g.bAddr === f.aAddr)
  );
}

/**
 * The TCP flow table: assigns stream ids as Wireshark's `tcp.stream` does, decides client and server,
 * reassembles each direction in sequence order and reports TCP events. Push segments in capture order;
 * call finish() at the end of the capture.
 *
 * Stream ids: a new id for the first packet on a 4-tuple, and for a pure SYN on a known 4-tuple whose
 * sequence number differs from that direction's base sequence number (Wireshark 4.0 packet-tcp.c,
 * dissect_tcp: "If this is a SYN packet, then check if its seq-nr is different from the base_seq of the
 * retrieved conversation ... create a new conversation"). A FIN or RST alone does not start a new
 * stream: packets after them stay in the old one.
 */
export class TcpFlowTable {
  private readonly sink: TcpSink;
  private readonly maxBuffer: number;
  private readonly maxTotal: number;
  /** Out-of-order bytes (plus PENDING_OVERHEAD per segment) held by all flows. */
  private held = 0;
  private readonly idleThreshold: number;
  private readonly maxClosed: number;
  /** Flows by portKey: one flow, or the few whose ports fold to the same key. */
  private readonly flows = new Map<number, Flow | Flow[]>();
  private readonly open = new Map<number, Flow>();
  private closed: Flow[] = [];
  private closedHead = 0;
  private nextId = 0;
  private last: Flow | undefined;
  private finished = false;

  constructor(sink: TcpSink, opts: TcpFlowTableOptions = {}) {
    this.sink = sink;
    this.maxBuffer = opts.maxBufferPerFlow ?? 4 * 1024 * 1024;
    this.maxTotal = opts.maxBufferTotal ?? 64 * 1024 * 1024;
    this.idleThreshold = opts.idleThreshold ?? 30;
    this.maxClosed = opts.maxClosedFlows ?? 8192;
  }

  /** Streams seen so far (the next id). */
  get streamCount(): number {
    return this.nextId;
  }

  /** Streams not yet ended. */
  get openCount(): number {
    return this.open.size;
  }

  /**
   * Process one segment. `frameLen` is the packet's length on the wire (frame.len), counted into the
   * summary's frameBytes.
   */
  push(seg: Segment, frameLen = 0): void {
    const flags = seg.flags;
    let flow = this.last;
    // Consecutive packets usually belong to the same flow: compare before building a key. (`last` is
    // always the flow the map holds for its 4-tuple: it is reset whenever that entry changes.)
    if (flow === undefined || !sameTuple(flow, seg)) flow = this.lookup(seg);
    if (flow !== undefined && (flags & (SYN | ACK)) === SYN) {
      const d = seg.srcPort === flow.aPort && seg.srcAddr === flow.aAddr ? 0 : 1;
      const base = flow.ended ? (d === 0 ? flow.endBase0 : flow.endBase1) : flow.half[d].baseSet ? flow.half[d].baseSeq : -1;
      if (base !== -1 && base !== seg.seq) {
        // Port reuse: a new connection on this 4-tuple.
        if (!flow.ended) this.endFlow(flow, 'open');
        this.unlink(flow);
        flow = undefined;
      }
    }
    if (flow === undefined) flow = this.createFlow(seg);
    this.last = flow;
    const dirIdx: 0 | 1 = seg.srcPort === flow.aPort && seg.srcAddr === flow.aAddr ? 0 : 1;
    const dir: Direction = (dirIdx === 0) === flow.clientIsA ? 'c2s' : 's2c';
    const sum = flow.summary;
    // Named properties, not [dir]: monomorphic stores on the hot path.
    if (dir === 'c2s') {
      sum.packets.c2s++;
      sum.payloadBytes.c2s += seg.payloadLenOnWire;
      sum.frameBytes.c2s += frameLen;
    } else {
      sum.packets.s2c++;
      sum.payloadBytes.s2c += seg.payloadLenOnWire;
      sum.frameBytes.s2c += frameLen;
    }
    sum.lastTs = seg.ts;
    sum.lastFrame = seg.frame;
    if (flow.ended) this.late(flow, dirIdx, seg);
    else this.process(flow, dirIdx, dir, seg);
  }

  /** End of capture: flush every open stream (holes become gaps) and report it with end 'open'. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const flow of [...this.open.values()]) {
      this.endFlow(flow, 'open');
    }
    this.flows.clear();
    this.closed = [];
    this.closedHead = 0;
    this.last = undefined;
  }

  /** The flow the table holds for the segment's 4-tuple. */
  private lookup(seg: Segment): Flow | undefined {
    const e = this.flows.get(portKey(seg.srcPort, seg.dstPort));
    if (e === undefined) return undefined;
    if (!Array.isArray(e)) return sameTuple(e, seg) ? e : undefined;
    for (const f of e) if (sameTuple(f, seg)) return f;
    return undefined;
  }

  /** Make `flow` the table's flow for its 4-tuple (replacing one there). */
  private link(flow: Flow): void {
    const e = this.flows.get(flow.key);
    if (e === undefined || (!Array.isArray(e) && sameFlowTuple(e, flow))) this.flows.set(flow.key, flow);
    else if (!Array.isArray(e)) this.flows.set(flow.key, [e, flow]);
    else {
      const i = e.findIndex((f) => sameFlowTuple(f, flow));
      if (i >= 0) e[i] = flow;
      else e.push(flow);
    }
  }

  /** Remove `flow` from the table if it is still the flow held for its 4-tuple. */
  private unlink(flow: Flow): void {
    const e = this.flows.get(flow.key);
    if (e === flow) this.flows.delete(flow.key);
    else if (Array.isArray(e)) {
      const i = e.indexOf(flow);
      if (i < 0) return;
      e.splice(i, 1);
      if (e.length === 1) this.flows.set(flow.key, e[0]);
    }
  }

  private createFlow(seg: Segment): Flow {
    const flags = seg.flags;
    let clientIsA: boolean;
    let roleFrom: StreamInfo['roleFrom'];
    if ((flags & (SYN | ACK)) === SYN) {
      clientIsA = true;
      roleFrom = 'handshake';
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      clientIsA = false;
      roleFrom = 'handshake';
    } else {
      const known = serverByKnownPort(seg.srcPort, seg.dstPort);
      const content = known === undefined ? serverByContent(seg.payload) : undefined;
      const range = known === undefined && content === undefined ? serverByPortRange(seg.srcPort, seg.dstPort) : undefined;
      const byPort = known ?? range;
      if (content !== undefined) {
        clientIsA = content === 'dst';
        roleFrom = 'content';
      } else if (byPort !== undefined) {
        clientIsA = byPort === 'dst';
        roleFrom = 'port';
      } else {
        clientIsA = true;
        roleFrom = 'first-packet';
      }
    }
    const a = { addr: seg.srcAddr, port: seg.srcPort };
    const b = { addr: seg.dstAddr, port: seg.dstPort };
    const info: StreamInfo = {
      id: this.nextId++,
      client: clientIsA ? a : b,
      server: clientIsA ? b : a,
      roleFrom,
      firstFrame: seg.frame,
      startTs: seg.ts,
    };
    const summary: StreamSummary = {
      info,
      packets: { c2s: 0, s2c: 0 },
      payloadBytes: { c2s: 0, s2c: 0 },
      deliveredBytes: { c2s: 0, s2c: 0 },
      frameBytes: { c2s: 0, s2c: 0 },
      gapBytes: { c2s: 0, s2c: 0 },
      lastTs: seg.ts,
      lastFrame: seg.frame,
      end: 'open',
      midStream: false,
      counts: {},
    };
    const key = portKey(seg.srcPort, seg.dstPort);
    const flow = new Flow(info.id, seg.srcAddr, seg.srcPort, seg.dstAddr, seg.dstPort, key, clientIsA, info, summary);
    this.link(flow);
    this.open.set(info.id, flow);
    this.sink.onStreamStart?.(info);
    return flow;
  }

  private event(flow: Flow, dir: Direction, kind: TcpEventKind, frame: number, ts: number, value?: number, detail?: string): void {
    const counts = flow.summary.counts;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (this.sink.onEvent === undefined) return;
    const ev: TcpEvent = { stream: flow.id, dir, kind, frame, ts };
    if (value !== undefined) ev.value = value;
    if (detail !== undefined) ev.detail = detail;
    this.sink.onEvent(ev);
  }

  private process(flow: Flow, dirIdx: 0 | 1, dir: Direction, seg: Segment): void {
    const flags = seg.flags;
    const ts = seg.ts;
    const frame = seg.frame;
    const h = flow.half[dirIdx];
    const peer = flow.half[dirIdx ^ 1];
    const peerDir: Direction = dir === 'c2s' ? 's2c' : 'c2s';

    if (ts - flow.lastTs > this.idleThreshold) {
      this.event(flow, dir, 'idle', frame, ts, ts - flow.lastTs, `no packet for ${(ts - flow.lastTs).toFixed(3)} s`);
    }
    flow.lastTs = ts;

    // Wireshark's base sequence numbers (tcp_analyze_sequence_number): port-reuse detection uses them.
    if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      // A SYN/ACK re-bases its direction (dissect_tcp, issue 16944).
      h.baseSeq = seg.seq;
      h.baseSet = true;
    } else if (!h.baseSet) {
      h.baseSeq = flags & SYN ? seg.seq : seqAdd(seg.seq, -1);
      h.baseSet = true;
    }
    if (!peer.baseSet && flags & ACK) {
      peer.baseSeq = seqAdd(seg.ack, -1);
      peer.baseSet = true;
    }

    // Handshake RTT, for the out-of-order / retransmission distinction.
    if (flags & SYN) {
      if ((flags & ACK) === 0 && flow.synTs < 0) flow.synTs = ts;
    } else if (flags & ACK && flow.synTs >= 0 && flow.firstRtt < 0) {
      flow.firstRtt = ts - flow.synTs;
    }

    if (flags & RST) {
      this.event(flow, dir, 'rst', frame, ts);
      flow.summary.endBy = dir;
      this.endFlow(flow, 'rst');
      return;
    }

    let seq = seg.seq;
    if (flags & SYN) {
      if (!h.synSeen) {
        h.synSeen = true;
        this.event(flow, dir, flags & ACK ? 'syn-ack' : 'syn', frame, ts);
        if (!h.started) {
          h.started = true;
          h.nextSeq = seqAdd(seq, 1);
          h.maxEnd = h.nextSeq;
          h.maxEndTs = ts;
          h.offset = 0;
        }
      } else {
        this.event(flow, dir, 'retransmission', frame, ts, 0, flags & ACK ? 'SYN/ACK' : 'SYN');
      }
      seq = seqAdd(seq, 1);
    } else if (!h.started) {
      h.started = true;
      h.nextSeq = seq;
      h.maxEnd = seq;
      h.maxEndTs = ts;
      flow.summary.midStream = true;
      this.event(flow, dir, 'gap', frame, ts, undefined, 'capture started mid-stream: earlier bytes of this direction were not captured');
    }

    // The peer's ACK tells which of our bytes it has received: a hole below it will never fill.
    if (flags & ACK && peer.started) {
      if (!peer.peerAckSet || seqDiff(seg.ack, peer.peerAck) > 0) {
        peer.peerAck = seg.ack;
        peer.peerAckSet = true;
        if (peer.ooo !== null && peer.ooo.size > 0) this.skipAckedHoles(flow, peer, peerDir);
      }
    }

    if (seg.window === 0 && (flags & (SYN | FIN | RST)) === 0) {
      if (h.window !== 0) this.event(flow, dir, 'zero-window', frame, ts, 0);
    }
    h.window = seg.window;

    const wireLen = seg.payloadLenOnWire;
    const fin = (flags & FIN) !== 0;

    // Keep-alive: 0 or 1 byte at next-seq - 1, no SYN/FIN/RST (packet-tcp.c, TCP_A_KEEP_ALIVE).
    if (wireLen <= 1 && (flags & (SYN | FIN)) === 0 && seq === seqAdd(h.maxEnd, -1)) {
      this.event(flow, dir, 'keep-alive', frame, ts, wireLen);
      return;
    }

    if (wireLen > 0) {
      const end = seqAdd(seq, wireLen);
      if (seqDiff(seq, h.maxEnd) < 0) {
        // Does not advance (packet-tcp.c: seq below nextseq): a retransmission, or, when it brings bytes
        // we have not delivered yet soon after the segment that advanced, an out-of-order arrival.
        const old = seqDiff(end, h.nextSeq) <= 0;
        const thres = flow.firstRtt > 0 ? flow.firstRtt : DEFAULT_OOO_THRESHOLD;
        const kind: TcpEventKind = !old && ts - h.maxEndTs < thres ? 'out-of-order' : 'retransmission';
        this.event(flow, dir, kind, frame, ts, wireLen);
      }
      h.hasData = true;
      if (seqDiff(end, h.maxEnd) > 0) {
        h.maxEnd = end;
        h.maxEndTs = ts;
      }
      const rel = seqDiff(seq, h.nextSeq);
      if (rel <= 0) {
        if (seqDiff(end, h.nextSeq) > 0) {
          this.deliver(flow, h, dir, seg.payload, wireLen, -rel, frame, ts);
          if (h.ooo !== null && h.ooo.size > 0) this.drain(flow, h, dir);
        }
      } else {
        this.buffer(flow, h, dir, seq, seg.payload, wireLen, frame, ts);
      }
    }

    if (fin) {
      const finEnd = seqAdd(seq, wireLen + 1);
      if (!h.finSeen) {
        h.finSeen = true;
        if (!peer.finSeen) flow.summary.endBy = dir;
        this.event(flow, dir, 'fin', frame, ts);
      } else if (wireLen === 0) {
        this.event(flow, dir, 'retransmission', frame, ts, 0, 'FIN');
      }
      if (seqDiff(finEnd, h.maxEnd) > 0) {
        h.maxEnd = finEnd;
        h.maxEndTs = ts;
      }
      if (peer.finSeen) this.endFlow(flow, 'fin');
    }
  }

  /**
   * A segment on the 4-tuple of an ended stream: not decoded, but counted as Wireshark's sequence
   * analysis would (a data/SYN/FIN segment below the highest sequence seen is a retransmission), so
   * the summary's counts stay equal to tshark's flags. No event: the sinks have closed the stream.
   */
  private late(flow: Flow, dirIdx: 0 | 1, seg: Segment): void {
    const flags = seg.flags;
    const len = seg.payloadLenOnWire;
    if (len === 0 && (flags & (SYN | FIN)) === 0) return;
    if (flags & RST) return;
    const max = dirIdx === 0 ? flow.endMax0 : flow.endMax1;
    const end = seqAdd(seg.seq, len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0));
    if (max !== -1 && seqDiff(seg.seq, max) < 0) {
      const counts = flow.summary.counts;
      counts.retransmission = (counts.retransmission ?? 0) + 1;
    }
    if (max === -1 || seqDiff(end, max) > 0) {
      if (dirIdx === 0) flow.endMax0 = end;
      else flow.endMax1 = end;
    }
  }

  /** Hand bytes [trim, wireLen) of a segment to the sink; bytes the snaplen cut off become a gap. */
  private deliver(flow: Flow, h: Half, dir: Direction, payload: Buffer, wireLen: number, trim: number, frame: number, ts: number): void {
    const captured = payload.length < wireLen ? payload.length : wireLen;
    if (captured > trim) {
      const n = captured - trim;
      if (this.sink.onData !== undefined) {
        // A view (see StreamData.data): sinks copy what they keep.
        const data = trim === 0 && captured === payload.length ? payload : payload.subarray(trim, captured);
        const chunk: StreamData = {
          stream: flow.id,
          dir,
          data,
          frames: [frame],
          ts,
          offset: h.offset,
        };
        this.sink.onData(chunk);
      }
      flow.summary.deliveredBytes[dir] += n;
    }
    const advance = wireLen - trim;
    h.nextSeq = seqAdd(h.nextSeq, advance);
    h.offset += advance;
    if (captured < wireLen) {
      const missing = wireLen - (captured > trim ? captured : trim);
      flow.summary.gapBytes[dir] += missing;
      this.event(flow, dir, 'gap', frame, ts, missing, 'bytes cut off by the capture snaplen');
    }
  }

  private buffer(flow: Flow, h: Half, dir: Direction, seq: number, payload: Buffer, wireLen: number, frame: number, ts: number): void {
    const cost = payload.length + PENDING_OVERHEAD;
    const held = h.ooo === null ? 0 : h.ooo.bytes;
    if (held + payload.length > this.maxBuffer || this.held + cost > this.maxTotal) {
      const total = held + payload.length <= this.maxBuffer;
      this.event(flow, dir, 'buffer-limit', frame, ts, held, total ? `more than ${this.maxTotal} bytes waiting for holes to fill in all streams together` : `more than ${this.maxBuffer} bytes waiting for a hole to fill`);
      while (h.ooo !== null && h.ooo.size > 0 && (h.ooo.bytes + payload.length > this.maxBuffer || this.held + cost > this.maxTotal)) {
        this.skipHole(flow, h, dir, 'hole given up: buffer limit reached');
      }
      // After skipping, this segment may now be in order (or old).
      const rel = seqDiff(seq, h.nextSeq);
      if (rel <= 0) {
        if (seqDiff(seqAdd(seq, wireLen), h.nextSeq) > 0) {
          this.deliver(flow, h, dir, payload, wireLen, -rel, frame, ts);
          if (h.ooo !== null && h.ooo.size > 0) this.drain(flow, h, dir);
        }
        return;
      }
      if (payload.length > this.maxBuffer || this.held + cost > this.maxTotal) {
        // Larger than the whole budget (or the other streams hold it all): jump to it.
        const missing = rel;
        flow.summary.gapBytes[dir] += missing;
        this.event(flow, dir, 'gap', frame, ts, missing, 'hole given up: buffer limit reached');
        h.nextSeq = seq;
        h.offset += missing;
        this.deliver(flow, h, dir, payload, wireLen, 0, frame, ts);
        if (h.ooo !== null && h.ooo.size > 0) this.drain(flow, h, dir);
        return;
      }
    }
    this.held += cost;
    if (h.ooo === null) h.ooo = new PendingQueue();
    // Keyed by stream offset: nextSeq and offset advance together, so seq - nextSeq is the distance.
    h.ooo.push(h.offset + seqDiff(seq, h.nextSeq), Buffer.from(payload), wireLen, frame, ts);
    if (h.peerAckSet && seqDiff(h.peerAck, h.nextSeq) > 0) this.skipAckedHoles(flow, h, dir);
  }

  /** Deliver buffered segments that have become contiguous. */
  private drain(flow: Flow, h: Half, dir: Direction): void {
    const q = h.ooo;
    if (q === null) return;
    for (let p = q.peek(); p !== undefined && p.off <= h.offset; p = q.peek()) {
      q.pop();
      this.held -= p.data.length + PENDING_OVERHEAD;
      const rel = p.off - h.offset;
      if (p.off + p.wireLen > h.offset) {
        this.deliver(flow, h, dir, p.data, p.wireLen, -rel, p.frame, p.ts);
      }
    }
  }

  /** Give up the hole before the first buffered segment: a gap event, then carry on after it. */
  private skipHole(flow: Flow, h: Half, dir: Direction, why: string): void {
    const first = h.ooo === null ? undefined : h.ooo.peek();
    if (first === undefined) return;
    const missing = first.off - h.offset;
    if (missing > 0) {
      flow.summary.gapBytes[dir] += missing;
      this.event(flow, dir, 'gap', first.frame, first.ts, missing, why);
      h.nextSeq = seqAdd(h.nextSeq, missing);
      h.offset += missing;
    }
    this.drain(flow, h, dir);
  }

  /** The peer acknowledged bytes beyond a hole we are waiting on: they were sent, the capture missed them. */
  private skipAckedHoles(flow: Flow, h: Half, dir: Direction): void {
    while (h.ooo !== null && h.ooo.size > 0 && seqDiff(h.peerAck, h.nextSeq) > 0) {
      this.skipHole(flow, h, dir, 'segment not captured (acknowledged by the peer)');
    }
  }

  private endFlow(flow: Flow, end: StreamEnd): void {
    if (flow.ended) return;
    flow.ended = true;
    const dirs: Direction[] = flow.clientIsA ? ['c2s', 's2c'] : ['s2c', 'c2s'];
    for (let i = 0; i < 2; i++) {
      const h = flow.half[i];
      while (h.ooo !== null && h.ooo.size > 0) this.skipHole(flow, h, dirs[i], 'stream ended with a hole');
    }
    flow.endBase0 = flow.half[0].baseSet ? flow.half[0].baseSeq : -1;
    flow.endBase1 = flow.half[1].baseSet ? flow.half[1].baseSeq : -1;
    flow.endMax0 = flow.half[0].started ? flow.half[0].maxEnd : -1;
    flow.endMax1 = flow.half[1].started ? flow.half[1].maxEnd : -1;
    flow.half = ENDED;
    flow.summary.end = end;
    this.open.delete(flow.id);
    this.sink.onStreamEnd?.(flow.summary);
    if (!this.finished) this.remember(flow);
  }

  /** Keep a finished flow on its 4-tuple for late packets, within the tombstone budget. */
  private remember(flow: Flow): void {
    this.closed.push(flow);
    if (this.closed.length - this.closedHead > this.maxClosed) {
      const old = this.closed[this.closedHead];
      this.closedHead++;
      this.unlink(old);
      if (this.last === old) this.last = undefined;
    }
    if (this.closedHead > 4096 && this.closedHead * 2 > this.closed.length) {
      this.closed = this.closed.slice(this.closedHead);
      this.closedHead = 0;
    }
  }
}

/** One sink that forwards to several, in order. */
export function fanOut(sinks: readonly TcpSink[]): TcpSink {
  const starts = sinks.filter((s) => s.onStreamStart !== undefined);
  const datas = sinks.filter((s) => s.onData !== undefined);
  const events = sinks.filter((s) => s.onEvent !== undefined);
  const ends = sinks.filter((s) => s.onStreamEnd !== undefined);
  const out: TcpSink = {};
  if (starts.length > 0)
    out.onStreamStart = (info) => {
      for (const s of starts) s.onStreamStart?.(info);
    };
  if (datas.length === 1) {
    // The usual case (one analyzer takes data): no loop per chunk.
    const only = datas[0];
    out.onData = (chunk) => only.onData?.(chunk);
  } else if (datas.length > 0)
    out.onData = (chunk) => {
      for (const s of datas) s.onData?.(chunk);
    };
  if (events.length > 0)
    out.onEvent = (ev) => {
      for (const s of events) s.onEvent?.(ev);
    };
  if (ends.length > 0)
    out.onStreamEnd = (sum) => {
      for (const s of ends) s.onStreamEnd?.(sum);
    };
  return out;
}
