/**
 * A deliberately tiny AJP13 walker, independent of the full AJP decoder, that only finds the CPing
 * (`12 34 00 01 0A`, httpd → node) and CPong (`41 42 00 01 09`, node → httpd) packets, so an MCMP
 * STATUS or PING can be linked to the probe httpd sends the node while handling it
 * (mod_proxy_cluster.c, proxy_node_isup → ajp_handle_cping_cpong).
 * It walks packet headers (magic + length) and skips payloads, keeping at most 4 bytes.
 */
import type { Direction } from '../tcp/types.js';
import { looksLikeAjp } from '../ajp/index.js';

export interface AjpPacketSeen {
  dir: Direction;
  /** Packet type code (first payload byte), or -1 for an empty packet. */
  code: number;
  length: number;
  frame: number;
  ts: number;
}

/** Walks one direction of an AJP connection. */
export class AjpDirectionWalker {
  private head: number[] = [];
  private skip = 0;
  private needCode = false;
  private length = 0;
  private headFrame = 0;
  private headTs = 0;
  broken = false;

  constructor(
    private readonly dir: Direction,
    private readonly onPacket: (p: AjpPacketSeen) => void,
  ) {}

  push(data: Buffer, frames: readonly number[], ts: number): void {
    if (this.broken) return;
    // Chunks usually come one per segment; the frame of a packet is the first frame of its chunk.
    const frame = frames.length > 0 ? frames[0] : 0;
    let i = 0;
    while (i < data.length) {
      if (this.skip > 0) {
        if (this.needCode) {
          this.needCode = false;
          this.onPacket({ dir: this.dir, code: data[i], length: this.length, frame: this.headFrame, ts: this.headTs });
        }
        const n = Math.min(this.skip, data.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      if (this.head.length === 0) {
        this.headFrame = frame;
        this.headTs = ts;
      }
      this.head.push(data[i++]);
      if (this.head.length < 4) continue;
      const [a, b, hi, lo] = this.head;
      this.head = [];
      const magicOk = this.dir === 'c2s' ? a === 0x12 && b === 0x34 : a === 0x41 && b === 0x42;
      if (!magicOk) {
        this.broken = true;
        return;
      }
      this.length = (hi << 8) | lo;
      if (this.length === 0) {
        this.onPacket({ dir: this.dir, code: -1, length: 0, frame: this.headFrame, ts: this.headTs });
        continue;
      }
      this.skip = this.length;
      this.needCode = true;
    }
  }
}

/**
 * True when a stream's first client bytes start like an AJP13 packet sent to the container: the one
 * AJP sniffer of ajp/ (magic, length, a message that decodes), a packet still incomplete in this
 * first chunk counting when its header is plausible so far.
 */
export function startsLikeAjpToContainer(first: Buffer): boolean {
  const v = looksLikeAjp(first, false);
  return v === 'web-server' || (v === 'need-more' && first.length >= 2 && first[0] === 0x12 && first[1] === 0x34);
}

export const AJP_CPING = 0x0a;
export const AJP_CPONG = 0x09;
