/**
 * `PacketView`: the RawPacket the reader hands to its sink for a packet that lies whole inside one
 * chunk. One for all readers (framer.ts), refilled for every packet (valid during the sink call only, as the chunk's
 * bytes are: tcp/ StreamData.data); the `payload` Buffer view is made only when asked for. Most
 * packets (body chunks, GET_BODY_CHUNK, END_RESPONSE, CPING/CPONG) are decoded from a few bytes read
 * in place with `payloadLength` / `payloadByte`, so they cost neither a view nor a packet object.
 */
import type { CutBy, RawPacket } from './types.js';

const NO_FRAMES: number[] = [];
const EMPTY = Buffer.alloc(0);

export class PacketView implements RawPacket {
  magic = 0;
  length = 0;
  frames: number[] = NO_FRAMES;
  ts = 0;
  offset = 0;
  /** The chunk the packet sits in, and where its payload starts and ends there. */
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;
  private view: Buffer | null = null;

  get payload(): Buffer {
    return (this.view ??= this.buf.subarray(this.start, this.end));
  }

  fill(magic: number, length: number, buf: Buffer, start: number, end: number, frames: number[], ts: number, offset: number): this {
    this.magic = magic;
    this.length = length;
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.frames = frames;
    this.ts = ts;
    this.offset = offset;
    this.view = null;
    return this;
  }

  /** Drops the chunk reference once the sink call is over (the bytes are not ours to keep). */
  clear(): void {
    this.buf = EMPTY;
    this.view = null;
    this.frames = NO_FRAMES;
  }
}

/**
 * A SEND_BODY_CHUNK gathered across segments whose chunk data was counted, not kept (framer.ts): the
 * payload is `head`, then `hole` bytes of body data nobody reads, then `tail` (the NUL and whatever
 * follows the data). The decoder reads it through payloadLength / payloadByte; `payload` (made
 * only when asked for) has zeros where the data was.
 */
export class ElidedPacket implements RawPacket {
  private made: Buffer | null = null;
  constructor(
    readonly magic: number,
    readonly length: number,
    readonly head: Buffer,
    readonly hole: number,
    readonly tail: Buffer,
    readonly frames: number[],
    readonly ts: number,
    readonly offset: number,
    readonly truncated?: boolean,
    readonly cutBy?: CutBy,
  ) {}

  get payload(): Buffer {
    if (this.made === null) {
      const b = Buffer.alloc(this.head.length + this.hole + this.tail.length);
      this.head.copy(b, 0);
      this.tail.copy(b, this.head.length + this.hole);
      this.made = b;
    }
    return this.made;
  }
}

/** Payload length without making a view. */
export function payloadLength(raw: RawPacket): number {
  if (raw instanceof PacketView) return raw.end - raw.start;
  if (raw instanceof ElidedPacket) return raw.head.length + raw.hole + raw.tail.length;
  return raw.payload.length;
}

/** Payload byte `i` (undefined past the end, as `payload[i]`) without making a view. */
export function payloadByte(raw: RawPacket, i: number): number | undefined {
  if (raw instanceof PacketView) return i < raw.end - raw.start ? raw.buf[raw.start + i] : undefined;
  if (raw instanceof ElidedPacket) {
    const h = raw.head.length;
    if (i < h) return raw.head[i];
    if (i < h + raw.hole) return 0;
    return raw.tail[i - h - raw.hole];
  }
  return raw.payload[i];
}
