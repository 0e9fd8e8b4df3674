/**
 * pcapng block reader (draft-ietf-opsawg-pcapng). Our own: the npm candidates do not work (anchors §3.2).
 *
 * A push framer: `push(chunk)` decodes every complete block and calls `onPacket` synchronously;
 * `end()` reports a truncated final block as a warning. Memory is bounded by the largest block:
 * only the tail of a chunk that holds an incomplete block is kept (and copied once when it is joined
 * with the next chunk, never re-copied per chunk).
 */
import type { CaptureInfo, CaptureWarning, Packet } from './types.js';
import { CaptureFormatError } from './types.js';

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_PB = 0x00000002; // obsolete Packet Block
const BT_SPB = 0x00000003;
const BT_EPB = 0x00000006;
const BT_SYSTEMD_JOURNAL = 0x00000009;
const BT_CUSTOM_COPY = 0x00000bad;
const BT_CUSTOM_NO_COPY = 0x40000bad;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
/** The largest packet time shown (seconds): a JavaScript Date's range, ±8.64e15 ms. */
const MAX_TS = 8.64e12;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/**
 * Largest block we accept. Wireshark's wiretap/pcapng.c allows up to ~128 MiB (for D-Bus records);
 * the link types we decode never exceed 262144-byte packets, so a block over 16 MiB is taken as
 * corruption: we stop instead of buffering that much of a broken file.
 */
export const MAX_BLOCK_SIZE = 16 * 1024 * 1024 + 4096;

/**
 * Packets skipped for one reason (a missing interface): the warning said at the first of them, and
 * what it says of the others.
 */
interface Skipped {
  warning: CaptureWarning;
  /** The first packet's own sentence. */
  first: string;
  /** Packets skipped after the first. */
  more: number;
  /** The lowest and highest interface id they named. */
  low: number;
  high: number;
}

/** One more packet skipped for `k`'s reason, naming interface `ifId`. */
function oneMore(k: Skipped, ifId: number): void {
  k.more++;
  if (ifId < k.low) k.low = ifId;
  if (ifId > k.high) k.high = ifId;
}

interface Interface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second (if_tsresol; default 10^6). */
  unitsPerSec: number;
  /** if_tsoffset: seconds added to every timestamp. */
  tsOffset: number;
}

export class PcapngFramer {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Bytes of the block being waited for (0 = unknown yet). */
  private need = 0;
  private le = true;
  private interfaces: Interface[] = [];
  private sawShb = false;
  private frame = 0;
  private lastTs = 0;
  private badTimeSaid = false;
  /**
   * Packets naming an interface their section lacks (EPB, PB), and simple packets before any
   * interface: one warning each for the whole capture, made at the first such packet and its count
   * kept up to date after each, so that it is right wherever reading stops (the end, a corrupt block,
   * a stop on purpose), as badTime says a bad time once. A warning per packet was 400,000 lines on
   * stderr (664 MB held) for a file whose every packet names a missing interface.
   */
  private noInterface: Skipped | undefined;
  private noInterfaceSpb: Skipped | undefined;
  /** Offset (in the decompressed stream) of the first byte not yet consumed. */
  offset = 0;

  constructor(
    private readonly info: CaptureInfo,
    private readonly warnings: CaptureWarning[],
    private readonly onPacket: (p: Packet) => void,
  ) {}

