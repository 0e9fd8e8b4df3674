/**
 * Flows closed early because too many were open at once (TcpFlowTableOptions.maxOpenFlows): only
 * what keeps Wireshark's stream numbering exact is kept — the 4-tuple, the stream id and each
 * direction's base sequence number (a SYN with another ISN on the 4-tuple is a new stream, as in
 * packet-tcp.c) — about 40 bytes each instead of a live flow's few hundred. Packets that arrive
 * later on a parked flow keep its id but are not decoded (counted, for the notice).
 */
import { ColumnBlock, grown } from '../util/grown.js';
export class ParkedFlows {
  private cap = 0;
  private top = 0;
  private freeHead = -1;
  count = 0;
  private aAddr: string[] = [];
  private bAddr: string[] = [];
  private aPort = new Uint16Array(0);
  private bPort = new Uint16Array(0);
  /** The 4-tuple's hash (flow-table.ts tupleHash), for its chain. */
  private hash = new Int32Array(0);
  private id = new Int32Array(0);
  /** Base sequence number per direction (index p * 2 + d, d = 0 for A → B) and whether it is set. */
  private base = new Uint32Array(0);
  private baseSet = new Uint8Array(0);
  private next = new Int32Array(0);
  private heads = new Int32Array(0);
  private shift = 32;

  /** Park a flow; A is the sender of its first packet. hash: its tupleHash. base: -1 when unknown. */
  add(aAddr: string, aPort: number, bAddr: string, bPort: number, hash: number, id: number, baseA: number, baseB: number): void {
    let p: number;
    if (this.freeHead >= 0) {
      p = this.freeHead;
      this.freeHead = this.next[p];
    } else {
      if (this.top === this.cap) this.grow(this.cap === 0 ? 1024 : this.cap * 2);
      p = this.top++;
    }
    this.count++;
    this.aAddr[p] = aAddr;
    this.bAddr[p] = bAddr;
    this.aPort[p] = aPort;
    this.bPort[p] = bPort;
    this.hash[p] = hash;
    this.id[p] = id;
    this.baseSet[p] = (baseA >= 0 ? 1 : 0) | (baseB >= 0 ? 2 : 0);
    this.base[p * 2] = baseA >= 0 ? baseA : 0;
    this.base[p * 2 + 1] = baseB >= 0 ? baseB : 0;
    const b = this.bucket(hash);
    this.next[p] = this.heads[b];
    this.heads[b] = p;
  }

  /**
   * The parked flow of a packet from src to dst (`hash`: the 4-tuple's tupleHash): its index, or
   * -1. `dirOut[0]` gets the packet's direction in it (0: from A).
   */
  find(srcAddr: string, srcPort: number, dstAddr: string, dstPort: number, hash: number, dirOut: Int32Array): number {
    if (this.count === 0) return -1;
    for (let p = this.heads[this.bucket(hash)]; p >= 0; p = this.next[p]) {
      if (srcPort === this.aPort[p] && dstPort === this.bPort[p] && srcAddr === this.aAddr[p] && dstAddr === this.bAddr[p]) {
        dirOut[0] = 0;
        return p;
      }
      if (srcPort === this.bPort[p] && dstPort === this.aPort[p] && srcAddr === this.bAddr[p] && dstAddr === this.aAddr[p]) {
        dirOut[0] = 1;
        return p;
      }
    }
    return -1;
  }

  streamId(p: number): number {
    return this.id[p];
  }

  /** Base sequence number of direction d, or -1 when unknown. */
  baseSeq(p: number, d: number): number {
    return this.baseSet[p] & (d === 0 ? 1 : 2) ? this.base[p * 2 + d] : -1;
  }

  remove(p: number): void {
    const b = this.bucket(this.hash[p]);
    if (this.heads[b] === p) this.heads[b] = this.next[p];
    else {
      let q = this.heads[b];
      while (q >= 0 && this.next[q] !== p) q = this.next[q];
      if (q >= 0) this.next[q] = this.next[p];
    }
    this.aAddr[p] = '';
    this.bAddr[p] = '';
    this.next[p] = this.freeHead;
    this.freeHead = p;
    this.count--;
  }

  private bucket(hash: number): number {
    return Math.imul(hash, 0x2c1b3c6d) >>> this.shift;
  }

  private grow(cap: number): void {
    const block = new ColumnBlock();
    this.aPort = grown(this.aPort, cap, block);
    this.bPort = grown(this.bPort, cap, block);
    this.hash = grown(this.hash, cap, block);
    this.id = grown(this.id, cap, block);
    this.base = grown(this.base, cap * 2, block);
    this.baseSet = grown(this.baseSet, cap, block);
    this.next = grown(this.next, cap, block);
    for (let i = this.cap; i < cap; i++) {
      this.aAddr.push('');
      this.bAddr.push('');
    }
    this.cap = cap;
    // Rehash into twice as many heads as slots.
    const size = cap * 2;
    this.heads = new Int32Array(size).fill(-1);
    this.shift = 32 - Math.log2(size);
    // grow() runs only when the free list is empty: every entry below top is in use.
    for (let p = 0; p < this.top; p++) {
      const b = this.bucket(this.hash[p]);
      this.next[p] = this.heads[b];
      this.heads[b] = p;
    }
  }
}
