/**
 * Incremental AJP packet reader for one direction of a TCP stream.
 *
 * Framing: `magic(2) length(2) payload[length]` (ajpv13a.xml "Packet Format"). A packet inside one
 * chunk goes to the sink as the reader's one PacketView (view.ts), refilled for every packet, whose
 * zero-copy `payload` is made only when read: the packet object and its bytes are valid during the
 * sink call only, as the chunk is (tcp/ StreamData.data), so a sink that keeps one copies it. The unread rest of a chunk is copied when push() returns, and a packet
 * spanning chunks is joined when complete. Memory is bounded by one packet (≤ 65539 bytes) plus the
 * current chunk.
 *
 * Unlike Wireshark's `get_ajp13_pdu_len`, which trusts any two bytes as a length, the reader checks
 * the magic; after a TCP gap, a mid-stream start or a bad magic it resynchronises on the next
 * plausible header (magic + length + a known prefix code whose message decodes) and reports the
 * bytes it skipped, so one lost segment never swallows the requests that follow.
 */
import { HEADER_LENGTH, MAGIC_AJP14, MAGIC_CONTAINER, MAGIC_WEB_SERVER } from './constants.js';
import { expectedMagic, plausibleMessage } from './decode.js';
import type { AjpSide, CutBy, RawPacket } from './types.js';
import { PacketView } from './view.js';

export interface ChunkIn {
  /** Valid only during push(): the reader copies what it keeps. */
  data: Buffer;
  frames: readonly number[];
  ts: number;
  /** Offset of data[0] in this direction's byte stream. */
  offset: number;
}

export interface SkippedBytes {
  bytes: number;
  frames: number[];
  ts: number;
  offset: number;
  /** trailing: fewer than 4 bytes left when the connection closed, after the last whole packet (sent, not lost). */
  reason: 'mid-stream-start' | 'gap' | 'bad-magic' | 'trailing';
}

export interface FramerSink {
  packet(p: RawPacket): void;
  skipped(s: SkippedBytes): void;
  /**
   * A header announced a packet larger than `sizeLimit`, reported as soon as its 4 header bytes are in:
   * the receiver rejects it at that point and often closes before the rest arrives.
   */
  oversize?(h: { magic: number; length: number; offset: number; frames: number[]; ts: number }): void;
}

interface Queued {
  buf: Buffer;
  start: number;
  frames: readonly number[];
  ts: number;
}

/** A bad-magic run is reported as one MALFORMED packet of at most this many bytes, then we resynchronise. */
const BAD_RUN_MAX = 0xffff;

export class PacketReader {
  private queue: Queued[] = [];
  private avail = 0;
  /** Stream offset of the first unread byte. */
  private pos = -1;
  private resyncing: SkippedBytes['reason'] | null;
  private skip: SkippedBytes | null = null;
  private readonly magic: number;
  /** Offset of the last header reported to sink.oversize (once per packet). */
  private announced = -1;
  /** Handed to the sink for every packet whole inside one chunk (see PacketView). */
  private readonly view = new PacketView();
  /** Packets larger than this (header included) are reported at their header; 0 = never. */
  sizeLimit = 0;
  /**
   * Packets larger than this that are still incomplete are reported at their header too (0: as
   * sizeLimit): a packet over the default size whose receiver closes before it is all in is still
   * seen, whatever packet size the user gave. Whole packets within sizeLimit stay on the fast path.
   */
  announceLimit = 0;

  /**
   * @param side who sends on this direction.
   * @param startInSync false when the stream was picked up mid-way (no SYN seen): resynchronise first.
   */
  constructor(
    readonly side: AjpSide,
    private readonly sink: FramerSink,
    startInSync = true,
  ) {
    this.magic = expectedMagic(side);
    this.resyncing = startInSync ? null : 'mid-stream-start';
  }

  get inSync(): boolean {
    return this.resyncing === null;
  }

  push(chunk: ChunkIn): void {
    if (chunk.data.length === 0) return;
    if (this.pos < 0) this.pos = chunk.offset;
    const expected = this.pos + this.avail;
    if (chunk.offset > expected) this.gap(chunk.offset - expected);
    else if (chunk.offset < expected) {
      // Overlap with bytes already queued (should not happen after reassembly): keep the first copy.
      const overlap = expected - chunk.offset;
      if (overlap >= chunk.data.length) return;
      chunk = { ...chunk, data: chunk.data.subarray(overlap), offset: expected };
    }
    if (this.avail === 0) {
      this.pos = chunk.offset;
      if (this.resyncing === null) {
        // Nothing queued: frame the whole packets at the front of the chunk in place, queue only the rest.
        const used = this.frameWhole(chunk);
        if (used === chunk.data.length) return;
        if (used > 0) chunk = { ...chunk, data: chunk.data.subarray(used), offset: chunk.offset + used };
      }
    }
    const q: Queued = { buf: chunk.data, start: 0, frames: chunk.frames, ts: chunk.ts };
    this.queue.push(q);
    this.avail += chunk.data.length;
    this.drain();
    // The chunk's bytes are only valid during this call (tcp/ StreamData.data): keep a copy of what
    // is still unread (the start of a packet that continues in the next chunk).
    if (q.start < q.buf.length && this.queue[this.queue.length - 1] === q) {
      q.buf = Buffer.from(q.buf.subarray(q.start));
      q.start = 0;
    }
  }

