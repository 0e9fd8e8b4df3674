/**
 * Out-of-order segments of one direction, waiting for the hole before them to fill: a binary
 * min-heap ordered by stream offset (then by arrival), so that buffering n segments in any order
 * and draining them costs O(n log n). (A sorted array with a linear insert and shift() per delivery
 * was quadratic: 10^5 segments sent in reverse took 21 s.)
 *
 * The key is the segment's offset in the direction's byte stream (a plain number that never wraps),
 * not its 32-bit sequence number: offsets keep one total order however far apart the segments are.
 * Segments at the same offset come out in arrival order, as the sorted insert had them.
 */

import { heapPop, heapPush } from '../util/min-heap.js';

/** A segment waiting for a hole before it to fill. `data` is our own copy. */
export interface Pending {
  /** Offset of the segment's first byte in its direction's byte stream. */
  off: number;
  /** Arrival order, to break ties between segments at the same offset. */
  n: number;
  data: Buffer;
  wireLen: number;
  frame: number;
  ts: number;
}

function before(a: Pending, b: Pending): boolean {
  return a.off < b.off || (a.off === b.off && a.n < b.n);
}

export class PendingQueue {
  private readonly items: Pending[] = [];
  private arrivals = 0;
  /** Captured payload bytes held. */
  bytes = 0;

  get size(): number {
    return this.items.length;
  }

  /** The segment with the lowest offset (the first to arrive among equals), or undefined. */
  peek(): Pending | undefined {
    return this.items[0];
  }

  push(off: number, data: Buffer, wireLen: number, frame: number, ts: number): void {
    this.bytes += data.length;
    heapPush(this.items, { off, n: this.arrivals++, data, wireLen, frame, ts }, before);
  }

  pop(): Pending | undefined {
    const top = heapPop(this.items, before);
    if (top !== undefined) this.bytes -= top.data.length;
    return top;
  }
}
