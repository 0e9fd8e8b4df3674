/**
 * Classic pcap (draft-ietf-opsawg-pcap): our direct record loop (PcapFramer, the default) and the
 * designated `pcap-parser` package behind an adapter that adds what it lacks (anchors §3.1, each point verified against its lib/pcap-parser.js):
 * - nanosecond files: pcap-parser knows only a1b2c3d4/d4c3b2a1, so the caller rewrites the ns magic
 *   in the file header before the bytes reach it (see `microsecondMagic`) and we scale the fraction;
 * - a length guard: on an impossible record length pcap-parser would concatenate chunks until EOF
 *   (13 s on a 53 MB file); we stop at the record header with a CaptureFormatError;
 * - truncation: pcap-parser silently drops a cut final record; we count the bytes it was given and
 *   warn about the missing tail.
 * The file header itself is parsed by `parsePcapHeader` from the sniffed head (pcap-parser's own
 * version check only rejects when both numbers differ).
 */
import type { Readable } from 'node:stream';
import { parse } from 'pcap-parser';
import type { CaptureInfo, CaptureWarning, Packet } from './types.js';
import { CaptureFormatError } from './types.js';

export const PCAP_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

/**
 * Largest record we accept: Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD (262144) unless the file's
 * snaplen says more (capped, so a corrupt snaplen cannot disable the guard).
 */
export function maxRecordLength(snaplen: number): number {
  return Math.max(262144, Math.min(snaplen, 16 * 1024 * 1024));
}

export interface PcapHeader {
  byteOrder: 'little' | 'big';
  nanos: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
}

/** Reads the 24-byte file header (`head` must hold at least 24 bytes and start with a pcap magic). */
export function parsePcapHeader(head: Buffer): PcapHeader {
  const magic = head.readUInt32BE(0);
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const nanos = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u16 = (o: number) => (le ? head.readUInt16LE(o) : head.readUInt16BE(o));
  const u32 = (o: number) => (le ? head.readUInt32LE(o) : head.readUInt32BE(o));
  return {
    byteOrder: le ? 'little' : 'big',
    nanos,
    versionMajor: u16(4),
    versionMinor: u16(6),
    snaplen: u32(16),
    // Upper bits may carry FCS information (libpcap LT_LINKTYPE masks with 0x03FFFFFF).
    linkType: u32(20) & 0x03ffffff,
  };
}

/** A copy of `head` whose nanosecond magic is replaced by the microsecond one of the same byte order. */
export function microsecondMagic(head: Buffer): Buffer {
  const copy = Buffer.from(head);
  const magic = copy.readUInt32BE(0);
  if (magic === 0x4d3cb2a1) copy.writeUInt32BE(0xd4c3b2a1, 0);
  else if (magic === 0xa1b23c4d) copy.writeUInt32BE(0xa1b2c3d4, 0);
  return copy;
}

export interface PcapReadContext {
  name: string;
  header: PcapHeader;
  info: CaptureInfo;
  warnings: CaptureWarning[];
  onPacket: (p: Packet) => void;
  /** Stops the whole source chain (file stream, gunzip). */
  destroy: () => void;
  /**
   * Called for each chunk handed to the parser (bytes of the decompressed stream); true stops reading
   * there, as at the end of the input (the gzip expansion bound: the caller has said why).
   */
  onBytes?: (n: number) => boolean;
  /** An error from the source that is not an I/O error (a gzip stream cut short) ends reading with a warning. */
  softError?: (err: Error) => CaptureWarning | undefined;
}

/**
 * Runs pcap-parser over `src` (whose first bytes are the file header, ns magic already rewritten).
 * Resolves when the input ends, rejects on I/O errors and impossible records.
 */