  /**
   * The usual case, with nothing queued and in sync: every complete packet at the front of the chunk
   * goes to the sink as a view, with no queue entry. Stops (returning the bytes used) at the first
   * packet that is incomplete, has a bad magic or is over the size limit: drain() handles those.
   */
  private frameWhole(chunk: ChunkIn): number {
    const buf = chunk.data;
    const end = buf.length;
    let s = 0;
    while (end - s >= HEADER_LENGTH) {
      const magic = (buf[s]! << 8) | buf[s + 1]!;
      const length = (buf[s + 2]! << 8) | buf[s + 3]!;
      const total = HEADER_LENGTH + length;
      if (end - s < total) break;
      if (magic !== MAGIC_WEB_SERVER && magic !== MAGIC_CONTAINER && magic !== MAGIC_AJP14) break;
      if (this.sizeLimit > 0 && total > this.sizeLimit) break;
      const offset = this.pos;
      this.pos += total;
      this.sink.packet(this.view.fill(magic, length, buf, s + HEADER_LENGTH, s + total, chunk.frames as number[], chunk.ts, offset));
      s += total;
    }
    this.view.clear();
    return s;
  }

  /** Bytes were lost (TCP gap): the packet in progress is cut short, then resynchronise. */
  gap(missing: number): void {
    this.flushPartial('gap', 'gap');
    this.pos += missing;
    this.resyncing = 'gap';
  }

  /**
   * End of the stream: a partial packet is reported cut short. `closed`: the connection ended with
   * FIN/RST (what was not sent was never sent), else the capture ended while it was open.
   */
  end(closed = false): void {
    this.flushPartial(closed ? 'trailing' : null, closed ? 'close' : 'capture-end');
    this.endSkip();
  }

  private flushPartial(reason: SkippedBytes['reason'] | null, cutBy: CutBy): void {
    if (this.avail === 0) return;
    if (this.resyncing !== null) {
      this.skipBytes(this.avail, this.resyncing);
    } else if (this.avail >= HEADER_LENGTH) {
      const hdr = this.peek(HEADER_LENGTH);
      const magic = hdr.readUInt16BE(0);
      const length = hdr.readUInt16BE(2);
      const offset = this.pos;
      const { buf, frames, ts } = this.take(this.avail);
      this.sink.packet({ magic, length, payload: buf.subarray(HEADER_LENGTH), frames, ts, offset, truncated: true, cutBy });
    } else {
      this.skipBytes(this.avail, reason ?? 'gap');
    }
    this.endSkip();
  }

  private drain(): void {
    for (;;) {
      if (this.resyncing !== null) {
        if (!this.scan()) return;
        continue;
      }
      if (this.avail < HEADER_LENGTH) return;
      let magic: number;
      let length: number;
      const head = this.queue[0]!;
      const hs = head.start;
      if (head.buf.length - hs >= HEADER_LENGTH) {
        // The usual case: header bytes read in place, no peek buffer.
        const hb = head.buf;
        magic = (hb[hs]! << 8) | hb[hs + 1]!;
        length = (hb[hs + 2]! << 8) | hb[hs + 3]!;
        const total = HEADER_LENGTH + length;
        if (
          head.buf.length - hs >= total &&
          (magic === MAGIC_WEB_SERVER || magic === MAGIC_CONTAINER || magic === MAGIC_AJP14) &&
          !(this.sizeLimit > 0 && total > this.sizeLimit)
        ) {
          // Whole packet inside the head chunk: the PacketView over it, the chunk's own frame list
          // (one chunk, so the same frames take() would collect), nothing allocated.
          const offset = this.pos;
          head.start = hs + total;
          if (head.start === hb.length) this.queue.shift();
          this.avail -= total;
          this.pos += total;
          this.sink.packet(this.view.fill(magic, length, hb, hs + HEADER_LENGTH, hs + total, head.frames as number[], head.ts, offset));
          this.view.clear();
          continue;
        }
      } else {
        const hdr = this.peek(HEADER_LENGTH);
        magic = (hdr[0]! << 8) | hdr[1]!;
        length = (hdr[2]! << 8) | hdr[3]!;
      }
      if (magic !== MAGIC_WEB_SERVER && magic !== MAGIC_CONTAINER && magic !== MAGIC_AJP14) {
        // Not AJP (e.g. an HTTP connector answering: "HT" = 0x4854). Report what is here as one bad
        // packet and look for the next real header.
        // `length` keeps the two bytes where a length would be, so the bytes can be shown as sent.
        const n = Math.min(this.avail, BAD_RUN_MAX);
        const offset = this.pos;
        const { buf, frames, ts } = this.take(n);
        this.sink.packet({ magic, length, payload: buf.subarray(HEADER_LENGTH), frames, ts, offset });
        this.resyncing = 'bad-magic';
        continue;
      }
      const total = HEADER_LENGTH + length;
      const limit = this.avail < total && this.announceLimit > 0 ? Math.min(this.announceLimit, this.sizeLimit || this.announceLimit) : this.sizeLimit;
      if (limit > 0 && total > limit && this.announced !== this.pos && this.sink.oversize !== undefined) {
        this.announced = this.pos;
        const head = this.queue[0]!;
        this.sink.oversize({ magic, length, offset: this.pos, frames: [...head.frames], ts: head.ts });
      }
      if (this.avail < total) return;
      const offset = this.pos;
      const { buf, frames, ts } = this.take(total);
      this.sink.packet({ magic, length, payload: buf.subarray(HEADER_LENGTH), frames, ts, offset });
    }
  }

