/**
 * openCapture: sniff the input by magic (gzip → gunzip → sniff again), then frame it with a pcap
 * framer (our direct loop, or pcap-parser behind its adapter) or the pcapng block reader. Streaming in 1 MiB chunks; nothing holds more
 * than one chunk plus one incomplete record/block.
 */
import { close as closeFd, createReadStream, fstat, open as openFd, read as readFd, type ReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { CaptureInfo, CaptureWarning, Packet } from './types.js';
import { CaptureFormatError } from './types.js';
import { sniff } from './sniff.js';
import { PCAP_HEADER_LEN, PcapFramer, microsecondMagic, parsePcapHeader, readPcapWithParser, type PcapHeader } from './pcap.js';
import { PcapngFramer } from './pcapng.js';

/** Read size: 1 MiB chunks were worth +30% over 64 KiB with pcap-parser (anchors §4.1). */
export const CHUNK_SIZE = 1 << 20;

/**
 * Classic pcap framing by default. Measured with scripts/bench-capture.mjs (520 MB, 2.66 M packets,
 * CPU time on this 2-core machine): pcap-parser frames at 320-380 MB/s before any decoding
 * (~265 MB/s with net/ decoding), below the 500 MB/s target for this layer; our direct loop frames
 * at ~1 GB/s (~555 MB/s with decoding). Both give identical packets and warnings (tested on every
 * fixture); pass `pcapEngine: 'pcap-parser'` to use the designated package.
 */
export const DEFAULT_PCAP_ENGINE: 'pcap-parser' | 'direct' = 'direct';

export interface OpenCaptureOptions {
  /** Stream to read when the source is '-' (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Name used in messages (default: the path, or 'stdin'). */
  name?: string;
  /**
   * Classic pcap framing: 'direct' (default: our own record loop, see DEFAULT_PCAP_ENGINE) or
   * 'pcap-parser' (the designated package behind our adapter).
   */
  pcapEngine?: 'pcap-parser' | 'direct';
  /** Decompressed bytes after which the gzip expansion bound applies (default GZIP_RATIO_FROM). */
  gzipRatioFrom?: number;
}

export interface CaptureReader {
  /** Known once openCapture resolves; pcapng adds link types and sections as it reads IDBs/SHBs. */
  readonly info: CaptureInfo;
  /** Filled while reading; a truncation warning is added at the end. */
  readonly warnings: CaptureWarning[];
  /** Bytes read from the file (compressed bytes for a .gz file), for progress. */
  readonly bytesRead: number;
  /** Total file size when known (a regular file), for progress. */
  readonly sizeHint?: number;
  /**
   * Records numbered so far: the frame.number of the last record, which for pcapng also counts
   * custom / systemd-journal blocks after the last packet (Wireshark numbers them as frames).
   */
  readonly frames: number;
  /**
   * Push form (the fast one): calls `onPacket` synchronously for every packet, in file order.
   * Resolves at the end of input (truncation → a warning, not an error); rejects with
   * CaptureFormatError on a corrupt record and with the I/O error on read failures.
   * Packet data are views into read buffers that are reused, and the Packet object itself may be
   * reused for the next packet: copy what you keep. Call once.
   */
  read(onPacket: (p: Packet) => void): Promise<void>;
  /** Pull form, with backpressure (pauses reading while packets wait). Call once, instead of read(). */
  [Symbol.asyncIterator](): AsyncIterator<Packet>;
  /** Stops reading and releases the file. */
  close(): void;
}

interface Head {
  /** The first bytes as read (at least `n` unless the input is shorter). */
  head: Buffer;
  /** Where to read from now: the same stream with `fix(head)` put back in front, or a new one. */
  src: Readable;
}

/**
 * Reads at least `n` bytes (or up to the end) from a paused stream, then puts `fix(head)` back in
 * front of it. The unshift happens inside the 'readable' handler on purpose: read() may already
 * have scheduled 'end' for the next tick, and an unshift after that event is an error.
 */
function readHead(stream: Readable, n: number, fix: (head: Buffer) => Buffer): Promise<Head> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let len = 0;
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onReadable = () => {
      let c: Buffer | null;
      while (len < n && (c = stream.read() as Buffer | null) !== null) {
        parts.push(c);
        len += c.length;
      }
      if (len >= n) {
        cleanup();
        const head = Buffer.concat(parts, len);
        stream.unshift(fix(head));
        resolve({ head, src: stream });
      }
    };
    const onEnd = () => {
      cleanup();
      const head = Buffer.concat(parts, len);
      resolve({ head, src: Readable.from(head.length > 0 ? [fix(head)] : [], { objectMode: false }) });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

const ioErrors = new WeakSet<Error>();

/**
 * Opens a capture (path, or '-' for stdin), reads and checks its header.
 * Rejects with CaptureFormatError (message names the input and what was found) when it is not a
 * capture we can read, and with the I/O error (ENOENT, EACCES, EISDIR…) when it cannot be read.
 */
export async function openCapture(source: string, opts: OpenCaptureOptions = {}): Promise<CaptureReader> {
  const name = opts.name ?? (source === '-' ? 'stdin' : source);
  let file: ReadStream | undefined;
  let raw: Readable;
  if (source === '-') {
    raw = (opts.stdin ?? process.stdin) as Readable;
  } else {
    file = createReadStream(source, { highWaterMark: CHUNK_SIZE });
    raw = file;
  }
  let sizeHint: number | undefined;
  /** Compressed bytes that went into gunzip (for the expansion bound, GZIP_MAX_RATIO). */
  let compressed = 0;
  const streams: Readable[] = [raw];
  const destroy = () => {
    for (const s of streams) if (s !== process.stdin) s.destroy();
  };
  file?.once('open', (fd: number) => {
    fstat(fd, (err, st) => {
      if (!err && st.isFile()) sizeHint = st.size;
    });
  });

  // pcap-parser knows only the microsecond magics: rewrite a nanosecond one before it sees it.
  const engine = opts.pcapEngine ?? DEFAULT_PCAP_ENGINE;
  const fix = (head: Buffer): Buffer => {
    const s = sniff(head);
    return s.kind === 'pcap' && s.nanos && engine === 'pcap-parser' ? microsecondMagic(head) : head;
  };
  try {
    let h = await readHead(raw, PCAP_HEADER_LEN, fix);
    let sniffed = sniff(h.head);
    let gzip = false;
    if (sniffed.kind === 'gzip') {
      gzip = true;
      const gunzip = createGunzip({ chunkSize: CHUNK_SIZE });
      streams.push(gunzip);
      const rawSrc = h.src;
      if (rawSrc !== raw) streams.push(rawSrc);
      rawSrc.on('error', (err) => {
        ioErrors.add(err);
        gunzip.destroy(err);
      });
      rawSrc.on('data', (c: Buffer) => {
        compressed += c.length;
      });
      rawSrc.pipe(gunzip);
      try {
        h = await readHead(gunzip, PCAP_HEADER_LEN, fix);
      } catch (err) {
        if (err instanceof Error && ioErrors.has(err)) throw err;
        throw new CaptureFormatError(`${name}: gzip-compressed, but the gzip data is broken (${(err as Error).message})`);
      }
      sniffed = sniff(h.head);
      if (sniffed.kind === 'unknown' || sniffed.kind === 'gzip') {
        const what = sniffed.kind === 'gzip' ? 'gzip again (decompress it once first)' : sniffed.what === 'empty file' ? 'nothing' : sniffed.what;
        throw new CaptureFormatError(`${name}: gzip-compressed, but not a capture inside: ${what}`);
      }
    } else if (sniffed.kind === 'unknown') {
      throw new CaptureFormatError(`${name}: not a capture: ${sniffed.what}`);
    }
    const src = h.src;
    if (!streams.includes(src)) streams.push(src);

    const info: CaptureInfo = {
      format: 'pcapng',
      gzip,
      byteOrder: 'little',
      linkTypes: [],
    };
    let pcapHeader: PcapHeader | undefined;
    if (sniffed.kind === 'pcap') {
      if (h.head.length < PCAP_HEADER_LEN) {
        throw new CaptureFormatError(`${name}: pcap file header cut short (${h.head.length} of ${PCAP_HEADER_LEN} bytes)`);
      }
      pcapHeader = parsePcapHeader(h.head);
      if (pcapHeader.versionMajor !== 2) {
        throw new CaptureFormatError(`${name}: pcap version ${pcapHeader.versionMajor}.${pcapHeader.versionMinor} is not supported (expected 2.4)`);
      }
      info.format = pcapHeader.nanos ? 'pcap-ns' : 'pcap';
      info.byteOrder = pcapHeader.byteOrder;
      info.linkTypes.push(pcapHeader.linkType);
      info.snaplen = pcapHeader.snaplen;
    } else if (h.head.length >= 12) {
      info.byteOrder = h.head.readUInt32BE(8) === 0x1a2b3c4d ? 'big' : 'little';
    }
    return new Reader(name, src, file, info, pcapHeader, engine, destroy, () => sizeHint, file !== undefined && !gzip ? source : undefined, gzip ? { compressed: () => compressed, from: opts.gzipRatioFrom ?? GZIP_RATIO_FROM } : undefined);
  } catch (err) {
    destroy();
    throw err;
  }
}

/**
 * gzip expands at most about 1032-fold, and only data that is nothing but runs (zeros): real captures
 * compress 2- to 20-fold, a capture of identical keepalives perhaps 100-fold. Past GZIP_MAX_RATIO (after
 * GZIP_RATIO_FROM decompressed bytes, so a small file never trips it) the input is a gzip bomb or a
 * capture of nothing: reading stops there with a warning, like a cut capture, instead of working
 * through gigabytes of empty records.
 */
export const GZIP_MAX_RATIO = 500;
export const GZIP_RATIO_FROM = 256 * 1024 * 1024;

function gzipBomb(out: number, compressed: number): CaptureWarning {
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  return {
    code: 'truncated',
    message: `the gzip data expands more than ${GZIP_MAX_RATIO}-fold (${mb(out)} from ${compressed < 1048576 ? `${(compressed / 1024).toFixed(0)} kB` : mb(compressed)}): a gzip bomb or a capture of nothing, not real traffic; reading stopped there (the packets before it were read)`,
    offset: out,
  };
}

/** An error from gunzip that means "the compressed data stops or breaks here": a warning, not a failure. */
function gzipSoftError(err: Error): CaptureWarning | undefined {
  if (ioErrors.has(err)) return undefined;
  const code = (err as Error & { code?: string }).code ?? '';
  if (!code.startsWith('Z_') && !/unexpected end of file|incorrect header check|invalid/i.test(err.message)) return undefined;
  return {
    code: 'truncated',
    message: `gzip stream ${/unexpected end/i.test(err.message) ? 'cut short' : `broken (${err.message})`}; packets before that point were read`,
  };
}

class Reader implements CaptureReader {
  readonly warnings: CaptureWarning[] = [];
  private started = false;
  private decompressed = 0;
  private framer: { readonly frames: number } | undefined;
  private lastFrame = 0;
  /** An error the source emitted before read() was called (kept so it is neither lost nor uncaught). */
  private earlyError: Error | undefined;
  private readonly onEarlyError = (err: Error) => {
    this.earlyError ??= err;
  };
  /** Direct file reading (see readFile): bytes read so far, and the descriptor while open. */
  private fileBytes = -1;
  private fd = -1;
  private closed = false;
  /** A positional read is under way: the descriptor is closed when it returns, not under it. */
  private reading = false;

  constructor(
    private readonly name: string,
    private readonly src: Readable,
    private readonly file: ReadStream | undefined,
    readonly info: CaptureInfo,
    private readonly pcapHeader: PcapHeader | undefined,
    private readonly engine: 'pcap-parser' | 'direct',
    private readonly destroyAll: () => void,
    private readonly size: () => number | undefined,
    /** The path of a plain (not gzip) file: read() may then read it directly into reused buffers. */
    private readonly path?: string,
    /** gzip input only: compressed bytes read so far, and where the expansion bound starts. */
    private readonly bomb?: { compressed: () => number; from: number },
  ) {
    src.on('error', this.onEarlyError);
  }

  get bytesRead(): number {
    if (this.fileBytes >= 0) return this.fileBytes;
    return this.file ? this.file.bytesRead : this.decompressed;
  }

  get sizeHint(): number | undefined {
    return this.size();
  }

  get frames(): number {
    return this.framer ? this.framer.frames : this.lastFrame;
  }

  close(): void {
    this.closed = true;
    this.destroyAll();
    this.closeFd();
  }

  private closeFd(): void {
    if (this.fd >= 0 && !this.reading) {
      closeFd(this.fd, () => {});
      this.fd = -1;
    }
  }

  read(onPacket: (p: Packet) => void): Promise<void> {
    return this.readWith(onPacket, true);
  }

  /**
   * `direct`: the callback keeps nothing past each call (read()'s contract), so a regular file may be
   * read straight into two reused buffers; the async iterator queues packets and passes false.
   */
  private readWith(onPacket: (p: Packet) => void, direct: boolean): Promise<void> {
    if (this.started) return Promise.reject(new Error('CaptureReader.read: already reading'));
    this.started = true;
    this.src.off('error', this.onEarlyError);
    const softError = this.info.gzip ? (err: Error) => gzipSoftError(err) : undefined;
    if (this.earlyError !== undefined) {
      // The source failed before anyone read it (a tiny broken .gz read late): nothing more will come.
      const soft = softError?.(this.earlyError);
      if (soft === undefined) return Promise.reject(this.earlyError);
      this.warnings.push(soft);
      return Promise.resolve();
    }
    if (this.pcapHeader && this.engine === 'pcap-parser') {
      return readPcapWithParser(this.src, {
        name: this.name,
        header: this.pcapHeader,
        info: this.info,
        warnings: this.warnings,
        onPacket: (p) => {
          this.lastFrame = p.frame;
          onPacket(p);
        },
        destroy: this.destroyAll,
        onBytes: (n) => {
          this.decompressed += n;
          const bomb = this.bomb;
          if (bomb === undefined || this.decompressed < bomb.from || this.decompressed <= GZIP_MAX_RATIO * bomb.compressed()) return false;
          this.warnings.push(gzipBomb(this.decompressed, bomb.compressed()));
          return true;
        },
        softError,
      }).then(() => undefined);
    }
    const framer = this.pcapHeader
      ? new PcapFramer(this.name, this.pcapHeader, this.warnings, onPacket, true)
      : new PcapngFramer(this.info, this.warnings, onPacket);
    this.framer = framer;
    const name = this.name;
    // A regular file (its size is known) read by a framer of ours: no stream at all (see readFile).
    if (direct && this.path !== undefined && this.size() !== undefined) {
      this.destroyAll();
      return this.readFile(this.path, framer);
    }
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const src = this.src;
      const fail = (err: unknown) => {
        if (done) return;
        done = true;
        this.destroyAll();
        if (err instanceof CaptureFormatError && !err.message.startsWith(`${name}:`)) {
          reject(new CaptureFormatError(`${name}: ${err.message}`, err.offset));
        } else reject(err instanceof Error ? err : new Error(String(err)));
      };
      const finish = () => {
        if (done) return;
        done = true;
        framer.end();
        resolve();
      };
      const bomb = this.bomb;
      src.on('data', (chunk: Buffer) => {
        if (done) return;
        this.decompressed += chunk.length;
        if (bomb !== undefined && this.decompressed >= bomb.from && this.decompressed > GZIP_MAX_RATIO * bomb.compressed()) {
          this.warnings.push(gzipBomb(this.decompressed, bomb.compressed()));
          // Stopped on purpose: a record cut by the stop is not a cut capture (no framer.end()).
          done = true;
          this.destroyAll();
          resolve();
          return;
        }
        try {
          framer.push(chunk);
        } catch (err) {
          fail(err);
        }
      });
      src.on('end', finish);
      src.on('error', (err: Error) => {
        const soft = softError?.(err);
        if (soft && !done) {
          this.warnings.push(soft);
          finish();
        } else fail(err);
      });
      src.resume();
    });
  }

  /**
   * Reads a regular file with positional reads into two buffers used in turn: while the framer works
   * on one, the next read fills the other. A read stream hands out a fresh 1 MiB buffer per chunk,
   * and on a 1 GB capture those allocations (page faults, GC of external memory) cost more CPU than
   * framing the packets. The framers copy what they keep past a push (an incomplete record).
   */
  private readFile(path: string, framer: PcapFramer | PcapngFramer): Promise<void> {
    const name = this.name;
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const fail = (err: unknown) => {
        if (done) return;
        done = true;
        this.closeFd();
        if (err instanceof CaptureFormatError && !err.message.startsWith(`${name}:`)) {
          reject(new CaptureFormatError(`${name}: ${err.message}`, err.offset));
        } else reject(err instanceof Error ? err : new Error(String(err)));
      };
      openFd(path, 'r', (err, fd) => {
        if (err) return fail(err);
        if (this.closed) {
          closeFd(fd, () => {});
          return fail(new Error('CaptureReader: closed'));
        }
        this.fd = fd;
        this.fileBytes = 0;
        const bufs = [Buffer.allocUnsafeSlow(CHUNK_SIZE), Buffer.allocUnsafeSlow(CHUNK_SIZE)];
        let pos = 0;
        const start = (i: number) => {
          this.reading = true;
          readFd(fd, bufs[i], 0, CHUNK_SIZE, pos, (rerr, n) => {
            this.reading = false;
            onRead(i, rerr, n);
          });
        };
        const onRead = (i: number, rerr: NodeJS.ErrnoException | null, n: number) => {
          if (done) {
            this.closeFd();
            return;
          }
          if (this.closed) return fail(new Error('CaptureReader: closed'));
          if (rerr) return fail(rerr);
          if (n === 0) {
            done = true;
            this.closeFd();
            framer.end();
            resolve();
            return;
          }
          pos += n;
          this.fileBytes = pos;
          // The other buffer is free (its bytes were framed before this callback could run).
          start(i ^ 1);
          try {
            framer.push(n === CHUNK_SIZE ? bufs[i] : bufs[i].subarray(0, n));
          } catch (e) {
            fail(e);
          }
        };
        start(0);
      });
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Packet> {
    const HIGH = 4096;
    const queue: Packet[] = [];
    let head = 0;
    let finished = false;
    let failure: unknown;
    let paused = false;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.readWith((p) => {
      // The framer reuses its Packet object: queue a copy (the data view stays valid: no buffer
      // reuse on this path).
      queue.push({ frame: p.frame, ts: p.ts, linkType: p.linkType, data: p.data, origLen: p.origLen });
      if (!paused && queue.length - head >= HIGH) {
        paused = true;
        this.src.pause();
      }
      notify();
    }, false).then(
      () => {
        finished = true;
        notify();
      },
      (err: unknown) => {
        failure = err;
        finished = true;
        notify();
      },
    );
    const next = async (): Promise<IteratorResult<Packet>> => {
      for (;;) {
        if (head < queue.length) {
          const p = queue[head++];
          if (head > 1024 && head * 2 > queue.length) {
            queue.splice(0, head);
            head = 0;
          }
          if (paused && queue.length - head < HIGH / 2) {
            paused = false;
            this.src.resume();
          }
          return { value: p, done: false };
        }
        if (finished) {
          if (failure !== undefined) {
            const f = failure;
            failure = undefined;
            throw f;
          }
          return { value: undefined, done: true };
        }
        if (paused) {
          paused = false;
          this.src.resume();
        }
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    };
    return {
      next,
      return: async () => {
        finished = true;
        this.destroyAll();
        return { value: undefined, done: true };
      },
    };
  }
}
