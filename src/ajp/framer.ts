/**
 * Incremental AJP packet reader for one direction of a TCP stream.
 *
 * Framing: `magic(2) length(2) payload[length]` (ajpv13a.xml "Packet Format"). A packet inside one
 * chunk goes to the sink as the one shared PacketView (view.ts), refilled for every packet, whose
 * zero-copy `payload` is made only when read: the packet object and its bytes are valid during the
 * sink call only, as the chunk is (tcp/ StreamData.data), so a sink that keeps one copies it. A
 * packet spanning chunks is gathered in the reader's one growable buffer (each byte copied once, the
 * buffer borrowed while something is kept and handed back when empty) and handed over as a view of
 * it. Memory is bounded by one packet (≤ 65539 bytes) plus one chunk, and nothing between packets.
 *
 * Unlike Wireshark's `get_ajp13_pdu_len`, which trusts any two bytes as a length, the reader checks
 * the magic; after a TCP gap, a mid-stream start or a bad magic it resynchronises on the next
 * plausible header (magic + length + a known prefix code whose message decodes) and reports the
 * bytes it skipped, so one lost segment never swallows the requests that follow.
 */
import { Code, HEADER_LENGTH, MAGIC_AJP14, MAGIC_CONTAINER, MAGIC_WEB_SERVER } from './constants.js';
import { expectedMagic, plausibleCode, plausibleMessage } from './decode.js';
import type { AjpSide, CutBy, RawPacket } from './types.js';
import { ElidedPacket, PacketView } from './view.js';

export interface ChunkIn {
  /** Valid only during push(): the reader copies what it keeps. */
  data: Buffer;
  /**
   * The same bytes in place, `bytes[start, end)`, when the chunk gives them so (tcp/ StreamData.bytes):
   * read there, `data` (a view) is never made.
   */
  bytes?: Buffer;
  start?: number;
  end?: number;
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
  /** `side`: the reader's side (one sink object can serve both directions). */
  packet(p: RawPacket, side: AjpSide): void;
  skipped(s: SkippedBytes, side: AjpSide): void;
  /**
   * A header announced a packet larger than `sizeLimit`, reported as soon as its 4 header bytes are in:
   * the receiver rejects it at that point and often closes before the rest arrives.
   */
  oversize?(h: { magic: number; length: number; offset: number; frames: number[]; ts: number }, side: AjpSide): void;
}

/** A bad-magic run is reported as one MALFORMED packet of at most this many bytes, then we resynchronise. */
const BAD_RUN_MAX = 0xffff;

/**
 * Handed to the sink for every packet whole inside one chunk, refilled each time. One for all readers:
 * a sink call never pushes to another reader, and the view is cleared when the call returns.
 */
const VIEW = new PacketView();

/**
 * Buffers of readers that have nothing buffered, kept for the next reader that needs one (a packet
 * split across segments): an open connection holds no buffer between packets, and a split packet
 * usually costs no allocation. Bounded in number and size; a buffer is lent only to a packet of
 * about its size, so a packet that never completes (a connection left open mid-packet when the
 * capture ends) holds about its own size, not a large spare.
 */
const SPARE: Buffer[] = [];
const SPARE_MAX = 8;
const BUF_KEEP_MAX = 0x10000 + 64 * 1024;

function borrow(n: number): Buffer {
  for (let i = SPARE.length - 1; i >= 0; i--) {
    const len = SPARE[i]!.length;
    if (len >= n && len <= 2 * n + 1024) {
      const b = SPARE[i]!;
      SPARE[i] = SPARE[SPARE.length - 1]!;
      SPARE.pop();
      return b;
    }
  }
  return Buffer.allocUnsafe(n);
}

function giveBack(b: Buffer): void {
  if (SPARE.length < SPARE_MAX && b.length <= BUF_KEEP_MAX) SPARE.push(b);
}

/** Bytes a reader keeps past push(), and the chunks they came from. */
class Kept {
  /** Unread bytes: buf[bStart, bEnd). */
  bStart = 0;
  bEnd = 0;
  /** Per chunk in buf: stream offset where its bytes end, its frames and time (segHead: first live entry). */
  segEnd: number[] = [];
  segFrames: (readonly number[])[] = [];
  segTs: number[] = [];
  segHead = 0;
  /**
   * A container SEND_BODY_CHUNK in progress whose chunk data is counted, not kept (the decoder reads
   * only its prefix code, chunk length and what follows the data: decode.ts decodeFromContainer):
   * `hole` bytes of it are not in buf; they sit at `holeAt` bytes from the packet's start (bStart) and
   * the hole ends at packet offset `holeEnd`. `elide`: see ELIDE_*.
   */
  hole = 0;
  holeAt = 0;
  holeEnd = 0;
  elide = ELIDE_NONE;
  /** Bytes the packet in progress will keep in buf in all (its size less the hole), once known; 0: unknown. */
  phys = 0;
  constructor(public buf: Buffer) {}
}

