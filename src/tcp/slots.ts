/**
 * The flow table's storage: one slot per flow in a struct of typed arrays (no object, no closure per
 * flow), so an open connection costs a few hundred bytes whatever it carries, and the garbage
 * collector has nothing per flow to trace. Slots of finished flows are reused.
 *
 * Indexing: per flow `f`; per half (one direction's reassembly state) `f * 2 + d` with d = 0 for the
 * direction of the flow's first packet (A → B); per summary direction `f * 2 + (0 c2s | 1 s2c)`;
 * event counts `f * KINDS + kind`.
 */
import type { StreamSummary, TcpEventKind } from './types.js';
import { ColumnBlock, grown } from '../util/grown.js';

/** Event kinds in a fixed order: index into the counts column. */
export const KINDS: readonly TcpEventKind[] = [
  'syn',
  'syn-ack',
  'fin',
  'rst',
  'keep-alive',
  'zero-window',
  'retransmission',
  'out-of-order',
  'gap',
  'idle',
  'buffer-limit',
];
export const KIND_COUNT = KINDS.length;
export const KIND_INDEX: Readonly<Record<TcpEventKind, number>> = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<TcpEventKind, number>;

/** Flow flags. */
export const F_USED = 1;
export const F_CLIENT_IS_A = 2;
export const F_ENDED = 4;
export const F_MIDSTREAM = 8;
/** The table's hash chains hold the flow (it is the flow of its 4-tuple). */
export const F_LINKED = 16;
export const F_ENDBY_SET = 32;
/** endBy is s2c (else c2s). */
export const F_ENDBY_S2C = 64;
/** roleFrom code (ROLE_FROM index) in bits 7–8. */
export const ROLE_SHIFT = 7;
export const ROLE_FROM = ['handshake', 'port', 'content', 'first-packet'] as const;

/** Half (one direction's reassembly) flags. */
export const H_BASE_SET = 1;
export const H_STARTED = 2;
export const H_SYN_SEEN = 4;
export const H_HAS_DATA = 8;
export const H_PEER_ACK_SET = 16;
export const H_FIN_SEEN = 32;
/** An out-of-order queue exists for this half (the table's map has it). */
export const H_OOO = 64;

export class FlowSlots {
  cap = 0;
  /** Slots handed out and not released. */
  used = 0;
  private freeHead = -1;
  private top = 0;

  // Per flow.
  aAddr: string[] = [];
  bAddr: string[] = [];
  aPort = new Uint16Array(0);
  bPort = new Uint16Array(0);
  /** The 4-tuple's hash (flow-table.ts tupleHash): its chain, found again without the segment. */
  hash = new Int32Array(0);
  id = new Int32Array(0);
  /** Next slot in the same hash chain, or in the free list; -1 ends. */
  next = new Int32Array(0);
  flags = new Uint16Array(0);
  /** Time of the last packet processed (not counting late packets after the end): the idle test. */
  lastTs = new Float64Array(0);
  synTs = new Float64Array(0);
  firstRtt = new Float64Array(0);
  startTs = new Float64Array(0);
  firstFrame = new Float64Array(0);
  /** Summary's lastTs / lastFrame (every packet, late ones too). */
  sumLastTs = new Float64Array(0);
  sumLastFrame = new Float64Array(0);
  /** Order in which event kinds first occurred (base-16 digits, kind index + 1): the summary's counts keep that key order. */
  kindOrder = new Float64Array(0);
  counts = new Uint32Array(0);
  /** Least-recently-active order of open flows (a doubly linked list through the slots; -1 ends). */
  lruPrev = new Int32Array(0);
  lruNext = new Int32Array(0);
  /** The summary handed out at the end (late packets are counted into it); only for ended flows. */
  summary: (StreamSummary | undefined)[] = [];

  // Per half: f * 2 + d.
  hflags = new Uint8Array(0);
  baseSeq = new Uint32Array(0);
  nextSeq = new Uint32Array(0);
  maxEnd = new Uint32Array(0);
  peerAck = new Uint32Array(0);
  window = new Int32Array(0);
  /** Offset in this direction's byte stream of nextSeq. */
  offset = new Float64Array(0);
  maxEndTs = new Float64Array(0);