export function readPcapWithParser(src: Readable, ctx: PcapReadContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const { header, warnings, onPacket } = ctx;
    const scale = header.nanos ? 1e-9 : 1e-6;
    const limit = maxRecordLength(header.snaplen);
    const linkType = header.linkType;
    let frame = 0;
    let seen = 0; // bytes handed to pcap-parser
    let consumed = PCAP_HEADER_LEN; // bytes of complete records (+ file header)
    let pendingHeader: { caplen: number; at: number } | null = null;
    let done = false;

    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      if (err) {
        ctx.destroy();
        reject(err);
        return;
      }
      if (seen > consumed) {
        const missing = seen - consumed;
        const message =
          pendingHeader !== null
            ? `capture cut short: record ${frame + 1} at offset ${consumed} declares ${pendingHeader.caplen} bytes, only ${missing - RECORD_HEADER_LEN} present (packets before it were read)`
            : `capture cut short: ${missing} stray byte${missing === 1 ? '' : 's'} at offset ${consumed}, less than a record header (packets before it were read)`;
        warnings.push({ code: 'truncated', message, offset: consumed });
      }
      resolve(frame);
    };

    const parser = parse(src);
    // Our listener is added after pcap-parser's, so it runs once the chunk has been parsed.
    src.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (ctx.onBytes?.(chunk.length) === true && !done) {
        // Stopped on purpose: a record cut by the stop is not a cut capture.
        done = true;
        ctx.destroy();
        resolve(frame);
      }
    });
    parser.on('packetHeader', (h) => {
      if (done) return;
      if (h.capturedLength > limit) {
        finish(
          new CaptureFormatError(
            `${ctx.name}: record ${frame + 1} at offset ${consumed} claims ${h.capturedLength} captured bytes (at most ${limit} possible): the file is corrupt from there on`,
            consumed,
          ),
        );
        return;
      }
      pendingHeader = { caplen: h.capturedLength, at: consumed };
    });
    parser.on('packet', (p) => {
      if (done) return;
      const h = p.header;
      consumed += RECORD_HEADER_LEN + h.capturedLength;
      pendingHeader = null;
      try {
        onPacket({
          frame: ++frame,
          ts: h.timestampSeconds + h.timestampMicroseconds * scale,
          linkType,
          data: p.data,
          origLen: h.originalLength >= h.capturedLength ? h.originalLength : h.capturedLength,
        });
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    });
    parser.on('error', (err) => {
      if (done) return;
      const soft = ctx.softError?.(err);
      if (soft) {
        warnings.push(soft);
        // The bytes parsed so far are good; the cut record (if any) is reported by finish().
        finish();
        return;
      }
      finish(err.message.startsWith('unknown magic') || err.message.startsWith('unsupported version') ? new CaptureFormatError(`${ctx.name}: ${err.message}`) : err);
    });
    parser.on('end', () => finish());
  });
}

const NO_BYTES = Buffer.alloc(0);

/**
 * The Packet a PcapFramer with `reusePacket` hands out for every record: the record's bytes are
 * given in place (`bytes`, `start`, `caplen`) and the `data` view is made only when read (most
 * packets are decoded in place by net/ decodeTcp and never need it).
 */
class InPlacePacket implements Packet {
  frame = 0;
  ts = 0;
  linkType = 0;
  origLen = 0;
  bytes: Buffer = NO_BYTES;
  start = 0;
  caplen = 0;
  private view: Buffer | null = null;

  get data(): Buffer {
    return (this.view ??= this.bytes.subarray(this.start, this.start + this.caplen));
  }

  /** This record's bytes (the view of the previous one is dropped). */
  place(bytes: Buffer, start: number, caplen: number): void {
    this.bytes = bytes;
    this.start = start;
    this.caplen = caplen;
    this.view = null;
  }
}

/**
 * The direct pcap record loop (the default engine, see DEFAULT_PCAP_ENGINE in reader.ts): same
 * guard and truncation rules as the pcap-parser adapter, no per-chunk copy (only a record that
 * straddles two chunks is joined), no per-packet events.
 */
export class PcapFramer {
  private tail: Buffer | null = null;
  private frame = 0;
  private offset = 0;
  private readonly le: boolean;
  private readonly scale: number;
  private readonly limit: number;
  private headerDone = false;
  /** The one Packet handed out for every record when `reusePacket` is set. */
  private readonly pkt = new InPlacePacket();

  /**
   * @param reusePacket hand the same Packet object for every record, its fields overwritten: for
   *   callers that keep nothing of it past onPacket (one allocation less per packet).
   */
  constructor(
    private readonly name: string,
    private readonly header: PcapHeader,
    private readonly warnings: CaptureWarning[],
    private readonly onPacket: (p: Packet) => void,
    private readonly reusePacket = false,
  ) {
    this.le = header.byteOrder === 'little';
    this.scale = header.nanos ? 1e-9 : 1e-6;
    this.limit = maxRecordLength(header.snaplen);
  }

  get frames(): number {
    return this.frame;
  }

