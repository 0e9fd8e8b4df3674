/**
 * Reading log sources: files (plain or gzip, detected by magic), stdin (`-`), UTF-8 with or without
 * BOM, UTF-16LE (Windows Notepad saves of ISAPI logs) and UTF-16BE, with or without a BOM. Lines are streamed through a
 * {@link LogLineReader}; nothing but the resulting events is kept.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { isAscii } from 'node:buffer';
import type { LogEvent, LogSummary } from './types.js';
import type { KnownMessage, LineContext } from './dialects/common.js';
import { LogLineReader } from './reader.js';
import { heapPop, heapPush } from '../util/min-heap.js';

/** A gzip stream that ends before its end (bytes): the lines before the cut are read, the cut one dropped. */
class GzipCut extends Error {}

/** `source` to its end, or to a gzip cut (GzipCut), which ends it with `cut.at` set. */
async function* untilCut(source: AsyncIterable<Buffer>, cut: { at: boolean }): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (err) {
    if (!(err instanceof GzipCut)) throw err;
    cut.at = true;
  }
}

async function* bytes(stream: NodeJS.ReadableStream, meter?: ReadMeter): AsyncGenerator<Buffer> {
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
  // (counted as read, before gunzip: the bytes of the input, as its size counts them)
  if (meter !== undefined) meter.bytes += head.length;
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      if (meter !== undefined) meter.bytes += b.length;
      yield b;
    }
  };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = Readable.from(rest()).pipe(createGunzip());
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      // zlib's "unexpected end of file" (Z_BUF_ERROR): a .gz cut short (a copy still being written,
      // an attachment cut at a size limit). What was inflated before the cut has been read.
      if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') throw new GzipCut();
      throw err;
    }
    return;
  }
  yield* rest();
}

/**
 * The bytes of a log file. A regular file that is not gzip is read here synchronously, into two
 * buffers used in turn (a chunk handed out stays valid while the next one is read: feedChunks keeps
 * the cut end of a chunk's last line as a view of it until it has the next chunk). Read through a
 * ReadStream it paid for a threadpool read, the stream's bookkeeping and a new buffer per chunk:
 * ~0.1 CPU-s per 100 MB, more than the reads themselves. Anything else (a FIFO, a device, a process
 * substitution; gzip, inflated by a stream), and a file that cannot be opened or read here, goes
 * through a ReadStream as before (which then says why it cannot be read).
 */
