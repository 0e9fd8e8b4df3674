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
import { ParkedFlows } from './parked.js';
import {
  FlowSlots,
  F_CLIENT_IS_A,
  F_ENDBY_S2C,
  F_ENDBY_SET,
  F_ENDED,
  F_LINKED,
  F_MIDSTREAM,
  F_USED,
  H_BASE_SET,
  H_FIN_SEEN,
  H_HAS_DATA,
  H_OOO,
  H_PEER_ACK_SET,
  H_STARTED,
  H_SYN_SEEN,
  KINDS,
  KIND_COUNT,
  KIND_INDEX,
  ROLE_FROM,
  ROLE_SHIFT,
} from './slots.js';

/** TcpFlowTable.finish: how many flows ended between two calls of its `onEnding`. */
const FINISH_EVERY = 32768;

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
  /**
   * Flows open at once (default 250,000). Past it the flow idle the longest is closed early (its
   * summary ends 'timeout') and parked: its 4-tuple and stream id stay known, so stream numbers stay
   * Wireshark's, but later packets on it are no longer decoded (evictedFlows / parkedPackets say how
   * many). Bounds memory on captures of millions of connections that never close (SYN floods, scans).
   */
  maxOpenFlows?: number;
}

const SYN = TcpFlags.SYN;
const ACK = TcpFlags.ACK;
const FIN = TcpFlags.FIN;
const RST = TcpFlags.RST;

/** What one buffered segment costs besides its bytes (its record, the Buffer object, the heap slot). */
const PENDING_OVERHEAD = 160;

/** Wireshark's out-of-order threshold when the handshake RTT is unknown (packet-tcp.c, tcp_analyze_sequence_number: 3 ms). */
const DEFAULT_OOO_THRESHOLD = 0.003;

const K_RETRANSMISSION = KIND_INDEX.retransmission;

/**
 * The table's hash for a 4-tuple, the same for both directions (the sum of one mix per endpoint):
 * the addresses' numeric keys (net/ Segment.srcKey) and the ports, no string hashed and no heap
 * number made per packet. Flows that hash alike share a chain and are told apart by their exact
 * ports and addresses. The ports alone were not enough: many clients on one server port reuse the
 * same ephemeral ports (web servers of a pool, each from its own address, all with ports in the
 * same range), and each port pair then made one chain of all of them: 80 % of the TCP layer's
 * time on a 2 GB capture of pooled connections went into walking such chains (issue 14).
 */
function tupleHash(aKey: number, aPort: number, bKey: number, bPort: number): number {
  return (endpointMix(aKey, aPort) + endpointMix(bKey, bPort)) | 0;
}

