/**
 * `timeline`'s stories set aside in a temporary file while the capture is read, and read back in
 * tcp.stream order once it has been (timeline/analyzer.ts StorySink).
 *
 * Why: `timeline` prints every connection's whole story, in stream order, but a production
 * capture's pooled connections stay open to its end, so one reading held every story at once. It
 * was read again for batches of connections instead, which made the time quadratic in the number
 * of requests: 800,000 requests on 100 pooled connections took 27 readings and 58 CPU-s. Now a story
 * event or a request cycle is kept as JSON text in a buffer shared by all connections and written to
 * the file when the buffer is full; what stays in memory per connection is where its pieces are.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AjpConnection, RequestCycle, StorySink, TimelineEvent } from '../timeline/index.js';
import { grown } from '../util/grown.js';
import { UserError } from './exit-codes.js';

/** A connection read back: its summary, and its events and cycles as they are read from the file. */
export interface SpilledStory {
  conn: AjpConnection;
  events: () => Iterable<TimelineEvent>;
  eventCount: number;
  cycles: () => Iterable<RequestCycle>;
  cycleCount: number;
}

/** A cycle without its header and attribute lists (what `timeline` shows without -V). */
export function cycleSummary(cy: RequestCycle): RequestCycle {
  return { ...cy, headers: [], attributes: [], responseHeaders: [] };
}

/** Characters buffered in all before they are written (~1 MB: held longer, the texts outlived V8's young generation). */
const FLUSH_AT = 1 << 20;

/** A connection's three kinds of text: its events, its cycles, and itself (once final). */
const EVENTS = 0;
const CYCLES = 1;
const CONN = 2;
const KINDS = 3;

/**
 * What is kept is columns, not objects: per connection (a row) and kind, the first and last of its
 * blocks in the file and how many texts; per block, its offset, length and the next block of the
 * same chain. An object per connection with two lists of blocks and two of texts was
 * ~1.5 KB for each of 200,000 open connections.
 */
export class StorySpill implements StorySink {
  private readonly dir: string;
  private readonly path: string;
  private fd: number;
  /** Bytes written so far (the next block's offset). */
  private at = 0;
  /** Bytes read back so far (stories()). */
  bytesRead = 0;
  /**
   * Each connection's row (in the order they came): tcp.stream numbers count every TCP stream of the
   * capture, and a capture of a million HTTP streams with a few AJP ones among them would size
   * columns by stream number for nothing.
   */
  private readonly rows = new Map<number, number>();
  /** Per row: its tcp.stream. */
  private streamOf = new Float64Array(0);
  // Per (row × KINDS + kind): first and last block (-1: none), texts in all.
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  private count = new Uint32Array(0);
  /** Per row: 1 once the connection is final. */
  private final = new Uint8Array(0);
  private finals = 0;
  // Per block.
  private blockOff = new Float64Array(0);
  private blockLen = new Float64Array(0);
  private blockNext = new Int32Array(0);
  private blocks = 0;
  /** Texts not written yet, and whose (stream × KINDS + kind) each is. */
  private held: string[] = [];
  private heldKey: number[] = [];
  private buffered = 0;
  private readonly removeOnExit = (): void => this.close();

  /**
   * `cycleShape`: what of a cycle is kept (the text without -V shows no header lists: not writing
   * and reading them back was a quarter of `timeline`'s time on a pooled capture).
   */
  constructor(
    private readonly flushAt = FLUSH_AT,
    private readonly cycleShape: (cy: RequestCycle) => RequestCycle = (cy) => cy,
  ) {
    try {
      this.dir = mkdtempSync(join(tmpdir(), 'ajp-inspect-timeline-'));
      this.path = join(this.dir, 'stories');
      // 'wx+': a new file, read back later; only this process knows the directory's name.
      this.fd = openSync(this.path, 'wx+', 0o600);
    } catch (e) {
      throw new UserError(`cannot make the timeline's temporary file in ${tmpdir()} (TMPDIR): ${(e as Error).message}`);
    }
    // Unlinked at once, read and written through its descriptor: the system frees it however the
    // process ends (Ctrl-C on a terminal runs no 'exit' handler). Where an open file cannot be
    // removed (Windows), it is removed at close() or at exit.
    try {
      unlinkSync(this.path);
      rmdirSync(this.dir);
    } catch {
      process.once('exit', this.removeOnExit);
    }
  }

  private row(stream: number): number {
    let r = this.rows.get(stream);
    if (r === undefined) {
      r = this.rows.size;
      if (r >= this.final.length) this.grow(r + 1);
      this.rows.set(stream, r);
      this.streamOf[r] = stream;
    }
    return r;
  }

  private add(stream: number, kind: number, value: unknown): void {
    const key = this.row(stream) * KINDS + kind;
    const text = JSON.stringify(value);
    this.held.push(text);
    this.heldKey.push(key);
    this.count[key]++;
    this.buffered += text.length;
    if (this.buffered >= this.flushAt) this.flush();
  }