async function* fileBytes(path: string, meter?: ReadMeter): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    yield* bytes(createReadStream(path, { highWaterMark: READ_CHUNK }), meter);
    return;
  }
  try {
    const bufs = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
    let n: number;
    try {
      n = fstatSync(fd).isFile() ? readSync(fd, bufs[0], 0, READ_CHUNK, null) : -1;
    } catch {
      n = -1;
    }
    if (n < 0 || (n >= 2 && bufs[0][0] === 0x1f && bufs[0][1] === 0x8b)) {
      closeSync(fd);
      fd = -1;
      yield* bytes(createReadStream(path, { highWaterMark: READ_CHUNK }), meter);
      return;
    }
    for (let i = 0; n > 0; n = readSync(fd, bufs[i], 0, READ_CHUNK, null)) {
      if (meter !== undefined) meter.bytes += n;
      yield bufs[i].subarray(0, n);
      i ^= 1;
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** What a first chunk that is not text looks like; undefined for text (UTF-8, UTF-16 with a BOM). */
export function binaryKind(buf: Buffer): string | undefined {
  if (buf.length >= 4) {
    const m = buf.readUInt32LE(0);
    if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap capture';
    if (m === 0x0a0d0d0a) return 'pcapng capture';
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) return undefined;
  if (utf16leWithoutBom(buf) || utf16beWithoutBom(buf)) return undefined;
  const n = Math.min(buf.length, 4096);
  let nul = 0;
  for (let i = 0; i < n; i++) if (buf[i] === 0) nul++;
  // UTF-16 without a BOM has a NUL in every other byte of ASCII text: read as such by nobody here either.
  return nul > 0 ? 'binary data' : undefined;
}

/**
 * UTF-16 text without a BOM (a log saved by a Windows tool, a Java or mainframe tool's output, or cut
 * from a larger file): most characters are ASCII, so one byte of each pair is NUL and the other is
 * not: the odd bytes in little-endian, the even bytes in big-endian.
 */
function utf16WithoutBom(buf: Buffer, nulAt: 0 | 1): boolean {
  const n = Math.min(buf.length, 4096) & ~1;
  if (n < 8) return false;
  let ascii = 0;
  for (let i = 0; i < n; i += 2) if (buf[i + nulAt] === 0 && buf[i + 1 - nulAt] !== 0) ascii++;
  return ascii >= (n / 2) * 0.9;
}
export const utf16leWithoutBom = (buf: Buffer): boolean => utf16WithoutBom(buf, 1);
export const utf16beWithoutBom = (buf: Buffer): boolean => utf16WithoutBom(buf, 0);

/** UTF-16BE bytes as UTF-16LE (a copy: the input's buffer is never written); an odd last byte waits in `odd` for the next chunk. */
function swapBe(buf: Buffer, odd: { byte: Buffer | null }): Buffer {
  const b = odd.byte === null ? buf : Buffer.concat([odd.byte, buf]);
  const even = b.length & ~1;
  odd.byte = even < b.length ? Buffer.from(b.subarray(even)) : null;
  const le = Buffer.from(b.subarray(0, even));
  le.swap16();
  return le;
}

/**
 * Bytes read from a log file at a time. Small enough that the text decoded from each (one string
 * per chunk, which the lines read from it point into) is an ordinary young object that dies at the
 * next scavenge: a 1 MiB chunk's string went to V8's large-object space and stayed there until a
 * full collection, ~100 MB of dead chunks at a time (peak RSS of a 5M-line log).
 */
const READ_CHUNK = 64 * 1024;

/** mod_jk truncates its lines at 8 KiB (LOG_BUFFER_SIZE); anything far longer is not a log line. */
const MAX_LINE_BYTES = 1 << 20;

/**
 * `text` = whole lines joined by `\n` (the last one without its `\n`); every one is pushed, empty
 * ones too. `plain`: the text is printable ASCII, tab, CR and LF only (reader.plainChunk); `bytes`: its
 * ASCII bytes (reader.chunkBytes).
 */
function pushLines(text: string, reader: LogLineReader, eol = '\n', plain = false, bytes?: Uint8Array): void {
  if (plain) reader.plainChunk(text);
  reader.chunkBytes(text, bytes);
  let start = 0;
  for (let nl = text.indexOf(eol, start); nl >= 0; nl = text.indexOf(eol, start)) {
    reader.push(text.slice(start, nl), text, start);
    start = nl + 1;
  }
  reader.push(start === 0 ? text : text.slice(start), text, start);
}

/**
 * UTF-8 text of `buf[start..end)`. Logs are nearly always pure ASCII, for which latin1 decoding
 * gives the same string at a quarter of the cost (a copy, no UTF-8 validation).
 */
function decode(buf: Buffer, start: number, end: number, ascii: boolean): string {
  return ascii ? buf.toString('latin1', start, end) : buf.toString('utf8', start, end);
}

/**
 * The bytes of ASCII that are not printable, tab, LF or CR (C0 controls and DEL), ESC first (ANSI
 * colours: the one a log most often has).
 */
const ODD_BYTES = [0x1b, 0x7f, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f];

/**
 * ASCII bytes none of which is an odd one: the text decoded from them is printable ASCII, tab, CR and
 * LF only, which the secret collector would otherwise look for in the text (SecretLook.plain). One
 * native byte search per odd byte (memchr) costs a third of a regex run over the decoded text.
 */
export function plainBytes(bytes: Buffer): boolean {
  for (const b of ODD_BYTES) if (bytes.indexOf(b) >= 0) return false;
  return true;
}

/**
 * Streams the lines of a byte stream into `reader`. UTF-8 chunks are cut at their last `\n` byte
 * (never inside a multi-byte character) and decoded whole, so no partial-character bookkeeping is
 * needed per chunk; UTF-16 goes through a StringDecoder (UTF-16BE swapped to LE first).
 */
export async function feedStream(stream: NodeJS.ReadableStream, reader: LogLineReader, meter?: ReadMeter): Promise<void> {
  for await (const _ of feedChunks(stream, reader, meter));
}

/** {@link feedStream} for a file path (see fileBytes). */
async function feedFile(path: string, reader: LogLineReader, meter?: ReadMeter): Promise<void> {
  for await (const _ of feedChunks(fileBytes(path, meter), reader, meter));
}

/**
 * How far a read has come, said now and then (ReadLogsOptions.onProgress): the bytes read from the
 * inputs (a gzip input's compressed bytes), their total size when every input is a regular file,
 * and the lines read.
 */
export type LogProgress = (bytesRead: number, sizeHint: number | undefined, lines: number) => void;

/** The bytes a read has taken from its inputs, and the readers whose lines it counts: told after each chunk. */
export class ReadMeter {
  bytes = 0;
  readonly readers: LogLineReader[] = [];

  constructor(
    private readonly report: LogProgress,
    private readonly total: number | undefined,
  ) {}

  tick(): void {
    let lines = 0;
    for (const r of this.readers) lines += r.summary.lines;
    this.report(this.bytes, this.total, lines);
  }
}

/** The inputs' total size: undefined when one is stdin or not a regular file (a FIFO, a device). */
export function totalSize(sources: readonly string[]): number | undefined {
  let total = 0;
  for (const s of sources) {
    if (s === '-') return undefined;
    try {
      const st = statSync(s);
      if (!st.isFile()) return undefined;
      total += st.size;
    } catch {
      // (the read says why it cannot be read)
      return undefined;
    }
  }
  return total;
}

/**
 * {@link feedStream} one chunk at a time: yields after the lines of each chunk read were pushed, so
 * that several sources can be read side by side (a merge by time pulls the one it needs next).
 */
export async function* feedChunks(stream: NodeJS.ReadableStream | AsyncIterable<Buffer>, reader: LogLineReader, meter?: ReadMeter): AsyncGenerator<void> {
  let utf16: StringDecoder | null = null;
  // UTF-16BE (BOM FE FF, or none): swapped to LE before the decoder
  let be: { byte: Buffer | null } | null = null;
  let first = true;
  let rest: Buffer | null = null;
  let carry16 = '';
  // Lines end with LF (and CRLF); a text with CRs and no LF at all in its first chunk (classic Mac
  // OS, some pastes) ends its lines with CR.
  let eol = 10;
  // The rest of a line already cut at MAX_LINE_BYTES is dropped up to its end, so that it does not
  // count as more lines (line numbers stay those of the file, from a file and from stdin alike).
  let skipping = false;
  // (a file's bytes come from fileBytes, which sniffs gzip itself; a stream's from bytes())
  const cut = { at: false };
  const source = untilCut('read' in stream ? bytes(stream, meter) : stream, cut);
  meter?.readers.push(reader);
  for await (const chunk of source) {
    // (a block to leave early: the yield after it runs for every chunk)
    chunkDone: {
      let buf = chunk;
      if (first) {
        first = false;
        const kind = binaryKind(buf);
        if (kind !== undefined) {
          // Not text: a capture given as a log, an archive, an image. Read no further.
          reader.summary.binary = kind;
          // (a file's: closed as the loop is left)
          if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
          return;
        }
        if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
          utf16 = new StringDecoder('utf16le');
          buf = buf.subarray(2);
        } else if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
          utf16 = new StringDecoder('utf16le');
          be = { byte: null };
          buf = buf.subarray(2);
        } else if (utf16beWithoutBom(buf)) {
          utf16 = new StringDecoder('utf16le');
          be = { byte: null };
        } else if (utf16leWithoutBom(buf)) {
          utf16 = new StringDecoder('utf16le');
        } else if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
          buf = buf.subarray(3);
        }
      }
      if (eol === 10 && utf16 === null && rest === null && buf.indexOf(10) < 0 && buf.indexOf(13) >= 0) eol = 13;
      if (utf16 !== null) {
        const text = carry16 + utf16.write(be === null ? buf : swapBe(buf, be));
        const last = text.lastIndexOf('\n');
        if (last < 0) {
          if (text.length > MAX_LINE_BYTES) {
            reader.push(text.slice(0, 4096));
            carry16 = '';
          } else carry16 = text;
          break chunkDone;
        }
        pushLines(text.slice(0, last), reader);
        carry16 = text.slice(last + 1);
        break chunkDone;
      }
      let start = 0;
      if (skipping) {
        const nl = buf.indexOf(eol);
        if (nl < 0) break chunkDone;
        skipping = false;
        start = nl + 1;
      }
      if (rest !== null) {
        // Finish the line cut at the previous chunk's end; only that line's bytes are copied.
        const nl = buf.indexOf(eol);
        if (nl < 0) {
          const joined = Buffer.concat([rest, buf]);
          // No newline for over a MiB (a binary file given as a log): hand it over as one
          // (unrecognised) line instead of concatenating ever larger buffers.
          if (joined.length > MAX_LINE_BYTES) {
            reader.push(joined.toString('latin1', 0, 4096));
            rest = null;
            skipping = true;
          } else rest = joined;
          break chunkDone;
        }
        reader.push(Buffer.concat([rest, buf.subarray(0, nl)]).toString('utf8'));
        rest = null;
        start = nl + 1;
      }
      const last = buf.lastIndexOf(eol);
      if (last >= start) {
        const bytes = buf.subarray(start, last);
        const ascii = isAscii(bytes);
        // (ASCII: the text is its bytes, one character a byte, see LogLineReader.chunkBytes)
        pushLines(decode(buf, start, last, ascii), reader, eol === 10 ? '\n' : '\r', ascii && plainBytes(bytes), ascii ? bytes : undefined);
      } else if (buf.length - start > MAX_LINE_BYTES) {
        reader.push(buf.toString('latin1', start, start + 4096));
        skipping = true;
        break chunkDone;
      }
      const tailStart = last >= start ? last + 1 : start;
      if (tailStart < buf.length) rest = buf.subarray(tailStart);
    }
    meter?.tick();
    yield;
  }
  if (cut.at) {
    reader.summary.cut = 'gzip data cut short: the lines before the cut were read';
    // (the line the cut went through is not whole)
    return;
  }
  if (utf16 !== null) {
    const tail = carry16 + utf16.end();
    if (tail !== '') pushLines(tail, reader);
  } else if (rest !== null && rest.length > 0) {
    pushLines(rest.toString('utf8'), reader, eol === 10 ? '\n' : '\r');
  }
}