function endpointMix(key: number, port: number): number {
  const h = Math.imul(key ^ Math.imul(port + 1, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 13);
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
 *
 * State: one slot per flow in FlowSlots (typed arrays), found through an open-addressed array of
 * chain heads; out-of-order segments in a PendingQueue per direction, created only when one arrives.
 * A flow's StreamSummary object is built when it ends (the counters live in the slot until then).
 */
export class TcpFlowTable {
  private readonly sink: TcpSink;
  private readonly maxBuffer: number;
  private readonly maxTotal: number;
  private readonly idleThreshold: number;
  private readonly maxClosed: number;
  readonly maxOpenFlows: number;
  private readonly parked = new ParkedFlows();
  private readonly parkedDir = new Int32Array(1);
  private evicted = 0;
  private parkedPkts = 0;
  /** Open flows, most recently active first (LRU list through the slots). */
  private lruHead = -1;
  private lruTail = -1;
  /** Out-of-order bytes (plus PENDING_OVERHEAD per segment) held by all flows. */
  private held = 0;
  private s = new FlowSlots();
  /** Chain heads by hash (power-of-two size, at least twice the slots). */
  private heads = new Int32Array(512).fill(-1);
  private shift = 32 - 9;
  /** Out-of-order queues by half index (f * 2 + d): only directions that ever held one. */
  private readonly ooo = new Map<number, PendingQueue>();
  private openFlows = 0;
  /** Ring of ended flows kept as tombstones, oldest first. */
  private readonly closed: Int32Array;
  private closedHead = 0;
  private closedCount = 0;
  private nextId = 0;
  /** The flow of the previous packet, or -1. Always a linked flow (reset when it is unlinked). */
  private last = -1;
  private finished = false;
  /** The last summary no sink kept (TcpSink.onStreamEnd returned no true): refilled for the next (refill()). */
  private spare: StreamSummary | null = null;
  /** The one StreamData handed to the sink for every chunk, refilled each time (see StreamData.bytes). */
  private readonly chunk = new ChunkOut();
  /**
   * The one TcpEvent handed to the sink for every event, refilled each time: ~3.5 events per stream
   * (SYN, SYN/ACK, FINs), each an object that mostly died at once (issue 14). `value` and `detail`
   * are always present, undefined when the event has none.
   */
  private readonly ev: TcpEvent = { stream: 0, dir: 'c2s', kind: 'syn', frame: 0, ts: 0, value: undefined, detail: undefined };

  constructor(sink: TcpSink, opts: TcpFlowTableOptions = {}) {
    this.sink = sink;
    this.maxBuffer = opts.maxBufferPerFlow ?? 4 * 1024 * 1024;
    this.maxTotal = opts.maxBufferTotal ?? 64 * 1024 * 1024;
    this.idleThreshold = opts.idleThreshold ?? 30;
    this.maxClosed = Math.max(0, opts.maxClosedFlows ?? 8192);
    this.closed = new Int32Array(Math.max(1, this.maxClosed));
    this.maxOpenFlows = Math.max(1, opts.maxOpenFlows ?? 250000);
  }

  /** Flows the table holds state for: the open ones and the tombstones of finished ones. */
  get heldFlows(): number {
    return this.s.used;
  }

  /** Flows closed early because more than maxOpenFlows were open at once. */
  get evictedFlows(): number {
    return this.evicted;
  }

  /** Packets that arrived on such flows afterwards (kept in their stream's numbering, not decoded). */
  get parkedPackets(): number {
    return this.parkedPkts;
  }

  /** Streams seen so far (the next id). */
  get streamCount(): number {
    return this.nextId;
  }

  /** Streams not yet ended. */
  get openCount(): number {
    return this.openFlows;
  }

  /**
   * Process one segment. `frameLen` is the packet's length on the wire (frame.len), counted into the
   * summary's frameBytes.
   */
  push(seg: Segment, frameLen = 0): void {
    const flags = seg.flags;
    const s = this.s;
    let f = this.last;
    // Consecutive packets usually belong to the same flow: compare before hashing.
    if (f < 0 || !this.sameTuple(f, seg)) f = this.lookup(seg);
    if (f >= 0 && (flags & (SYN | ACK)) === SYN) {
      const d = seg.srcPort === s.aPort[f] && seg.srcAddr === s.aAddr[f] ? 0 : 1;
      const hi = f * 2 + d;
      if (s.hflags[hi] & H_BASE_SET && s.baseSeq[hi] !== seg.seq) {
        // Port reuse: a new connection on this 4-tuple.
        if ((s.flags[f] & F_ENDED) === 0) this.endFlow(f, 'open');
        this.unlink(f);
        f = -1;
      }
    }
    if (f < 0 && this.parked.count > 0 && this.onParked(seg)) return;
    if (f < 0) f = this.createFlow(seg);
    this.last = f;
    const dirIdx: 0 | 1 = seg.srcPort === s.aPort[f] && seg.srcAddr === s.aAddr[f] ? 0 : 1;
    const fl = s.flags[f];
    const c2s = (dirIdx === 0) === ((fl & F_CLIENT_IS_A) !== 0);
    if (fl & F_ENDED) {
      // Counted into the summary already handed out, when a sink keeps it (see TcpSink.onStreamEnd).
      const sum = s.summary[f];
      if (sum === undefined) {
        // Nobody holds the figures: only the sequence state that tells a retransmission is kept.
      } else if (c2s) {
        sum.packets.c2s++;
        sum.payloadBytes.c2s += seg.payloadLenOnWire;
        sum.frameBytes.c2s += frameLen;
      } else {
        sum.packets.s2c++;
        sum.payloadBytes.s2c += seg.payloadLenOnWire;
        sum.frameBytes.s2c += frameLen;
      }
      if (sum !== undefined) {
        sum.lastTs = seg.ts;
        sum.lastFrame = seg.frame;
      }
      this.late(f, dirIdx, seg, sum);
      return;
    }
    if (this.lruHead !== f) this.touch(f);
    const si = f * 2 + (c2s ? 0 : 1);
    s.packets[si]++;
    s.payloadBytes[si] += seg.payloadLenOnWire;
    s.frameBytes[si] += frameLen;
    s.sumLastTs[f] = seg.ts;
    s.sumLastFrame[f] = seg.frame;
    this.process(f, dirIdx, c2s ? 'c2s' : 's2c', seg);
  }

  /** End of capture: flush every open stream (holes become gaps) and report it with end 'open'. */
  /**
   * The end of the capture: every flow still open is ended (`end: 'open'`), in stream order.
   * `onEnding(ended, open)` is called after every `every` of them and after the last: a capture of
   * pooled connections ends tens of thousands at once here, and the caller may want a say in
   * between (the CLI lets go of their state: cli/analysis.ts).
   */
  finish(onEnding?: (ended: number, open: number) => void, every = FINISH_EVERY): void {
    if (this.finished) return;
    this.finished = true;
    const s = this.s;
    const open: number[] = [];
    for (let f = 0; f < s.end; f++) if ((s.flags[f] & (F_USED | F_ENDED)) === F_USED) open.push(f);
    // In stream order, as they were opened (slots are reused, so slot order is not id order).
    open.sort((a, b) => s.id[a] - s.id[b]);
    for (let i = 0; i < open.length; i++) {
      this.endFlow(open[i]!, 'open');
      if (onEnding !== undefined && ((i + 1) % every === 0 || i + 1 === open.length)) onEnding(i + 1, open.length);
    }
    this.last = -1;
    // Nothing reads a slot after the end: the columns (tens of MB for a production capture's open
    // connections) are let go now, not when whatever still holds this table is collected.
    this.s = new FlowSlots();
    this.heads = new Int32Array(512).fill(-1);
    this.shift = 32 - 9;
    this.closedHead = 0;
    this.closedCount = 0;
    this.lruHead = -1;
    this.lruTail = -1;
  }

  /** A packet on a parked flow's 4-tuple: true when it stays there (false: a new connection, port reuse). */
  private onParked(seg: Segment): boolean {
    const p = this.parked.find(seg.srcAddr, seg.srcPort, seg.dstAddr, seg.dstPort, tupleHash(seg.srcKey, seg.srcPort, seg.dstKey, seg.dstPort), this.parkedDir);
    if (p < 0) return false;
    if ((seg.flags & (SYN | ACK)) === SYN) {
      const base = this.parked.baseSeq(p, this.parkedDir[0]);
      if (base !== -1 && base !== seg.seq) {
        this.parked.remove(p);
        return false;
      }
    }
    this.parkedPkts++;
    return true;
  }

  /** Move an open flow to the front of the LRU list (it just had a packet). */
  private touch(f: number): void {
    const s = this.s;
    const prev = s.lruPrev[f];
    const next = s.lruNext[f];
    // Unhook (f is in the list: it is open and not the head).
    if (prev >= 0) s.lruNext[prev] = next;
    if (next >= 0) s.lruPrev[next] = prev;
    else this.lruTail = prev;
    s.lruPrev[f] = -1;
    s.lruNext[f] = this.lruHead;
    s.lruPrev[this.lruHead] = f;
    this.lruHead = f;
  }

  private lruRemove(f: number): void {
    const s = this.s;
    const prev = s.lruPrev[f];
    const next = s.lruNext[f];
    if (prev >= 0) s.lruNext[prev] = next;
    else this.lruHead = next;
    if (next >= 0) s.lruPrev[next] = prev;
    else this.lruTail = prev;
    s.lruPrev[f] = -1;
    s.lruNext[f] = -1;
  }

  /** Too many flows open: close the one idle the longest, keep only its numbering (ParkedFlows). */
  private evictOldest(): void {
    const f = this.lruTail;
    if (f < 0) return;
    const s = this.s;
    this.evicted++;
    this.endFlow(f, 'timeout', true);
    this.parked.add(s.aAddr[f], s.aPort[f], s.bAddr[f], s.bPort[f], s.hash[f], s.id[f], s.hflags[f * 2] & H_BASE_SET ? s.baseSeq[f * 2] : -1, s.hflags[f * 2 + 1] & H_BASE_SET ? s.baseSeq[f * 2 + 1] : -1);
    this.unlink(f);
    s.release(f);
  }

  private sameTuple(f: number, seg: Segment): boolean {
    const s = this.s;
    const ap = s.aPort[f];
    const bp = s.bPort[f];
    return (
      (seg.srcPort === ap && seg.dstPort === bp && seg.srcAddr === s.aAddr[f] && seg.dstAddr === s.bAddr[f]) ||
      (seg.srcPort === bp && seg.dstPort === ap && seg.srcAddr === s.bAddr[f] && seg.dstAddr === s.aAddr[f])
    );
  }

  /** The chain of a tupleHash: its top bits after one more multiply (heads has 2^(32 - shift) entries). */
  private bucket(hash: number): number {
    return Math.imul(hash, 0x2c1b3c6d) >>> this.shift;
  }

  /** The flow the table holds for the segment's 4-tuple, or -1. */
  private lookup(seg: Segment): number {
    const next = this.s.next;
    const b = this.bucket(tupleHash(seg.srcKey, seg.srcPort, seg.dstKey, seg.dstPort));
    for (let f = this.heads[b]; f >= 0; f = next[f]) {
      if (this.sameTuple(f, seg)) return f;
    }
    return -1;
  }

  /** Make `f` the table's flow for its 4-tuple (the caller has unlinked any other). */
  private link(f: number): void {
    const s = this.s;
    if (s.cap * 2 > this.heads.length) this.rehash(s.cap * 2);
    const b = this.bucket(s.hash[f]);
    s.next[f] = this.heads[b];
    this.heads[b] = f;
    s.flags[f] |= F_LINKED;
  }

  private rehash(size: number): void {
    const s = this.s;
    this.heads = new Int32Array(size).fill(-1);
    this.shift = 32 - Math.log2(size);
    for (let f = 0; f < s.end; f++) {
      if (s.flags[f] & F_LINKED) {
        const b = this.bucket(s.hash[f]);
        s.next[f] = this.heads[b];
        this.heads[b] = f;
      }
    }
  }

  /** Remove `f` from the table's chains (if it is there). */
  private unlink(f: number): void {
    const s = this.s;
    if ((s.flags[f] & F_LINKED) === 0) return;
    s.flags[f] &= ~F_LINKED;
    if (this.last === f) this.last = -1;
    const b = this.bucket(s.hash[f]);
    const next = s.next;
    if (this.heads[b] === f) this.heads[b] = next[f];
    else {
      let p = this.heads[b];
      while (p >= 0 && next[p] !== f) p = next[p];
      if (p >= 0) next[p] = next[f];
    }
    next[f] = -1;
  }

  private createFlow(seg: Segment): number {
    const flags = seg.flags;
    let clientIsA: boolean;
    let role: number;
    if ((flags & (SYN | ACK)) === SYN) {
      clientIsA = true;
      role = 0;
    } else if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      clientIsA = false;
      role = 0;
    } else {
      const known = serverByKnownPort(seg.srcPort, seg.dstPort);
      const content = known === undefined ? serverByContent(seg.payload) : undefined;
      const range = known === undefined && content === undefined ? serverByPortRange(seg.srcPort, seg.dstPort) : undefined;
      const byPort = known ?? range;
      if (content !== undefined) {
        clientIsA = content === 'dst';
        role = 2;
      } else if (byPort !== undefined) {
        clientIsA = byPort === 'dst';
        role = 1;
      } else {
        clientIsA = true;
        role = 3;
      }
    }
    if (this.openFlows >= this.maxOpenFlows) this.evictOldest();
    const s = this.s;
    const f = s.alloc();
    s.aAddr[f] = seg.srcAddr;
    s.bAddr[f] = seg.dstAddr;
    s.aPort[f] = seg.srcPort;
    s.bPort[f] = seg.dstPort;
    s.hash[f] = tupleHash(seg.srcKey, seg.srcPort, seg.dstKey, seg.dstPort);
    s.id[f] = this.nextId++;
    s.flags[f] = F_USED | (clientIsA ? F_CLIENT_IS_A : 0) | (role << ROLE_SHIFT);
    s.lastTs[f] = seg.ts;
    s.startTs[f] = seg.ts;
    s.firstFrame[f] = seg.frame;
    s.sumLastTs[f] = seg.ts;
    s.sumLastFrame[f] = seg.frame;
    this.link(f);
    this.openFlows++;
    s.lruPrev[f] = -1;
    s.lruNext[f] = this.lruHead;
    if (this.lruHead >= 0) s.lruPrev[this.lruHead] = f;
    else this.lruTail = f;
    this.lruHead = f;
    // The sinks keep what they need of it; the summary gets its own copy at the end.
    if (this.sink.onStreamStart !== undefined) this.sink.onStreamStart(this.info(f));
    return f;
  }

  private info(f: number): StreamInfo {
    const s = this.s;
    const a = { addr: s.aAddr[f], port: s.aPort[f] };
    const b = { addr: s.bAddr[f], port: s.bPort[f] };
    const clientIsA = (s.flags[f] & F_CLIENT_IS_A) !== 0;
    return {
      id: s.id[f],
      client: clientIsA ? a : b,
      server: clientIsA ? b : a,
      roleFrom: ROLE_FROM[(s.flags[f] >> ROLE_SHIFT) & 3],
      firstFrame: s.firstFrame[f],
      startTs: s.startTs[f],
    };
  }

  private count(f: number, kind: number): void {
    const s = this.s;
    if (s.counts[f * KIND_COUNT + kind]++ === 0) s.kindOrder[f] = s.kindOrder[f] * 16 + kind + 1;
  }

  private event(f: number, dir: Direction, kind: TcpEventKind, frame: number, ts: number, value?: number, detail?: string): void {
    this.count(f, KIND_INDEX[kind]);
    if (this.sink.onEvent === undefined) return;
    // The table's one TcpEvent, refilled (see TcpSink.onEvent: a sink that keeps one copies it).
    const ev = this.ev;
    ev.stream = this.s.id[f];
    ev.dir = dir;
    ev.kind = kind;
    ev.frame = frame;
    ev.ts = ts;
    ev.value = value;
    ev.detail = detail;
    this.sink.onEvent(ev);
  }

  private setEndBy(f: number, dir: Direction): void {
    this.s.flags[f] = (this.s.flags[f] & ~F_ENDBY_S2C) | F_ENDBY_SET | (dir === 's2c' ? F_ENDBY_S2C : 0);
  }

  private process(f: number, dirIdx: 0 | 1, dir: Direction, seg: Segment): void {
    const s = this.s;
    const flags = seg.flags;
    const ts = seg.ts;
    const frame = seg.frame;
    const hi = f * 2 + dirIdx;
    const pi = f * 2 + (dirIdx ^ 1);
    const hf = s.hflags;
    const peerDir: Direction = dir === 'c2s' ? 's2c' : 'c2s';

    const idle = ts - s.lastTs[f];
    if (idle > this.idleThreshold) {
      this.event(f, dir, 'idle', frame, ts, idle, `no packet for ${idle.toFixed(3)} s`);
    }
    s.lastTs[f] = ts;

    // Wireshark's base sequence numbers (tcp_analyze_sequence_number): port-reuse detection uses them.
    if ((flags & (SYN | ACK)) === (SYN | ACK)) {
      // A SYN/ACK re-bases its direction (dissect_tcp, issue 16944).
      s.baseSeq[hi] = seg.seq;
      hf[hi] |= H_BASE_SET;
    } else if ((hf[hi] & H_BASE_SET) === 0) {
      s.baseSeq[hi] = flags & SYN ? seg.seq : seqAdd(seg.seq, -1);
      hf[hi] |= H_BASE_SET;
    }
    if ((hf[pi] & H_BASE_SET) === 0 && flags & ACK) {
      s.baseSeq[pi] = seqAdd(seg.ack, -1);
      hf[pi] |= H_BASE_SET;
    }

    // Handshake RTT, for the out-of-order / retransmission distinction.
    if (flags & SYN) {
      if ((flags & ACK) === 0 && s.synTs[f] < 0) s.synTs[f] = ts;
    } else if (flags & ACK && s.synTs[f] >= 0 && s.firstRtt[f] < 0) {
      s.firstRtt[f] = ts - s.synTs[f];
    }

    if (flags & RST) {
      this.event(f, dir, 'rst', frame, ts);
      this.setEndBy(f, dir);
      this.endFlow(f, 'rst');
      return;
    }

    let seq = seg.seq;
    if (flags & SYN) {
      if ((hf[hi] & H_SYN_SEEN) === 0) {
        hf[hi] |= H_SYN_SEEN;
        this.event(f, dir, flags & ACK ? 'syn-ack' : 'syn', frame, ts);
        if ((hf[hi] & H_STARTED) === 0) {
          hf[hi] |= H_STARTED;
          s.nextSeq[hi] = seqAdd(seq, 1);
          s.maxEnd[hi] = s.nextSeq[hi];
          s.maxEndTs[hi] = ts;
          s.offset[hi] = 0;
        }
      } else {
        this.event(f, dir, 'retransmission', frame, ts, 0, flags & ACK ? 'SYN/ACK' : 'SYN');
      }
      seq = seqAdd(seq, 1);
    } else if ((hf[hi] & H_STARTED) === 0) {
      hf[hi] |= H_STARTED;
      s.nextSeq[hi] = seq;
      s.maxEnd[hi] = seq;
      s.maxEndTs[hi] = ts;
      s.flags[f] |= F_MIDSTREAM;
      this.event(f, dir, 'gap', frame, ts, undefined, 'capture started mid-stream: earlier bytes of this direction were not captured');
    }

    // The peer's ACK tells which of our bytes it has received: a hole below it will never fill.
    if (flags & ACK && hf[pi] & H_STARTED) {
      if ((hf[pi] & H_PEER_ACK_SET) === 0 || seqDiff(seg.ack, s.peerAck[pi]) > 0) {
        s.peerAck[pi] = seg.ack;
        hf[pi] |= H_PEER_ACK_SET;
        if (hf[pi] & H_OOO) this.skipAckedHoles(f, pi, peerDir);
      }
    }

    if (seg.window === 0 && (flags & (SYN | FIN | RST)) === 0) {
      if (s.window[hi] !== 0) this.event(f, dir, 'zero-window', frame, ts, 0);
    }
    s.window[hi] = seg.window;

    const wireLen = seg.payloadLenOnWire;
    const fin = (flags & FIN) !== 0;

    // Keep-alive: 0 or 1 byte at next-seq - 1, no SYN/FIN/RST (packet-tcp.c, TCP_A_KEEP_ALIVE).
    if (wireLen <= 1 && (flags & (SYN | FIN)) === 0 && seq === seqAdd(s.maxEnd[hi], -1)) {
      this.event(f, dir, 'keep-alive', frame, ts, wireLen);
      return;
    }

    if (wireLen > 0) {
      const end = seqAdd(seq, wireLen);
      if (seqDiff(seq, s.maxEnd[hi]) < 0) {
        // Does not advance (packet-tcp.c: seq below nextseq): a retransmission, or, when it brings bytes
        // we have not delivered yet soon after the segment that advanced, an out-of-order arrival.
        const old = seqDiff(end, s.nextSeq[hi]) <= 0;
        const thres = s.firstRtt[f] > 0 ? s.firstRtt[f] : DEFAULT_OOO_THRESHOLD;
        const kind: TcpEventKind = !old && ts - s.maxEndTs[hi] < thres ? 'out-of-order' : 'retransmission';
        this.event(f, dir, kind, frame, ts, wireLen);
      }
      hf[hi] |= H_HAS_DATA;
      if (seqDiff(end, s.maxEnd[hi]) > 0) {
        s.maxEnd[hi] = end;
        s.maxEndTs[hi] = ts;
      }
      // The captured payload: in place (net/ Segment.bytes) when the segment gives it so.
      const whole = seg.bytes;
      const pb = whole !== undefined ? whole : seg.payload;
      const ps = whole !== undefined ? (seg.payloadStart as number) : 0;
      const pn = whole !== undefined ? (seg.payloadEnd as number) - ps : pb.length;
      const rel = seqDiff(seq, s.nextSeq[hi]);
      if (rel <= 0) {
        if (seqDiff(end, s.nextSeq[hi]) > 0) {
          this.deliver(f, hi, dir, pb, ps, pn, wireLen, -rel, frame, ts);
          this.drain(f, hi, dir);
        }
      } else {
        this.buffer(f, hi, dir, seq, pb, ps, pn, wireLen, frame, ts);
      }
    }

    if (fin) {
      const finEnd = seqAdd(seq, wireLen + 1);
      if ((hf[hi] & H_FIN_SEEN) === 0) {
        hf[hi] |= H_FIN_SEEN;
        if ((hf[pi] & H_FIN_SEEN) === 0) this.setEndBy(f, dir);
        this.event(f, dir, 'fin', frame, ts);
      } else if (wireLen === 0) {
        this.event(f, dir, 'retransmission', frame, ts, 0, 'FIN');
      }
      if (seqDiff(finEnd, s.maxEnd[hi]) > 0) {
        s.maxEnd[hi] = finEnd;
        s.maxEndTs[hi] = ts;
      }
      if (hf[pi] & H_FIN_SEEN) this.endFlow(f, 'fin');
    }
  }

  /**
   * A segment on the 4-tuple of an ended stream: not decoded, but counted as Wireshark's sequence
   * analysis would (a data/SYN/FIN segment below the highest sequence seen is a retransmission), so
   * the summary's counts stay equal to tshark's flags. No event: the sinks have closed the stream.
   */
  private late(f: number, dirIdx: 0 | 1, seg: Segment, sum: StreamSummary | undefined): void {
    const flags = seg.flags;
    const len = seg.payloadLenOnWire;
    if (len === 0 && (flags & (SYN | FIN)) === 0) return;
    if (flags & RST) return;
    const s = this.s;
    const hi = f * 2 + dirIdx;
    const started = (s.hflags[hi] & H_STARTED) !== 0;
    const end = seqAdd(seg.seq, len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0));
    if (started && sum !== undefined && seqDiff(seg.seq, s.maxEnd[hi]) < 0) {
      const counts = sum.counts;
      counts.retransmission = (counts.retransmission ?? 0) + 1;
    }
    if (!started || seqDiff(end, s.maxEnd[hi]) > 0) {
      s.hflags[hi] |= H_STARTED;
      s.maxEnd[hi] = end;
    }
  }

  /**
   * Hand bytes [trim, wireLen) of a segment to the sink (its captured bytes are pb[ps, ps + pn));
   * bytes the snaplen cut off become a gap.
   */
  private deliver(f: number, hi: number, dir: Direction, pb: Buffer, ps: number, pn: number, wireLen: number, trim: number, frame: number, ts: number): void {
    const s = this.s;
    const captured = pn < wireLen ? pn : wireLen;
    const si = f * 2 + (dir === 'c2s' ? 0 : 1);
    if (captured > trim) {
      const n = captured - trim;
      if (this.sink.onData !== undefined) {
        // In place (see StreamData.bytes): sinks copy what they keep. The frames array is the
        // chunk's own (decoded messages keep it), made when a sink reads it (ChunkOut.frames).
        const chunk = this.chunk;
        chunk.fill(s.id[f], dir, pb, ps + trim, ps + captured, frame, ts, s.offset[hi]);
        this.sink.onData(chunk);
        chunk.clear();
      }
      s.deliveredBytes[si] += n;
    }
    const advance = wireLen - trim;
    s.nextSeq[hi] = seqAdd(s.nextSeq[hi], advance);
    s.offset[hi] += advance;
    if (captured < wireLen) {
      const missing = wireLen - (captured > trim ? captured : trim);
      s.gapBytes[si] += missing;
      this.event(f, dir, 'gap', frame, ts, missing, 'bytes cut off by the capture snaplen');
    }
  }

  /** Keep an out-of-order segment (its captured bytes are pb[ps, ps + pn)) until the hole before it fills. */
  private buffer(f: number, hi: number, dir: Direction, seq: number, pb: Buffer, ps: number, pn: number, wireLen: number, frame: number, ts: number): void {
    const s = this.s;
    const cost = pn + PENDING_OVERHEAD;
    let q = this.ooo.get(hi);
    const held = q === undefined ? 0 : q.bytes;
    if (held + pn > this.maxBuffer || this.held + cost > this.maxTotal) {
      const total = held + pn <= this.maxBuffer;
      this.event(f, dir, 'buffer-limit', frame, ts, held, total ? `more than ${this.maxTotal} bytes waiting for holes to fill in all streams together` : `more than ${this.maxBuffer} bytes waiting for a hole to fill`);
      while (q !== undefined && q.size > 0 && (q.bytes + pn > this.maxBuffer || this.held + cost > this.maxTotal)) {
        this.skipHole(f, hi, dir, 'hole given up: buffer limit reached');
        q = this.ooo.get(hi);
      }
      // After skipping, this segment may now be in order (or old).
      const rel = seqDiff(seq, s.nextSeq[hi]);
      if (rel <= 0) {
        if (seqDiff(seqAdd(seq, wireLen), s.nextSeq[hi]) > 0) {
          this.deliver(f, hi, dir, pb, ps, pn, wireLen, -rel, frame, ts);
          this.drain(f, hi, dir);
        }
        return;
      }
      if (pn > this.maxBuffer || this.held + cost > this.maxTotal) {
        // Larger than the whole budget (or the other streams hold it all): jump to it.
        const missing = rel;
        s.gapBytes[f * 2 + (dir === 'c2s' ? 0 : 1)] += missing;
        this.event(f, dir, 'gap', frame, ts, missing, 'hole given up: buffer limit reached');
        s.nextSeq[hi] = seq;
        s.offset[hi] += missing;
        this.deliver(f, hi, dir, pb, ps, pn, wireLen, 0, frame, ts);
        this.drain(f, hi, dir);
        return;
      }
    }
    if (q === undefined) {
      q = new PendingQueue();
      this.ooo.set(hi, q);
      s.hflags[hi] |= H_OOO;
    }
    this.held += cost;
    // Keyed by stream offset: nextSeq and offset advance together, so seq - nextSeq is the distance.
    // A copy: the bytes lie in the reader's buffer, reused for later reads.
    const copy = Buffer.allocUnsafe(pn);
    pb.copy(copy, 0, ps, ps + pn);
    q.push(s.offset[hi] + seqDiff(seq, s.nextSeq[hi]), copy, wireLen, frame, ts);
    if (s.hflags[hi] & H_PEER_ACK_SET && seqDiff(s.peerAck[hi], s.nextSeq[hi]) > 0) this.skipAckedHoles(f, hi, dir);
  }

  /** Deliver buffered segments that have become contiguous; drop the queue once empty. */
  private drain(f: number, hi: number, dir: Direction): void {
    const s = this.s;
    if ((s.hflags[hi] & H_OOO) === 0) return;
    const q = this.ooo.get(hi) as PendingQueue;
    for (let p = q.peek(); p !== undefined && p.off <= s.offset[hi]; p = q.peek()) {
      q.pop();
      this.held -= p.data.length + PENDING_OVERHEAD;
      const rel = p.off - s.offset[hi];
      if (p.off + p.wireLen > s.offset[hi]) {
        this.deliver(f, hi, dir, p.data, 0, p.data.length, p.wireLen, -rel, p.frame, p.ts);
      }
    }
    if (q.size === 0) {
      this.ooo.delete(hi);
      s.hflags[hi] &= ~H_OOO;
    }
  }

  /** Give up the hole before the first buffered segment: a gap event, then carry on after it. */
  private skipHole(f: number, hi: number, dir: Direction, why: string): void {
    const first = this.ooo.get(hi)?.peek();
    if (first === undefined) return;
    const s = this.s;
    const missing = first.off - s.offset[hi];
    if (missing > 0) {
      s.gapBytes[f * 2 + (dir === 'c2s' ? 0 : 1)] += missing;
      this.event(f, dir, 'gap', first.frame, first.ts, missing, why);
      s.nextSeq[hi] = seqAdd(s.nextSeq[hi], missing);
      s.offset[hi] += missing;
    }
    this.drain(f, hi, dir);
  }

  /** The peer acknowledged bytes beyond a hole we are waiting on: they were sent, the capture missed them. */
  private skipAckedHoles(f: number, hi: number, dir: Direction): void {
    const s = this.s;
    while (s.hflags[hi] & H_OOO && seqDiff(s.peerAck[hi], s.nextSeq[hi]) > 0) {
      this.skipHole(f, hi, dir, 'segment not captured (acknowledged by the peer)');
    }
  }

  /** End a flow: holes become gaps, the sinks get its summary; it stays as a tombstone unless `parking`. */
  private endFlow(f: number, end: StreamEnd, parking = false): void {
    const s = this.s;
    if (s.flags[f] & F_ENDED) return;
    const clientIsA = (s.flags[f] & F_CLIENT_IS_A) !== 0;
    for (let d = 0; d < 2; d++) {
      const hi = f * 2 + d;
      const dir: Direction = (d === 0) === clientIsA ? 'c2s' : 's2c';
      while (s.hflags[hi] & H_OOO) this.skipHole(f, hi, dir, 'stream ended with a hole');
    }
    s.flags[f] |= F_ENDED;
    this.openFlows--;
    this.lruRemove(f);
    const summary = this.summaryOf(f, end);
    // Held for late packets only when a sink keeps it: otherwise it dies young, where a collection
    // costs nothing (held in the tombstone ring, 8,192 of them, every summary outlived two scavenges
    // and ~130 MB of them died in the old generation of a 2 GB pooled capture). One no sink kept is
    // refilled for the next stream that ends (see spare).
    const kept = this.sink.onStreamEnd?.(summary) === true;
    s.summary[f] = kept ? summary : undefined;
    this.spare = kept ? null : summary;
    if (parking) return;
    if (!this.finished) this.remember(f);
    else s.release(f);
  }

  private summaryOf(f: number, end: StreamEnd): StreamSummary {
    const s = this.s;
    const c = f * 2;
    const counts: StreamSummary['counts'] = {};
    const spare = this.spare;
    // Keys in the order the kinds first occurred (the report lists them as they come): the base-16
    // digits of kindOrder from the most significant one, read without an array per summary.
    const order = s.kindOrder[f];
    let unit = 1;
    while (unit * 16 <= order) unit *= 16;
    for (; order > 0 && unit >= 1; unit /= 16) {
      const k = (Math.floor(order / unit) % 16) - 1;
      counts[KINDS[k]] = s.counts[f * KIND_COUNT + k];
    }
    const fl = s.flags[f];
    if (spare !== null) {
      this.spare = null;
      return this.refill(spare, f, end, counts);
    }
    const summary: StreamSummary = {
      info: this.info(f),
      packets: { c2s: s.packets[c], s2c: s.packets[c + 1] },
      payloadBytes: { c2s: s.payloadBytes[c], s2c: s.payloadBytes[c + 1] },
      deliveredBytes: { c2s: s.deliveredBytes[c], s2c: s.deliveredBytes[c + 1] },
      frameBytes: { c2s: s.frameBytes[c], s2c: s.frameBytes[c + 1] },
      gapBytes: { c2s: s.gapBytes[c], s2c: s.gapBytes[c + 1] },
      lastTs: s.sumLastTs[f],
      lastFrame: s.sumLastFrame[f],
      end,
      midStream: (fl & F_MIDSTREAM) !== 0,
      counts,
    };
    if (fl & F_ENDBY_SET) summary.endBy = fl & F_ENDBY_S2C ? 's2c' : 'c2s';
    return summary;
  }

  /**
   * A summary no sink kept, filled in place with flow `f`'s figures: the same fields in the same
   * order as summaryOf's new one (`endBy` stays a key, undefined when the flow has none: every
   * reader tests it against undefined). Most streams of a production capture end past the
   * collector's cap (inspect/ maxStreams) and their summaries are read once and dropped: ~10
   * objects a stream not made (issue 14).
   */
  private refill(summary: StreamSummary, f: number, end: StreamEnd, counts: StreamSummary['counts']): StreamSummary {
    const s = this.s;
    const c = f * 2;
    const fl = s.flags[f];
    const info = summary.info;
    const clientIsA = (fl & F_CLIENT_IS_A) !== 0;
    info.id = s.id[f];
    info.client.addr = clientIsA ? s.aAddr[f] : s.bAddr[f];
    info.client.port = clientIsA ? s.aPort[f] : s.bPort[f];
    info.server.addr = clientIsA ? s.bAddr[f] : s.aAddr[f];
    info.server.port = clientIsA ? s.bPort[f] : s.aPort[f];
    info.roleFrom = ROLE_FROM[(fl >> ROLE_SHIFT) & 3];
    info.firstFrame = s.firstFrame[f];
    info.startTs = s.startTs[f];
    summary.packets.c2s = s.packets[c];
    summary.packets.s2c = s.packets[c + 1];
    summary.payloadBytes.c2s = s.payloadBytes[c];
    summary.payloadBytes.s2c = s.payloadBytes[c + 1];
    summary.deliveredBytes.c2s = s.deliveredBytes[c];
    summary.deliveredBytes.s2c = s.deliveredBytes[c + 1];
    summary.frameBytes.c2s = s.frameBytes[c];
    summary.frameBytes.s2c = s.frameBytes[c + 1];
    summary.gapBytes.c2s = s.gapBytes[c];
    summary.gapBytes.s2c = s.gapBytes[c + 1];
    summary.lastTs = s.sumLastTs[f];
    summary.lastFrame = s.sumLastFrame[f];
    summary.end = end;
    summary.midStream = (fl & F_MIDSTREAM) !== 0;
    summary.counts = counts;
    summary.endBy = fl & F_ENDBY_SET ? (fl & F_ENDBY_S2C ? 's2c' : 'c2s') : undefined;
    return summary;
  }

  /** Keep a finished flow on its 4-tuple for late packets, within the tombstone budget. */
  private remember(f: number): void {
    if (this.maxClosed === 0) {
      this.unlink(f);
      this.s.release(f);
      return;
    }
    if (this.closedCount === this.maxClosed) {
      const old = this.closed[this.closedHead];
      this.closedHead = (this.closedHead + 1) % this.maxClosed;
      this.closedCount--;
      this.unlink(old);
      this.s.release(old);
    }
    this.closed[(this.closedHead + this.closedCount) % this.maxClosed] = f;
    this.closedCount++;
  }
}