  private grow(n: number): void {
    const m = Math.max(n, this.final.length * 2, 1024);
    this.final = grown(this.final, m);
    this.streamOf = grown(this.streamOf, m);
    this.count = grown(this.count, m * KINDS);
    const old = this.head.length;
    this.head = grown(this.head, m * KINDS);
    this.tail = grown(this.tail, m * KINDS);
    this.head.fill(-1, old);
    this.tail.fill(-1, old);
  }

  event(stream: number, ev: TimelineEvent): void {
    this.add(stream, EVENTS, ev);
  }

  cycle(stream: number, cy: RequestCycle): void {
    this.add(stream, CYCLES, this.cycleShape(cy));
  }

  connection(conn: AjpConnection): void {
    for (const ev of conn.events) this.event(conn.stream, ev);
    for (const cy of conn.cycles) this.cycle(conn.stream, cy);
    this.add(conn.stream, CONN, { ...conn, events: [], cycles: [] });
    this.final[this.row(conn.stream)] = 1;
    this.finals++;
  }

  /**
   * Writes every held text, in one write: the texts of one connection and kind held since the last
   * flush are one block, a line each, in the order they came.
   */
  private flush(): void {
    const n = this.held.length;
    if (n === 0) return;
    // The held texts grouped by key, each group in arrival order (a stable sort of their indices).
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => this.heldKey[x]! - this.heldKey[y]! || x - y);
    const texts: string[] = [];
    let at = this.at;
    for (let g = 0; g < n; ) {
      const key = this.heldKey[order[g]!]!;
      let text = '';
      for (; g < n && this.heldKey[order[g]!] === key; g++) text += `${this.held[order[g]!]!}\n`;
      const len = Buffer.byteLength(text, 'utf8');
      this.chain(key, at, len);
      at += len;
      texts.push(text);
    }
    this.held = [];
    this.heldKey = [];
    this.buffered = 0;
    const bytes = Buffer.from(texts.join(''), 'utf8');
    let off = 0;
    try {
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.at + off);
    } catch (e) {
      throw new UserError(`cannot write the timeline's temporary file ${this.path}: ${(e as Error).message}`);
    }
    this.at = at;
  }

  /** Adds the block [off, off + len) at the end of key's chain. */
  private chain(key: number, off: number, len: number): void {
    const b = this.blocks++;
    if (b >= this.blockOff.length) {
      const m = Math.max(1024, b * 2);
      this.blockOff = grown(this.blockOff, m);
      this.blockLen = grown(this.blockLen, m);
      this.blockNext = grown(this.blockNext, m);
    }
    this.blockOff[b] = off;
    this.blockLen[b] = len;
    this.blockNext[b] = -1;
    if (this.head[key] === -1) this.head[key] = b;
    else this.blockNext[this.tail[key]!] = b;
    this.tail[key] = b;
  }

  /** The file's size: every text written (after stories() has begun). */
  get bytes(): number {
    return this.at;
  }

  /** How many connections are final (those stories() gives). */
  get size(): number {
    return this.finals;
  }

  /**
   * The final connections in tcp.stream order, each read back when it is reached. Connections never
   * told final (none, when the analyzer's result() was taken) are not given.
   */
  *stories(): Generator<SpilledStory, void, undefined> {
    this.flush();
    const final: number[] = [];
    for (let r = 0; r < this.rows.size; r++) if (this.final[r] === 1) final.push(r);
    final.sort((x, y) => this.streamOf[x]! - this.streamOf[y]!);
    for (const r of final) {
      const k = r * KINDS;
      const [conn] = [...this.read(k + CONN)] as [AjpConnection];
      yield {
        conn,
        events: () => this.read(k + EVENTS) as Iterable<TimelineEvent>,
        eventCount: this.count[k + EVENTS]!,
        cycles: () => this.read(k + CYCLES) as Iterable<RequestCycle>,
        cycleCount: this.count[k + CYCLES]!,
      };
    }
  }

  /** One chain's texts, parsed in order, a block at a time. */
  private *read(key: number): Generator<unknown, void, undefined> {
    for (let b = this.head[key]!; b !== -1; b = this.blockNext[b]!) {
      const len = this.blockLen[b]!;
      const buf = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const n = readSync(this.fd, buf, got, len - got, this.blockOff[b]! + got);
        if (n === 0) throw new Error(`timeline's temporary file ${this.path} ended early`);
        got += n;
      }
      this.bytesRead += len;
      const text = buf.toString('utf8');
      for (let at = 0; at < text.length; ) {
        const nl = text.indexOf('\n', at);
        yield JSON.parse(text.slice(at, nl)) as unknown;
        at = nl + 1;
      }
    }
  }

  /** Closes and removes the file (also done when the process exits). */
  close(): void {
    process.removeListener('exit', this.removeOnExit);
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed.
      }
      this.fd = -1;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