  /** Resynchronisation: returns true when back in sync, false when more bytes are needed. */
  private scan(): boolean {
    const reason = this.resyncing!;
    const hi = this.magic >> 8;
    for (;;) {
      if (this.avail < HEADER_LENGTH) return false;
      // Fast skip to the next candidate first byte within the head chunk.
      const head = this.queue[0]!;
      if (head.buf[head.start] !== hi) {
        const idx = head.buf.indexOf(hi, head.start);
        const n = (idx < 0 ? head.buf.length : idx) - head.start;
        this.skipBytes(n, reason);
        continue;
      }
      const hdr = this.peek(HEADER_LENGTH);
      const magic = (hdr[0]! << 8) | hdr[1]!;
      if (magic !== this.magic) {
        this.skipBytes(1, reason);
        continue;
      }
      const length = (hdr[2]! << 8) | hdr[3]!;
      if (length === 0) {
        this.skipBytes(1, reason);
        continue;
      }
      if (this.avail < HEADER_LENGTH + length) return false;
      const payload = this.peek(HEADER_LENGTH + length).subarray(HEADER_LENGTH);
      if (!plausibleMessage(payload, length, this.side)) {
        this.skipBytes(1, reason);
        continue;
      }
      this.endSkip();
      this.resyncing = null;
      return true;
    }
  }

  private skipBytes(n: number, reason: SkippedBytes['reason']): void {
    if (n <= 0) return;
    const offset = this.pos;
    const { frames, ts } = this.take(n, false);
    if (this.skip === null) this.skip = { bytes: 0, frames: [], ts, offset, reason };
    this.skip.bytes += n;
    this.skip.ts = ts;
    for (const f of frames) if (this.skip.frames[this.skip.frames.length - 1] !== f) this.skip.frames.push(f);
  }

  private endSkip(): void {
    if (this.skip !== null) {
      const s = this.skip;
      this.skip = null;
      this.sink.skipped(s);
    }
  }

  /** First n bytes without consuming them (n ≤ avail). */
  private peek(n: number): Buffer {
    const head = this.queue[0]!;
    if (head.buf.length - head.start >= n) return head.buf.subarray(head.start, head.start + n);
    const out = Buffer.allocUnsafe(n);
    let w = 0;
    for (const q of this.queue) {
      const c = Math.min(n - w, q.buf.length - q.start);
      q.buf.copy(out, w, q.start, q.start + c);
      w += c;
      if (w === n) break;
    }
    return out;
  }

  /** Consume n bytes (n ≤ avail); copy only when they span chunks. */
  private take(n: number, wantBytes = true): { buf: Buffer; frames: number[]; ts: number } {
    const frames: number[] = [];
    let ts = 0;
    const head = this.queue[0]!;
    let buf: Buffer;
    if (head.buf.length - head.start >= n) {
      buf = wantBytes ? head.buf.subarray(head.start, head.start + n) : EMPTY;
      addFrames(frames, head.frames);
      ts = head.ts;
      head.start += n;
      if (head.start === head.buf.length) this.queue.shift();
    } else {
      buf = wantBytes ? Buffer.allocUnsafe(n) : EMPTY;
      let w = 0;
      while (w < n) {
        const q = this.queue[0]!;
        const c = Math.min(n - w, q.buf.length - q.start);
        if (wantBytes) q.buf.copy(buf, w, q.start, q.start + c);
        addFrames(frames, q.frames);
        ts = q.ts;
        w += c;
        q.start += c;
        if (q.start === q.buf.length) this.queue.shift();
      }
    }
    this.avail -= n;
    this.pos += n;
    return { buf, frames, ts };
  }
}

const EMPTY = Buffer.alloc(0);

function addFrames(into: number[], from: readonly number[]): void {
  for (const f of from) {
    if (into.length === 0 || into[into.length - 1]! < f) into.push(f);
    else if (!into.includes(f)) {
      into.push(f);
      into.sort((a, b) => a - b);
    }
  }
}