  /** Records numbered so far (packets, plus custom/journal blocks): the last frame number. */
  get frames(): number {
    return this.frame;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.pendingLen > 0) {
      // Copied: the caller may reuse the chunk's memory for its next read.
      this.pending.push(Buffer.from(chunk));
      this.pendingLen += chunk.length;
      // Keep collecting until the awaited block is complete: join once, not per chunk.
      if (this.need > 0 && this.pendingLen < this.need) return;
      if (this.need === 0 && this.pendingLen < 12) return;
      buf = Buffer.concat(this.pending, this.pendingLen);
      this.pending = [];
      this.pendingLen = 0;
    }
    let off = 0;
    const end = buf.length;
    while (end - off >= 12) {
      const typeBE = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
      if (typeBE === BT_SHB) {
        // The SHB's own byte-order magic tells how to read its length (and the whole section).
        const bom = buf.readUInt32LE(off + 8);
        if (bom === BYTE_ORDER_MAGIC) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else throw new CaptureFormatError(`pcapng: section header at offset ${this.offset + off} has a bad byte-order magic 0x${buf.toString('hex', off + 8, off + 12)}`, this.offset + off);
      } else if (!this.sawShb) {
        throw new CaptureFormatError('pcapng: the file does not start with a section header block', this.offset);
      }
      const type = this.le ? this.u32(buf, off) : typeBE;
      const len = this.u32(buf, off + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK_SIZE) {
        throw new CaptureFormatError(
          `pcapng: block at offset ${this.offset + off} (type 0x${type.toString(16)}) has an impossible length ${len}`,
          this.offset + off,
        );
      }
      if (end - off < len) {
        this.need = len;
        break;
      }
      const trailer = this.u32(buf, off + len - 4);
      if (trailer !== len) {
        // Wireshark (wiretap/pcapng.c) stops here too: "total block lengths don't match".
        throw new CaptureFormatError(
          `pcapng: block at offset ${this.offset + off} says ${len} bytes at its start and ${trailer} at its end`,
          this.offset + off,
        );
      }
      this.block(buf, off, len, type);
      off += len;
      this.need = 0;
    }
    if (off < end) {
      // Keep the tail, copied: the caller may reuse the chunk's memory for its next read.
      this.pending.push(Buffer.from(buf.subarray(off)));
      this.pendingLen = end - off;
    } else {
      this.need = 0;
    }
    this.offset += off;
  }

  /** A time out of range (if_tsresol, if_tsoffset, a packet's): one warning per capture, the first. */
  private badTime(off: number, what: string): void {
    if (this.badTimeSaid) return;
    this.badTimeSaid = true;
    this.warnings.push({ code: 'bad-time', message: `pcapng: block at offset ${this.offset + off}: ${what}`, offset: this.offset + off });
  }

  end(): void {
    if (this.pendingLen > 0) {
      const what = this.need > 0 ? `a ${this.need}-byte block` : 'a block header';
      this.warnings.push({
        code: 'truncated',
        message: `capture cut short: ${what} at offset ${this.offset} has only ${this.pendingLen} bytes (packets before it were read)`,
        offset: this.offset,
      });
      this.pending = [];
      this.pendingLen = 0;
    }
  }

  private block(buf: Buffer, off: number, len: number, type: number): void {
    switch (type) {
      case BT_EPB:
        return this.packetBlock(buf, off, len, this.u32(buf, off + 8));
      case BT_PB:
        return this.packetBlock(buf, off, len, this.u16(buf, off + 8));
      case BT_SPB:
        return this.simplePacket(buf, off, len);
      case BT_IDB:
        return this.interfaceBlock(buf, off, len);
      case BT_SHB:
        return this.sectionHeader(buf, off, len);
      case BT_CUSTOM_COPY:
      case BT_CUSTOM_NO_COPY:
      case BT_SYSTEMD_JOURNAL:
        // No packet, but Wireshark's wiretap returns these blocks as records and numbers them as
        // frames (epan/frame_data.c frame_data_init: REC_TYPE_CUSTOM_BLOCK, _SYSTEMD_JOURNAL_EXPORT);
        // we skip them but keep frame numbers in step with frame.number.
        this.frame++;
        return;
      default:
        // NRB, ISB, DSB and unknown blocks carry no packets: skipped by length.
        return;
    }
  }

  private sectionHeader(buf: Buffer, off: number, len: number): void {
    if (len < 28) throw new CaptureFormatError(`pcapng: section header at offset ${this.offset + off} is too short (${len} bytes)`, this.offset + off);
    const major = this.u16(buf, off + 12);
    if (major !== 1) {
      throw new CaptureFormatError(`pcapng: section at offset ${this.offset + off} has unsupported version ${major}.${this.u16(buf, off + 14)}`, this.offset + off);
    }
    if (!this.sawShb) this.info.byteOrder = this.le ? 'little' : 'big';
    this.sawShb = true;
    // Each section numbers its interfaces from 0 again.
    this.interfaces = [];
    this.info.sections = (this.info.sections ?? 0) + 1;
  }

  private interfaceBlock(buf: Buffer, off: number, len: number): void {
    if (len < 20) throw new CaptureFormatError(`pcapng: interface block at offset ${this.offset + off} is too short`, this.offset + off);
    const iface: Interface = {
      linkType: this.u16(buf, off + 8),
      snaplen: this.u32(buf, off + 12),
      unitsPerSec: 1e6,
      tsOffset: 0,
    };
    const optEnd = off + len - 4;
    let o = off + 16;
    while (o + 4 <= optEnd) {
      const code = this.u16(buf, o);
      const olen = this.u16(buf, o + 2);
      if (code === OPT_ENDOFOPT) break;
      const v = o + 4;
      if (v + olen > optEnd) break;
      if (code === IF_TSRESOL && olen >= 1) {
        // MSB clear: 10^-n s; MSB set: 2^-n s (pcapng draft, if_tsresol).
        const r = buf[v];
        // Units per second must fit the 64-bit timestamp: Wireshark (wiretap/pcapng.c,
        // pcapng_read_if_descr_block) refuses 2^-n for n >= 64 and 10^-n for n >= 20; such an
        // interface keeps the default microseconds, said once.
        const exp = r & 0x7f;
        if (r & 0x80 ? exp < 64 : exp < 20) iface.unitsPerSec = r & 0x80 ? 2 ** exp : 10 ** exp;
        else this.badTime(off, `if_tsresol 0x${r.toString(16).padStart(2, '0')} is out of range: microseconds assumed`);
      } else if (code === IF_TSOFFSET && olen >= 8) {
        const hi = this.le ? buf.readInt32LE(v + 4) : buf.readInt32BE(v);
        const lo = this.le ? buf.readUInt32LE(v) : buf.readUInt32BE(v + 4);
        iface.tsOffset = hi * 4294967296 + lo;
      }
      o = v + ((olen + 3) & ~3);
    }
    this.interfaces.push(iface);
    if (!this.info.linkTypes.includes(iface.linkType)) this.info.linkTypes.push(iface.linkType);
    if (this.info.snaplen === undefined) this.info.snaplen = iface.snaplen;
  }

  /** EPB (interface id u32) and obsolete PB (interface id u16 + drops u16) share this layout. */
  private packetBlock(buf: Buffer, off: number, len: number, ifId: number): void {
    if (len < 32) throw new CaptureFormatError(`pcapng: packet block at offset ${this.offset + off} is too short`, this.offset + off);
    const iface = this.interfaces[ifId];
    const capLen = this.u32(buf, off + 20);
    const origLen = this.u32(buf, off + 24);
    if (capLen > len - 32) {
      throw new CaptureFormatError(
        `pcapng: packet block at offset ${this.offset + off} claims ${capLen} captured bytes in a ${len}-byte block`,
        this.offset + off,
      );
    }
    if (iface === undefined) {
      const k = this.noInterface;
      if (k === undefined) this.noInterface = this.firstSkipped(off, ifId, `pcapng: packet at offset ${this.offset + off} names interface ${ifId}, but the section has ${this.interfaces.length}: skipped`);
      else {
        oneMore(k, ifId);
        k.warning.message = `${k.first}, as ${k.more === 1 ? 'was 1 more packet' : `were ${k.more} more packets`} naming an interface their section lacks (${k.low === k.high ? `interface ${k.low}` : `interfaces ${k.low} to ${k.high}`})`;
      }
      return;
    }
    const hi = this.u32(buf, off + 12);
    const lo = this.u32(buf, off + 16);
    let ts = (hi * 4294967296 + lo) / iface.unitsPerSec + iface.tsOffset;
    // A time no clock can show (an if_tsoffset of 2^62 s, a damaged timestamp): said once, and
    // the packet read at the time of the one before it, so every time printed stays a time.
    if (!(Math.abs(ts) <= MAX_TS)) {
      this.badTime(off, `packet time ${Number.isFinite(ts) ? ts.toExponential(3) : ts} s is out of range (if_tsoffset ${iface.tsOffset}): read as the previous packet's time`);
      ts = this.lastTs;
    }
    this.lastTs = ts;
    this.onPacket({
      frame: ++this.frame,
      ts,
      linkType: iface.linkType,
      data: buf.subarray(off + 28, off + 28 + capLen),
      origLen: Math.max(origLen, capLen),
    });
  }

  private simplePacket(buf: Buffer, off: number, len: number): void {
    if (len < 16) throw new CaptureFormatError(`pcapng: simple packet block at offset ${this.offset + off} is too short`, this.offset + off);
    const iface = this.interfaces[0];
    if (iface === undefined) {
      const k = this.noInterfaceSpb;
      if (k === undefined) this.noInterfaceSpb = this.firstSkipped(off, 0, `pcapng: simple packet at offset ${this.offset + off} before any interface: skipped`);
      else {
        oneMore(k, 0);
        k.warning.message = `${k.first}, as ${k.more === 1 ? 'was 1 more simple packet' : `were ${k.more} more simple packets`} before an interface`;
      }
      return;
    }
    const origLen = this.u32(buf, off + 8);
    // No captured length field: min(original length, snaplen, what the block holds).
    let capLen = Math.min(origLen, len - 16);
    if (iface.snaplen !== 0) capLen = Math.min(capLen, iface.snaplen);
    this.onPacket({
      frame: ++this.frame,
      // An SPB has no timestamp; we reuse the previous packet's time so spans stay sane.
      ts: this.lastTs,
      linkType: iface.linkType,
      data: buf.subarray(off + 12, off + 12 + capLen),
      origLen,
    });
  }

  /** The first packet skipped for a reason (at `off`, naming interface `ifId`): its warning, saying `first`. */
  private firstSkipped(off: number, ifId: number, first: string): Skipped {
    const warning: CaptureWarning = { code: 'bad-block', message: first, offset: this.offset + off };
    this.warnings.push(warning);
    return { warning, first, more: 0, low: ifId, high: ifId };
  }

  // Plain byte arithmetic rather than Buffer#readUInt*, which validates its offset on every call.
  private u32(buf: Buffer, at: number): number {
    return this.le
      ? (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) >>> 0
      : ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
  }

  private u16(buf: Buffer, at: number): number {
    return this.le ? buf[at] | (buf[at + 1] << 8) : (buf[at] << 8) | buf[at + 1];
  }
}