/** Kept.elide: not a candidate (or not decided for this packet yet) … */
const ELIDE_NONE = 0;
/** … a container packet big enough, waiting for its first 7 bytes (header, prefix code, chunk length) … */
const ELIDE_WAIT = 1;
/** … a SEND_BODY_CHUNK whose data is being counted, not kept … */
const ELIDE_YES = 2;
/** … kept whole (not a SEND_BODY_CHUNK). */
const ELIDE_NO = 3;
/** Packets at least this big (header included) are candidates: smaller ones cost little to keep. */
const ELIDE_MIN = 512;
/** Header (4), prefix code (1) and chunk length (2): what tells a SEND_BODY_CHUNK and its data's size. */
const BODY_HEAD = 7;

/**
 * Reads one direction of an AJP stream. Bytes it must keep past push() (the start of a packet that
 * continues in the next segment, or what resynchronisation still has to look at) go into one
 * growable buffer, each byte copied once; a packet that spans segments is handed to the sink as a
 * view of that buffer. The chunks' frame lists and times are kept beside it, one entry per chunk.
 */
export class PacketReader {
  /** What is kept past push() (null when nothing is: an open connection between packets). */
  private k: Kept | null = null;
  /** Stream offset of the first unread byte. */
  private pos = -1;
  private resyncing: SkippedBytes['reason'] | null;
  private skip: SkippedBytes | null = null;
  private magic: number;
  /** Offset of the last header reported to sink.oversize (once per packet). */
  private announced = -1;
  /** Packets larger than this (header included) are reported at their header; 0 = never. */
  sizeLimit = 0;
  /**
   * Packets larger than this that are still incomplete are reported at their header too (0: as
   * sizeLimit): a packet over the default size whose receiver closes before it is all in is still
   * seen, whatever packet size the user gave. Whole packets within sizeLimit stay on the fast path.
   */
  announceLimit = 0;

  /**
   * @param side who sends on this direction (also handed to the sink with every call, so one sink
   *   object can serve both directions of a connection without a closure per reader).
   * @param startInSync false when the stream was picked up mid-way (no SYN seen): resynchronise first.
   */
  constructor(
    public side: AjpSide,
    private sink: FramerSink,
    startInSync = true,
  ) {
    this.magic = expectedMagic(side);
    this.resyncing = startInSync ? null : 'mid-stream-start';
  }

  get inSync(): boolean {
    return this.resyncing === null;
  }

  /**
   * Nothing kept, in sync, no skipped run open: between packets the reader holds nothing but its
   * position, so an analyzer may hand it back to a pool and lend it to another direction (reset()):
   * an open connection between packets then costs no reader at all.
   */
  get idle(): boolean {
    return this.k === null && this.resyncing === null && this.skip === null;
  }

  /** Stream offset of the next byte expected (-1 before the first push). */
  get position(): number {
    return this.pos;
  }

  /**
   * An idle reader (see idle) made to read another direction, in sync, from stream offset `pos`: the
   * same state a reader of that direction would have after its last packet (what is left of the
   * previous one — its last oversize announcement — lies before any offset it will see again).
   */
  reset(side: AjpSide, sink: FramerSink, pos: number): this {
    this.side = side;
    this.sink = sink;
    this.magic = expectedMagic(side);
    this.pos = pos;
    this.resyncing = null;
    this.announced = -1;
    return this;
  }

  private get avail(): number {
    const k = this.k;
    return k === null ? 0 : k.bEnd - k.bStart + k.hole;
  }