  /**
   * Frames every complete record in `chunk`. The chunk may be a read buffer the caller reuses: what
   * is kept past this call (an incomplete record at the end) is copied. A record that straddles two
   * chunks is joined on its own (one small copy), not by joining the whole chunk to the tail.
   */
  push(chunk: Buffer): void {
    let buf = chunk;
    let off = 0;
    if (this.tail !== null) {
      const t = this.tail;
      if (!this.headerDone) {
        buf = Buffer.concat([t, chunk]);
        this.tail = null;
      } else {
        // Complete the straddling record from the head of this chunk.
        const hdrNeed = RECORD_HEADER_LEN - t.length;
        if (hdrNeed > 0 && chunk.length < hdrNeed) {
          this.tail = Buffer.concat([t, chunk]);
          return;
        }
        const hdr = hdrNeed > 0 ? Buffer.concat([t, chunk.subarray(0, hdrNeed)]) : t;
        const caplen = this.le ? hdr.readUInt32LE(8) : hdr.readUInt32BE(8);
        this.checkLength(caplen);
        const fromChunk = RECORD_HEADER_LEN + caplen - t.length;
        if (chunk.length < fromChunk) {
          this.tail = Buffer.concat([t, chunk]);
          return;
        }
        const rec = Buffer.concat([t, chunk.subarray(0, fromChunk)]);
        this.tail = null;
        this.record(rec, 0, caplen);
        off = fromChunk;
      }
    }
    if (!this.headerDone) {
      if (buf.length < PCAP_HEADER_LEN) {
        this.tail = Buffer.from(buf);
        return;
      }
      off = PCAP_HEADER_LEN;
      this.offset = PCAP_HEADER_LEN;
      this.headerDone = true;
    }
    const le = this.le;
    const end = buf.length;
    const linkType = this.header.linkType;
    const scale = this.scale;
    const limit = this.limit;
    const onPacket = this.onPacket;
    const pkt = this.reusePacket ? this.pkt : null;
    // Plain byte arithmetic: Buffer#readUInt32* validates its offset on every call, which showed
    // in profiles of this loop.
    while (end - off >= RECORD_HEADER_LEN) {
      const caplen = le
        ? (buf[off + 8] | (buf[off + 9] << 8) | (buf[off + 10] << 16) | (buf[off + 11] << 24)) >>> 0
        : ((buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]) >>> 0;
      if (caplen > limit) this.checkLength(caplen);
      const recEnd = off + RECORD_HEADER_LEN + caplen;
      if (recEnd > end) break;
      let sec: number;
      let frac: number;
      let orig: number;
      if (le) {
        sec = (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
        frac = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
        orig = (buf[off + 12] | (buf[off + 13] << 8) | (buf[off + 14] << 16) | (buf[off + 15] << 24)) >>> 0;
      } else {
        sec = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
        frac = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
        orig = ((buf[off + 12] << 24) | (buf[off + 13] << 16) | (buf[off + 14] << 8) | buf[off + 15]) >>> 0;
      }
      if (pkt !== null) {
        pkt.frame = ++this.frame;
        pkt.ts = sec + frac * scale;
        pkt.linkType = linkType;
        pkt.place(buf, off + RECORD_HEADER_LEN, caplen);
        pkt.origLen = orig >= caplen ? orig : caplen;
        onPacket(pkt);
      } else {
        onPacket({
          frame: ++this.frame,
          ts: sec + frac * scale,
          linkType,
          data: buf.subarray(off + RECORD_HEADER_LEN, recEnd),
          origLen: orig >= caplen ? orig : caplen,
        });
      }
      this.offset += recEnd - off;
      off = recEnd;
    }
    // Copied: the caller may reuse the chunk's memory for its next read.
    if (off < end) this.tail = Buffer.from(buf.subarray(off));
  }

  /** Throws on a record length no capture can have (same message wherever the record lies). */
  private checkLength(caplen: number): void {
    if (caplen > this.limit) {
      throw new CaptureFormatError(
        `${this.name}: record ${this.frame + 1} at offset ${this.offset} claims ${caplen} captured bytes (at most ${this.limit} possible): the file is corrupt from there on`,
        this.offset,
      );
    }
  }

  /** One record whose 16-byte header starts at `off` in `buf` and whose data are complete. */
  private record(buf: Buffer, off: number, caplen: number): void {
    const le = this.le;
    const sec = le ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
    const frac = le ? buf.readUInt32LE(off + 4) : buf.readUInt32BE(off + 4);
    const orig = le ? buf.readUInt32LE(off + 12) : buf.readUInt32BE(off + 12);
    const recEnd = off + RECORD_HEADER_LEN + caplen;
    this.onPacket({
      frame: ++this.frame,
      ts: sec + frac * this.scale,
      linkType: this.header.linkType,
      data: buf.subarray(off + RECORD_HEADER_LEN, recEnd),
      origLen: orig >= caplen ? orig : caplen,
    });
    this.offset += recEnd - off;
  }

  end(): void {
    if (this.tail !== null && this.tail.length > 0) {
      const t = this.tail;
      const message =
        t.length >= RECORD_HEADER_LEN
          ? `capture cut short: record ${this.frame + 1} at offset ${this.offset} declares ${this.le ? t.readUInt32LE(8) : t.readUInt32BE(8)} bytes, only ${t.length - RECORD_HEADER_LEN} present (packets before it were read)`
          : `capture cut short: ${t.length} stray byte${t.length === 1 ? '' : 's'} at offset ${this.offset}, less than a record header (packets before it were read)`;
      this.warnings.push({ code: 'truncated', message, offset: this.offset });
      this.tail = null;
    }
  }
}