/** Sort key of each event: its ts, or the ts of the nearest stamped event before it (after it at the file start). */
function keys(events: readonly LogEvent[]): number[] {
  const k = new Array<number>(events.length);
  let last = Number.NaN;
  for (let i = 0; i < events.length; i++) {
    const ts = events[i].ts;
    if (ts !== undefined) last = ts;
    k[i] = last;
  }
  // leading stamp-less events take the first stamp that follows
  let next = Number.NEGATIVE_INFINITY;
  for (let i = events.length - 1; i >= 0; i--) {
    if (!Number.isNaN(k[i])) next = k[i];
    else k[i] = next;
  }
  return k;
}

/**
 * Merges per-file event lists by time. Each file keeps its own order (an event without a stamp
 * stays next to its neighbours, and lines written slightly out of order by several processes are
 * not shuffled); between files the earliest head goes first, ties to the earlier file.
 */
export function mergeByTime(lists: readonly (readonly LogEvent[])[]): LogEvent[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return [...nonEmpty[0]];
  const ks = nonEmpty.map(keys);
  const idx = nonEmpty.map(() => 0);
  const out: LogEvent[] = [];
  const total = nonEmpty.reduce((n, l) => n + l.length, 0);
  while (out.length < total) {
    let best = -1;
    let bestKey = Number.POSITIVE_INFINITY;
    for (let f = 0; f < nonEmpty.length; f++) {
      const i = idx[f];
      if (i >= nonEmpty[f].length) continue;
      const key = ks[f][i];
      if (best < 0 || key < bestKey) {
        best = f;
        bestKey = key;
      }
    }
    out.push(nonEmpty[best][idx[best]++]);
  }
  return out;
}