  push(chunk: ChunkIn): void {
    // The chunk's bytes are data[s, end): in place when the chunk gives them so, else its own view.
    const whole = chunk.bytes;
    let data: Buffer;
    let s: number;
    let end: number;
    if (whole !== undefined) {
      data = whole;
      s = chunk.start as number;
      end = chunk.end as number;
    } else {
      data = chunk.data;
      s = 0;
      end = data.length;
    }
    if (end <= s) return;
    // Stream offset of data[0] (not of data[s]): packet offsets are `base + index`.
    const base = chunk.offset - s;
    if (this.pos < 0) this.pos = base + s;
    const expected = this.pos + this.avail;
    if (base + s > expected) this.gap(base + s - expected);
    else if (base + s < expected) {
      // Overlap with bytes already kept (should not happen after reassembly): keep the first copy.
      const overlap = expected - (base + s);
      if (overlap >= end - s) return;
      s += overlap;
    }
    const frames = chunk.frames;
    const ts = chunk.ts;
    while (s < end) {
      if (this.avail === 0) {
        this.pos = base + s;
        if (this.resyncing === null) {
          // Nothing kept: frame the whole packets of the chunk in place.
          s += this.frameWhole(data, s, end, frames, ts);
          if (s === end) return;
        }
      }
      if (this.resyncing !== null) {
        // Resynchronising: keep the rest and look through it.
        this.append(data, s, end, frames, ts);
        this.drain();
        return;
      }
      // In sync, a packet in progress: take just the bytes it still needs, so that the whole packets
      // after it are framed in place (a bad magic takes the rest: it is reported as one run).
      const have = this.avail;
      let want = end - s;
      let size = 0;
      if (have < HEADER_LENGTH) {
        const hdrNeed = HEADER_LENGTH - have;
        if (end - s >= hdrNeed) {
          const h = this.headerWith(data, s, hdrNeed);
          if (isMagic(h >>> 16)) want = (size = HEADER_LENGTH + (h & 0xffff)) - have;
        }
      } else {
        const k = this.k!;
        const b = k.buf;
        const at = k.bStart;
        if (isMagic((b[at]! << 8) | b[at + 1]!)) want = (size = HEADER_LENGTH + ((b[at + 2]! << 8) | b[at + 3]!)) - have;
      }
      const n = Math.min(want, end - s);
      this.append(data, s, s + n, frames, ts, size);
      s += n;
      this.drain();
      if (this.avail > 0 && s < end) {
        // Not consumed (cannot happen in sync with the bytes the packet needed; a safety net): keep the rest.
        this.append(data, s, end, frames, ts);
        this.drain();
        return;
      }
    }
  }

  /** The 4 header bytes (magic << 16 | length) made of the kept bytes and the first `want` bytes of data[s…]. */
  private headerWith(data: Buffer, s: number, want: number): number {
    let h = 0;
    const kept = this.k;
    if (kept !== null) for (let i = kept.bStart; i < kept.bEnd; i++) h = (h << 8) | kept.buf[i]!;
    for (let k = 0; k < want; k++) h = (h << 8) | data[s + k]!;
    return h >>> 0;
  }

  /**
   * The usual case, with nothing kept and in sync: every complete packet from data[s] on goes to the
   * sink as the shared view. Stops (returning the bytes used) at the first packet that is
   * incomplete, has a bad magic or is over the size limit: drain() handles those.
   */
  private frameWhole(buf: Buffer, from: number, end: number, frames: readonly number[], ts: number): number {
    let s = from;
    const sink = this.sink;
    const side = this.side;
    while (end - s >= HEADER_LENGTH) {
      const magic = (buf[s]! << 8) | buf[s + 1]!;
      const length = (buf[s + 2]! << 8) | buf[s + 3]!;
      const total = HEADER_LENGTH + length;
      if (end - s < total) break;
      if (magic !== MAGIC_WEB_SERVER && magic !== MAGIC_CONTAINER && magic !== MAGIC_AJP14) break;
      if (this.sizeLimit > 0 && total > this.sizeLimit) break;
      const offset = this.pos;
      this.pos += total;
      sink.packet(VIEW.fill(magic, length, buf, s + HEADER_LENGTH, s + total, frames as number[], ts, offset), side);
      VIEW.clear();
      s += total;
    }
    return s - from;
  }