  // Per summary direction: f * 2 + (0 c2s, 1 s2c).
  packets = new Float64Array(0);
  payloadBytes = new Float64Array(0);
  deliveredBytes = new Float64Array(0);
  frameBytes = new Float64Array(0);
  gapBytes = new Float64Array(0);

  constructor(initial = 256) {
    this.grow(initial);
  }

  /** A cleared slot. */
  alloc(): number {
    let f: number;
    if (this.freeHead >= 0) {
      f = this.freeHead;
      this.freeHead = this.next[f];
    } else {
      if (this.top === this.cap) this.grow(this.cap * 2);
      f = this.top++;
    }
    this.used++;
    this.clear(f);
    return f;
  }

  release(f: number): void {
    this.flags[f] = 0;
    this.summary[f] = undefined;
    this.aAddr[f] = '';
    this.bAddr[f] = '';
    this.next[f] = this.freeHead;
    this.freeHead = f;
    this.used--;
  }

  /** Slots ever handed out (used or free): iterate 0 .. end and test F_USED. */
  get end(): number {
    return this.top;
  }

  private clear(f: number): void {
    this.flags[f] = F_USED;
    this.next[f] = -1;
    this.lastTs[f] = 0;
    this.synTs[f] = -1;
    this.firstRtt[f] = -1;
    this.kindOrder[f] = 0;
    // A loop, not counts.fill(): the builtin call cost more than the eleven stores (one per flow made).
    for (let i = f * KIND_COUNT; i < f * KIND_COUNT + KIND_COUNT; i++) this.counts[i] = 0;
    this.summary[f] = undefined;
    for (let i = f * 2; i < f * 2 + 2; i++) {
      this.hflags[i] = 0;
      this.baseSeq[i] = 0;
      this.nextSeq[i] = 0;
      this.maxEnd[i] = 0;
      this.peerAck[i] = 0;
      this.window[i] = -1;
      this.offset[i] = 0;
      this.maxEndTs[i] = 0;
      this.packets[i] = 0;
      this.payloadBytes[i] = 0;
      this.deliveredBytes[i] = 0;
      this.frameBytes[i] = 0;
      this.gapBytes[i] = 0;
    }
  }

  private grow(cap: number): void {
    const block = new ColumnBlock();
    this.aPort = grown(this.aPort, cap, block);
    this.bPort = grown(this.bPort, cap, block);
    this.hash = grown(this.hash, cap, block);
    this.id = grown(this.id, cap, block);
    this.next = grown(this.next, cap, block);
    this.lruPrev = grown(this.lruPrev, cap, block);
    this.lruNext = grown(this.lruNext, cap, block);
    this.flags = grown(this.flags, cap, block);
    this.lastTs = grown(this.lastTs, cap, block);
    this.synTs = grown(this.synTs, cap, block);
    this.firstRtt = grown(this.firstRtt, cap, block);
    this.startTs = grown(this.startTs, cap, block);
    this.firstFrame = grown(this.firstFrame, cap, block);
    this.sumLastTs = grown(this.sumLastTs, cap, block);
    this.sumLastFrame = grown(this.sumLastFrame, cap, block);
    this.kindOrder = grown(this.kindOrder, cap, block);
    this.counts = grown(this.counts, cap * KIND_COUNT, block);
    this.hflags = grown(this.hflags, cap * 2, block);
    this.baseSeq = grown(this.baseSeq, cap * 2, block);
    this.nextSeq = grown(this.nextSeq, cap * 2, block);
    this.maxEnd = grown(this.maxEnd, cap * 2, block);
    this.peerAck = grown(this.peerAck, cap * 2, block);
    this.window = grown(this.window, cap * 2, block);
    this.offset = grown(this.offset, cap * 2, block);
    this.maxEndTs = grown(this.maxEndTs, cap * 2, block);
    this.packets = grown(this.packets, cap * 2, block);
    this.payloadBytes = grown(this.payloadBytes, cap * 2, block);
    this.deliveredBytes = grown(this.deliveredBytes, cap * 2, block);
    this.frameBytes = grown(this.frameBytes, cap * 2, block);
    this.gapBytes = grown(this.gapBytes, cap * 2, block);
    // Packed arrays of strings / references (no holes: V8 keeps them as plain element arrays).
    for (let i = this.cap; i < cap; i++) {
      this.aAddr.push('');
      this.bAddr.push('');
      this.summary.push(undefined);
    }
    this.cap = cap;
  }
}