export interface ReadLogsOptions {
  /** IANA zone or ±hh:mm; default the machine's zone. */
  tz?: string;
  /** Read for the source `-`. */
  stdin?: NodeJS.ReadableStream;
  /** "Now" for stamps without a year (tests). */
  now?: number;
  /** Keeps only the fragments (text of no known layout) this accepts; see LineContext.knownMessage. */
  knownMessage?: KnownMessage;
  /** Told after each chunk read (64 kB) how far the read has come (streamLogs). */
  onProgress?: LogProgress;
}

/** Reads one source completely; returns its events in line order and its summary. */
export async function readOne(
  source: string,
  ctx: LineContext,
  stdin?: NodeJS.ReadableStream,
): Promise<{ events: LogEvent[]; summary: LogSummary }> {
  const reader = new LogLineReader(source, ctx);
  if (source === '-') {
    if (!stdin) throw new Error('reading logs from "-" needs a stdin stream');
    await feedStream(stdin, reader);
  } else await feedFile(source, reader);
  const events = reader.end();
  return { events, summary: reader.summary };
}

/**
 * Stream mode for one source: every event goes to `onEvent` as soon as it is complete, nothing is
 * kept (flat memory for any size). Returns the summary when the source is exhausted.
 */
export async function streamLog(
  source: string,
  ctx: LineContext,
  onEvent: (ev: LogEvent) => void,
  stdin?: NodeJS.ReadableStream,
  meter?: ReadMeter,
): Promise<LogSummary> {
  const reader = new LogLineReader(source, ctx, onEvent);
  if (source === '-') {
    if (!stdin) throw new Error('reading logs from "-" needs a stdin stream');
    await feedStream(stdin, reader, meter);
  } else await feedFile(source, reader, meter);
  reader.end();
  return reader.summary;
}