  /**
   * Keeps data[s, e) (from a chunk with these frames and time) after the bytes already kept.
   * `size`: the bytes the packet in progress will need in all, when its header is known (the buffer
   * is made that size at once: each byte copied once); 0 while resynchronising (the buffer doubles).
   */
  private append(data: Buffer, s: number, e: number, frames: readonly number[], ts: number, size = 0): void {
    const n = e - s;
    if (n <= 0) return;
    let k = this.k;
    // A big packet from the container may be a body chunk whose data will not be kept: start small.
    const candidate = size >= ELIDE_MIN && this.side === 'container' && this.resyncing === null;
    if (k === null) k = this.k = new Kept(borrow(candidate ? Math.min(n, BODY_HEAD) : Math.max(n, size)));
    if (size > 0 && k.elide === ELIDE_NONE && k.hole === 0) {
      // The packet in progress starts at bStart (in sync, its header known): is it a candidate?
      const at = k.bEnd - k.bStart;
      if (candidate && at < BODY_HEAD && this.headMagic(data, s, e) === MAGIC_CONTAINER) k.elide = ELIDE_WAIT;
      else {
        k.elide = ELIDE_NO;
        k.phys = size;
      }
    }
    if (k.elide === ELIDE_WAIT || k.elide === ELIDE_YES) {
      this.appendBody(k, data, s, e);
    } else {
      this.copyIn(k, data, s, e, size);
    }
    if (k.segHead > 32 && k.segHead * 2 > k.segEnd.length) {
      // Entries of chunks already read (a long resynchronisation keeps a few bytes for long): dropped.
      k.segEnd.splice(0, k.segHead);
      k.segFrames.splice(0, k.segHead);
      k.segTs.splice(0, k.segHead);
      k.segHead = 0;
    }
    const streamEnd = this.pos + k.bEnd - k.bStart + k.hole;
    const last = k.segEnd.length - 1;
    if (last >= k.segHead && k.segFrames[last] === frames && k.segTs[last] === ts) k.segEnd[last] = streamEnd;
    else {
      k.segEnd.push(streamEnd);
      k.segFrames.push(frames);
      k.segTs.push(ts);
    }
  }

  /** Copies data[s, e) after the kept bytes, growing the buffer (to `size` when known, else doubling). */
  private copyIn(k: Kept, data: Buffer, s: number, e: number, size: number): void {
    const n = e - s;
    if (n <= 0) return;
    let b = k.buf;
    const have = k.bEnd - k.bStart;
    if (k.bEnd + n > b.length) {
      if (have + n <= b.length >> 1) {
        // Room enough once the read bytes are dropped.
        b.copy(b, 0, k.bStart, k.bEnd);
      } else {
        const want = k.phys > 0 ? k.phys : size > 0 ? size : b.length * 2;
        const nb = Buffer.allocUnsafe(Math.max(want, have + n));
        b.copy(nb, 0, k.bStart, k.bEnd);
        giveBack(b);
        b = k.buf = nb;
      }
      k.bStart = 0;
      k.bEnd = have;
    }
    data.copy(b, k.bEnd, s, e);
    k.bEnd += n;
  }

  /**
   * The bytes of a container packet that may be a SEND_BODY_CHUNK (Kept.elide WAIT / YES): its first
   * 7 bytes are kept, then, for a SEND_BODY_CHUNK, the chunk data is counted (Kept.hole) and only
   * what follows it kept; any other packet is kept whole. Called only in sync for the one packet in
   * progress (append's `size`), which starts at bStart.
   */
  private appendBody(k: Kept, data: Buffer, s: number, e: number): void {
    let i = s;
    while (i < e) {
      const at = k.bEnd - k.bStart + k.hole; // packet bytes seen so far
      if (k.elide === ELIDE_WAIT) {
        if (at < BODY_HEAD) {
          const m = Math.min(e - i, BODY_HEAD - at);
          this.copyIn(k, data, i, i + m, BODY_HEAD);
          i += m;
          continue;
        }
        const b = k.buf;
        const p = k.bStart;
        const length = (b[p + 2]! << 8) | b[p + 3]!;
        const size = HEADER_LENGTH + length;
        if (b[p + 4] === Code.SEND_BODY_CHUNK) {
          // Data: payload bytes 3 .. 3 + chunk length, within the packet (a chunk length past the
          // packet's end is MALFORMED, read from the length alone).
          const chunkLength = (b[p + 5]! << 8) | b[p + 6]!;
          k.elide = ELIDE_YES;
          k.holeAt = BODY_HEAD;
          k.holeEnd = BODY_HEAD + Math.min(chunkLength, length - 3);
          k.phys = size - (k.holeEnd - BODY_HEAD);
        } else {
          k.elide = ELIDE_NO;
          k.phys = size;
        }
        continue;
      }
      if (k.elide === ELIDE_YES && at < k.holeEnd) {
        const m = Math.min(e - i, k.holeEnd - at);
        k.hole += m;
        i += m;
        continue;
      }
      this.copyIn(k, data, i, e, 0);
      i = e;
    }
  }

