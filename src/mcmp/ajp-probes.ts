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

/** Who hears of the packets a walker finds: a function, or an object (one for both directions, no closure). */
export interface AjpProbeSink {
  seen(p: AjpPacketSeen): void;
}

/** Walks one direction of an AJP connection. */
export class AjpDirectionWalker {
  /** Header bytes collected so far (0–3) and their value, big-endian: no array per walker. */
  private headLen = 0;
  private headWord = 0;
  private skip = 0;
  private needCode = false;
  private length = 0;
  private headFrame = 0;
  private headTs = 0;
  broken = false;

  constructor(
    private readonly dir: Direction,
    private readonly sink: ((p: AjpPacketSeen) => void) | AjpProbeSink,
    /** Report only packets of this payload length (-1: all); the MCMP analyzer wants the 1-byte probes. */
    private readonly onlyLength = -1,
  ) {}

  private onPacket(p: AjpPacketSeen): void {
    if (typeof this.sink === 'function') this.sink(p);
    else this.sink.seen(p);
  }

  push(data: Buffer, frames: readonly number[], ts: number): void {
    if (this.broken) return;
    // Chunks usually come one per segment; the frame of a packet is the first frame of its chunk.
    const frame = frames.length > 0 ? frames[0] : 0;
    let i = 0;
    while (i < data.length) {
      if (this.skip > 0) {
        if (this.needCode) {
          this.needCode = false;
          if (this.onlyLength < 0 || this.length === this.onlyLength) this.onPacket({ dir: this.dir, code: data[i]!, length: this.length, frame: this.headFrame, ts: this.headTs });
        }
        const n = Math.min(this.skip, data.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      if (this.headLen === 0) {
        this.headFrame = frame;
        this.headTs = ts;
      }
      this.headWord = ((this.headWord << 8) | data[i++]!) >>> 0;
      if (++this.headLen < 4) continue;
      const word = this.headWord;
      this.headLen = 0;
      this.headWord = 0;
      const magic = word >>> 16;
      const magicOk = this.dir === 'c2s' ? magic === 0x1234 : magic === 0x4142;
      if (!magicOk) {
        this.broken = true;
        return;
      }
      this.length = word & 0xffff;
      if (this.length === 0) {
        if (this.onlyLength <= 0) this.onPacket({ dir: this.dir, code: -1, length: 0, frame: this.headFrame, ts: this.headTs });
        continue;
      }
      this.skip = this.length;
      this.needCode = true;
    }
  }
}

/**
 * AjpDirectionWalker for the MCMP analyzer's AJP streams, which want the 1-byte packets only: the
 * same walk with six numbers per direction (the direction and the sink are handed in by the caller),
 * since there is one per direction of every open AJP connection.
 */
export class ProbeWalker {
  /** Bits 0–2: header bytes collected (0–3); bit 3: the code byte of a 1-byte packet is due; bit 4: broken. */
  private st = 0;
  private headWord = 0;
  private skip = 0;
  private headFrame = 0;
  private headTs = 0;

  /** Between packets (no header bytes collected, nothing to skip, not broken): it holds nothing, and may be lent to another direction. */
  get idle(): boolean {
    return this.st === 0 && this.skip === 0;
  }

  /** The chunk's bytes data[start, end) (in place in the reader's buffer, or a view of their own). */
  push(data: Buffer, start: number, end: number, frames: readonly number[], ts: number, dir: Direction, sink: AjpProbeSink): void {
    let st = this.st;
    if ((st & 16) !== 0) return;
    const frame = frames.length > 0 ? frames[0]! : 0;
    let i = start;
    while (i < end) {
      if (this.skip > 0) {
        if ((st & 8) !== 0) {
          st &= ~8;
          sink.seen({ dir, code: data[i]!, length: 1, frame: this.headFrame, ts: this.headTs });
        }
        const n = Math.min(this.skip, end - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const have = st & 7;
      if (have === 0) {
        this.headFrame = frame;
        this.headTs = ts;
      }
      this.headWord = ((this.headWord << 8) | data[i++]!) >>> 0;
      if (have + 1 < 4) {
        st = (st & ~7) | (have + 1);
        continue;
      }
      const word = this.headWord;
      st &= ~7;
      this.headWord = 0;
      const magic = word >>> 16;
      if (dir === 'c2s' ? magic !== 0x1234 : magic !== 0x4142) {
        this.st = st | 16;
        return;
      }
      const length = word & 0xffff;
      if (length === 0) continue;
      this.skip = length;
      if (length === 1) st |= 8;
    }
    this.st = st;
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