/** Leading events without a stamp wait for the first stamp of their file; past this many they go by −∞ (no stamp yet). */
const MAX_UNSTAMPED_WAIT = 100_000;

/**
 * One source of a merge, as {@link mergeLanes} reads it: `read()` reads on (a chunk), its events
 * going to the `push` the source was opened with, and says false once the source is exhausted (its
 * last events pushed).
 */
export type LaneRead = () => Promise<boolean>;

/** One source being read for the merge: the events read and not yet merged, their sort keys. */
interface Lane {
  /** The source's place in the list: ties go to the earlier source. */
  at: number;
  read: LaneRead;
  queue: LogEvent[];
  keys: number[];
  head: number;
  /** The last stamp of the file so far (NaN before the first). */
  lastTs: number;
  /** Queued events still without a key (leading stamp-less events). */
  unkeyed: number;
  done: boolean;
}

/** Whether lane `a`'s head goes before lane `b`'s: the earlier key, ties to the earlier source. */
function before(a: Lane, b: Lane): boolean {
  const ka = a.keys[a.head];
  const kb = b.keys[b.head];
  return ka < kb || (ka === kb && a.at < b.at);
}

/**
 * The merge of {@link mergeStreams} over any sources: `open(i, push)` starts source `i`, whose
 * events go to `push` as they are read, and returns its {@link LaneRead}. Events go to `onEvent`
 * each file in its own order, the earliest head first, ties to the earlier source, an event without
 * a stamp keyed by the stamp before it (the first stamp after it at the file start, or −∞ when none
 * comes within `maxUnstampedWait` events).
 *
 * The lanes with events queued are kept in a binary heap by (head key, source): each pick costs
 * O(log sources). The scan it replaces looked at every lane for each run of events it emitted, and
 * time-interleaved files emit about one event a run: 200,000 lines dealt into 400 files took 22 s,
 * 800 files over 60 s. The order is the scan's (test/logs/merge-lanes.test.ts keeps the scan and
 * compares): the scan took the lane whose head key was least, the first among equals; then emitted
 * its events while each stayed before every other lane's head (a key equal to the least of the
 * others' only when no earlier lane has that key) — which is while it stays before the heap's top.
 */