  /** Magic of the packet in progress: its first two bytes, from the kept bytes and data[s, e). */
  private headMagic(data: Buffer, s: number, e: number): number {
    const k = this.k!;
    let m = 0;
    let got = 0;
    for (let i = k.bStart; i < k.bEnd && got < 2; i++, got++) m = (m << 8) | k.buf[i]!;
    for (let i = s; i < e && got < 2; i++, got++) m = (m << 8) | data[i]!;
    return got === 2 ? m : -1;
  }

  /** The packet of `total` bytes (header included) at buffer offset `at` whose body data was counted (`hole` bytes at `holeAt`): an ElidedPacket. */
  private elided(b: Buffer, at: number, hole: number, holeAt: number, magic: number, length: number, total: number, frames: number[], ts: number, offset: number, cut: CutBy | null): RawPacket {
    const head = b.subarray(at + HEADER_LENGTH, at + holeAt);
    const tail = b.subarray(at + holeAt, at + total - hole);
    return cut === null ? new ElidedPacket(magic, length, head, hole, tail, frames, ts, offset) : new ElidedPacket(magic, length, head, hole, tail, frames, ts, offset, true, cut);
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
    const avail = this.avail;
    if (avail === 0) return;
    if (this.resyncing !== null) {
      this.skipBytes(avail, this.resyncing);
    } else if (avail >= HEADER_LENGTH) {
      const k = this.k!;
      const b = k.buf;
      const at = k.bStart;
      const magic = (b[at]! << 8) | b[at + 1]!;
      const length = (b[at + 2]! << 8) | b[at + 3]!;
      const offset = this.pos;
      const frames: number[] = [];
      const hole = k.hole;
      const holeAt = k.holeAt;
      const ts = this.take(avail, frames);
      this.sink.packet(
        hole === 0
          ? { magic, length, payload: b.subarray(at + HEADER_LENGTH, at + avail), frames, ts, offset, truncated: true, cutBy }
          : this.elided(b, at, hole, holeAt, magic, length, avail, frames, ts, offset, cutBy),
        this.side,
      );
    } else {
      this.skipBytes(avail, reason ?? 'gap');
    }
    this.release();
    this.endSkip();
  }

  /** Frames the kept bytes: whole packets, bad runs, resynchronisation. */
  private drain(): void {
    for (;;) {
      if (this.resyncing !== null) {
        if (!this.scan()) break;
        continue;
      }
      const avail = this.avail;
      if (avail < HEADER_LENGTH) break;
      const k = this.k!;
      const b = k.buf;
      const at = k.bStart;
      const magic = (b[at]! << 8) | b[at + 1]!;
      const length = (b[at + 2]! << 8) | b[at + 3]!;
      if (magic !== MAGIC_WEB_SERVER && magic !== MAGIC_CONTAINER && magic !== MAGIC_AJP14) {
        // Not AJP (e.g. an HTTP connector answering: "HT" = 0x4854). Report what is here as one bad
        // packet and look for the next real header.
        // `length` keeps the two bytes where a length would be, so the bytes can be shown as sent.
        const n = Math.min(avail, BAD_RUN_MAX);
        const offset = this.pos;
        const frames: number[] = [];
        const ts = this.take(n, frames);
        this.sink.packet({ magic, length, payload: b.subarray(at + HEADER_LENGTH, at + n), frames, ts, offset }, this.side);
        this.resyncing = 'bad-magic';
        continue;
      }
      const total = HEADER_LENGTH + length;
      const limit = avail < total && this.announceLimit > 0 ? Math.min(this.announceLimit, this.sizeLimit || this.announceLimit) : this.sizeLimit;
      if (limit > 0 && total > limit && this.announced !== this.pos && this.sink.oversize !== undefined) {
        this.announced = this.pos;
        this.sink.oversize({ magic, length, offset: this.pos, frames: [...k.segFrames[k.segHead]!], ts: k.segTs[k.segHead]! }, this.side);
      }
      if (avail < total) break;
      const offset = this.pos;
      const frames: number[] = [];
      const hole = k.hole;
      const holeAt = k.holeAt;
      const ts = this.take(total, frames);
      this.sink.packet(
        hole === 0 ? { magic, length, payload: b.subarray(at + HEADER_LENGTH, at + total), frames, ts, offset } : this.elided(b, at, hole, holeAt, magic, length, total, frames, ts, offset, null),
        this.side,
      );
    }
    if (this.avail === 0) this.release();
  }