const NO_BYTES = Buffer.alloc(0);

/**
 * A copy of a TcpEvent to keep past the onEvent call (the table hands out one object, refilled for
 * every event): only the fields it has, as the table made them before it reused one.
 */
export function copyTcpEvent(ev: TcpEvent): TcpEvent {
  const c: TcpEvent = { stream: ev.stream, dir: ev.dir, kind: ev.kind, frame: ev.frame, ts: ev.ts };
  if (ev.value !== undefined) c.value = ev.value;
  if (ev.detail !== undefined) c.detail = ev.detail;
  return c;
}

/** A chunk's length in bytes, without making its `data` view when it gives its bytes in place. */
export function chunkLength(chunk: StreamData): number {
  return chunk.bytes !== undefined ? (chunk.end as number) - (chunk.start as number) : chunk.data.length;
}

/**
 * The StreamData a TcpFlowTable hands out for every chunk: the bytes in place (bytes, start, end),
 * the `data` view made only when a sink reads it. Refilled for every chunk, cleared after the call.
 */
class ChunkOut implements StreamData {
  stream = 0;
  dir: Direction = 'c2s';
  bytes: Buffer = NO_BYTES;
  start = 0;
  end = 0;
  ts = 0;
  offset = 0;
  private view: Buffer | null = null;
  /** The one frame that delivered the chunk (a chunk is one segment's bytes), and its list once read. */
  private frame = 0;
  private list: number[] | null = null;

  get data(): Buffer {
    return (this.view ??= this.bytes.subarray(this.start, this.end));
  }

  /**
   * The chunk's frames: a new list, made at the first read (a sink that keeps it, as a decoded
   * message does, owns it). Most chunks are read by no sink past their first bytes (the streams of
   * other protocols once the analyzers have let them go): no list made for them (issue 14).
   */
  get frames(): number[] {
    return (this.list ??= [this.frame]);
  }

  fill(stream: number, dir: Direction, bytes: Buffer, start: number, end: number, frame: number, ts: number, offset: number): void {
    this.stream = stream;
    this.dir = dir;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.frame = frame;
    this.list = null;
    this.ts = ts;
    this.offset = offset;
    this.view = null;
  }

  /** The reader's buffer is not ours to hold past the call. */
  clear(): void {
    this.bytes = NO_BYTES;
    this.view = null;
    this.list = null;
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
      let kept = false;
      for (const s of ends) if (s.onStreamEnd?.(sum) === true) kept = true;
      return kept;
    };
  return out;
}