export async function mergeLanes(
  count: number,
  open: (i: number, push: (ev: LogEvent) => void) => LaneRead,
  onEvent: (ev: LogEvent) => void,
  maxUnstampedWait = MAX_UNSTAMPED_WAIT,
): Promise<void> {
  // (NaN keys of a file's first events, once its first stamp is known or the file ends without one)
  const settle = (lane: Lane, key: number): void => {
    for (let i = lane.head; i < lane.keys.length; i++) if (Number.isNaN(lane.keys[i])) lane.keys[i] = key;
    lane.unkeyed = 0;
  };
  const lanes: Lane[] = [];
  for (let at = 0; at < count; at++) {
    const lane: Lane = { at, read: undefined as unknown as LaneRead, queue: [], keys: [], head: 0, lastTs: Number.NaN, unkeyed: 0, done: false };
    lane.read = open(at, (ev) => {
      const ts = ev.ts;
      let key = Number.NaN;
      if (ts !== undefined) {
        key = ts;
        if (Number.isNaN(lane.lastTs) && lane.unkeyed > 0) settle(lane, ts);
        lane.lastTs = ts;
      } else if (!Number.isNaN(lane.lastTs)) key = lane.lastTs;
      else lane.unkeyed++;
      lane.queue.push(ev);
      lane.keys.push(key);
    });
    lanes.push(lane);
  }
  /** Reads on until the lane's head has a key, or it is exhausted. */
  const fill = async (lane: Lane): Promise<void> => {
    while (!lane.done && (lane.head >= lane.queue.length || (lane.unkeyed > 0 && lane.unkeyed < maxUnstampedWait))) {
      if (!(await lane.read())) lane.done = true;
    }
    if (lane.unkeyed > 0) settle(lane, Number.NEGATIVE_INFINITY);
  };
  // Every lane is read up to its first keyed event, in source order, before the first pick. From
  // then on a lane is read only when its queue runs dry (a fill leaves no event unkeyed, and
  // emitting reads nothing), so the heap holds every lane that has events.
  const heap: Lane[] = [];
  for (const lane of lanes) {
    await fill(lane);
    if (lane.head < lane.queue.length) heapPush(heap, lane, before);
  }
  for (let best = heapPop(heap, before); best !== undefined; best = heapPop(heap, before)) {
    // Emits the best lane's events while its head stays the earliest (no await in between).
    const next = heap[0];
    do {
      const ev = best.queue[best.head];
      best.head++;
      onEvent(ev);
    } while (best.head < best.queue.length && (next === undefined || before(best, next)));
    if (best.head > 4096 && best.head * 2 > best.queue.length) {
      best.queue.splice(0, best.head);
      best.keys.splice(0, best.head);
      best.head = 0;
    }
    if (best.head >= best.queue.length) await fill(best);
    if (best.head < best.queue.length) heapPush(heap, best, before);
  }
}

/**
 * Reads several sources side by side and hands their events to `onEvent` merged by time, in the
 * order {@link mergeByTime} gives the same lists — each file in its own order, the earliest head
 * first, ties to the earlier file, an event without a stamp keyed by the stamp before it (the first
 * stamp after it at the file start) — while keeping only what has been read and not yet merged (a
 * chunk or so per source). One source is read straight through. Returns the summaries in source order.
 */
export async function mergeStreams(
  sources: readonly string[],
  ctx: LineContext,
  onEvent: (ev: LogEvent) => void,
  stdin?: NodeJS.ReadableStream,
  meter?: ReadMeter,
): Promise<LogSummary[]> {
  if (sources.length === 1) return [await streamLog(sources[0], ctx, onEvent, stdin, meter)];
  const readers: LogLineReader[] = [];
  await mergeLanes(
    sources.length,
    (i, push) => {
      const source = sources[i];
      const reader = new LogLineReader(source, ctx, push);
      readers.push(reader);
      let stream: NodeJS.ReadableStream | AsyncIterable<Buffer>;
      if (source === '-') {
        if (!stdin) throw new Error('reading logs from "-" needs a stdin stream');
        stream = stdin;
      } else stream = fileBytes(source, meter);
      const chunks = feedChunks(stream, reader, meter);
      return async () => {
        if (!(await chunks.next()).done) return true;
        reader.end();
        return false;
      };
    },
    onEvent,
  );
  return readers.map((r) => r.summary);
}