  /**
   * Resynchronisation: returns true when back in sync, false when more bytes are needed. Linear in
   * the bytes looked at: a candidate header is checked on the kept bytes in place (no copy of the
   * packet it claims), and most candidates fail on their first payload byte.
   */
  private scan(): boolean {
    const reason = this.resyncing!;
    const hi = this.magic >> 8;
    for (;;) {
      const avail = this.avail;
      if (avail < HEADER_LENGTH) return false;
      const k = this.k!;
      const b = k.buf;
      const at = k.bStart;
      if (b[at] !== hi) {
        // Fast skip to the next candidate first byte.
        const idx = b.indexOf(hi, at);
        const n = (idx < 0 || idx >= k.bEnd ? k.bEnd : idx) - at;
        this.skipBytes(n, reason);
        continue;
      }
      const magic = (b[at]! << 8) | b[at + 1]!;
      if (magic !== this.magic) {
        this.skipBytes(1, reason);
        continue;
      }
      const length = (b[at + 2]! << 8) | b[at + 3]!;
      if (length === 0) {
        this.skipBytes(1, reason);
        continue;
      }
      // A prefix code no message of this side starts with rules the candidate out before its bytes are all in.
      if (avail === HEADER_LENGTH) return false;
      if (!plausibleCode(b[at + HEADER_LENGTH], this.side)) {
        this.skipBytes(1, reason);
        continue;
      }
      if (avail < HEADER_LENGTH + length) return false;
      if (!plausibleMessage(b.subarray(at + HEADER_LENGTH, at + HEADER_LENGTH + length), length, this.side)) {
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
    let sk = this.skip;
    if (sk === null) sk = this.skip = { bytes: 0, frames: [], ts: 0, offset, reason };
    // (frames gathered in arrival order and put in order once, at endSkip: a resynchronisation
    // skips byte by byte, and keeping the list ordered at each step was quadratic when the kept
    // chunks came out of order — 100,000 reversed segments took 20 s, scripts/adversarial.mjs)
    sk.ts = this.take(n, sk.frames, false);
    sk.bytes += n;
  }

  private endSkip(): void {
    if (this.skip !== null) {
      const s = this.skip;
      this.skip = null;
      s.frames = ascendingUnique(s.frames);
      this.sink.skipped(s, this.side);
    }
  }

  /**
   * Consumes n kept bytes (n ≤ avail): adds the frames of the chunks they came from to `frames`
   * (ascending, no repeats; with `ordered` false in arrival order, for the caller to order once) and
   * returns the time of the last of those chunks.
   */
  private take(n: number, frames: number[], ordered = true): number {
    const to = this.pos + n;
    const k = this.k!;
    const ends = k.segEnd;
    let i = k.segHead;
    let ts = 0;
    for (;;) {
      appendFrames(frames, k.segFrames[i]!);
      ts = k.segTs[i]!;
      if (ends[i]! > to) break;
      i++;
      if (ends[i - 1] === to || i >= ends.length) break;
    }
    k.segHead = i;
    if (ordered) {
      // (put in order once: a message of many chunks that came out of order kept its list ordered
      // at each chunk before, quadratic in their number)
      const o = ascendingUnique(frames);
      if (o !== frames) {
        frames.length = 0;
        for (const f of o) frames.push(f);
      }
    }
    // A hole lies inside the one packet in progress, which a take() always consumes whole.
    k.bStart += n - k.hole;
    if (k.elide !== ELIDE_NONE) {
      k.hole = 0;
      k.holeAt = 0;
      k.holeEnd = 0;
      k.elide = ELIDE_NONE;
      k.phys = 0;
    }
    this.pos = to;
    return ts;
  }

  /** Nothing kept: the buffer goes back for the next reader that needs one, the chunk list is emptied. */
  private release(): void {
    const k = this.k;
    if (k === null || k.bStart !== k.bEnd) return;
    giveBack(k.buf);
    this.k = null;
  }
}

function isMagic(m: number): boolean {
  return m === MAGIC_WEB_SERVER || m === MAGIC_CONTAINER || m === MAGIC_AJP14;
}

/** Appends frames in arrival order, a repeat of the last one left out (ordered later by ascendingUnique). */
function appendFrames(into: number[], from: readonly number[]): void {
  for (let k = 0; k < from.length; k++) {
    const f = from[k]!;
    if (into.length === 0 || into[into.length - 1] !== f) into.push(f);
  }
}

/** The frames ascending, each once. */
function ascendingUnique(frames: number[]): number[] {
  let ordered = true;
  for (let i = 1; i < frames.length && ordered; i++) if (frames[i]! <= frames[i - 1]!) ordered = false;
  if (ordered) return frames;
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  return sorted;
}

