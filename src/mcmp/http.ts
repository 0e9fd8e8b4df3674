/**
 * An incremental HTTP/1.x message reader for one direction of a TCP stream: request or status
 * line, headers, then a body framed by Content-Length, chunked transfer coding or the end of the
 * connection. It is fed reassembled chunks with their frame numbers and gives back whole messages
 * with the frames that carried them. Bad bytes stop the reader with a reason; it never throws.
 */
import type { BodyFraming, HttpHeader } from './types.js';

export interface HttpHead {
  startLine: string;
  /** Request: method, target, version. */
  method?: string;
  uri?: string;
  /** Response: status and reason phrase (possibly empty). */
  status?: number;
  reason?: string;
  version: string;
  headers: HttpHeader[];
}

export interface HttpMessage {
  head: HttpHead;
  /** Body bytes (after de-chunking), or null when the caller chose not to keep them. */
  body: Buffer | null;
  bodyLength: number;
  framing: BodyFraming;
  /** Absolute offsets of the message in this direction's byte stream. */
  start: number;
  end: number;
  /** Time of the segment carrying the first byte. */
  ts: number;
  frames: number[];
  /** False when the stream ended (or broke) before the body was complete. */
  complete: boolean;
  problem?: string;
}

export interface HttpReaderOptions {
  kind: 'request' | 'response';
  /** Whether to keep the body bytes (MCMP: yes; other HTTP: no, just skip). */
  keepBody?: (head: HttpHead) => boolean;
  /** Force a framing for a response head (e.g. 'none' for 1xx/204/304 or the answer to HEAD). */
  framingFor?: (head: HttpHead) => BodyFraming | undefined;
  /** Largest head accepted before giving up on the stream. */
  maxHead?: number;
  /** Bodies kept up to this many bytes (the rest is counted, not stored). */
  maxBody?: number;
  /**
   * The capture began inside the connection: skip bytes until a request / status line starts a
   * line (at most 64 KiB), instead of giving up on the first bytes.
   */
  resync?: boolean;
  /** In resync mode, which request methods may start the first message (default: any token). */
  resyncMethods?: ReadonlySet<string>;
}

interface Span {
  start: number;
  end: number;
  frames: number[];
  ts: number;
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'close' | 'dead';

interface Current {
  head: HttpHead;
  start: number;
  framing: BodyFraming;
  remaining: number;
  keep: boolean;
  parts: Buffer[];
  kept: number;
  length: number;
}

export function headerValue(headers: readonly HttpHeader[], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses a request line; undefined when it is not `<token> <target> HTTP/x.y`. */
export function parseRequestLine(line: string): { method: string; uri: string; version: string } | undefined {
  const m = /^(\S+) (\S*) (HTTP\/\d\.\d)$/.exec(line);
  if (!m || !TOKEN.test(m[1])) return undefined;
  return { method: m[1], uri: m[2], version: m[3] };
}

export class HttpReader {
  private buf: Buffer = Buffer.alloc(0);
  private bufOffset = 0;
  private spans: Span[] = [];
  private state: State = 'head';
  private cur: Current | undefined;
  private started = false;
  /** Reason the reader stopped, if it did. */
  deadReason: string | undefined;
  /** Bytes skipped before the first whole message (resync mode). */
  skipped = 0;
  private synced = false;

  constructor(
    private readonly opts: HttpReaderOptions,
    private readonly onMessage: (m: HttpMessage) => void,
  ) {}

  get dead(): boolean {
    return this.state === 'dead';
  }

  /** True while a message has begun but is not complete. */
  get inMessage(): boolean {
    return this.cur !== undefined || this.buf.length > 0;
  }

  push(data: Buffer, frames: number[], ts: number, offset: number): void {
    if (this.state === 'dead' || data.length === 0) return;
    if (!this.started) {
      this.started = true;
      this.bufOffset = offset;
    }
    const expected = this.bufOffset + this.buf.length;
    if (offset !== expected) {
      if (offset + data.length <= expected) return; // already seen
      if (offset > expected) {
        this.fail(`gap of ${offset - expected} bytes in the stream`);
        return;
      }
      const skip = expected - offset;
      data = data.subarray(skip);
      offset = expected;
    }
    this.spans.push({ start: offset, end: offset + data.length, frames, ts });
    if (this.spans.length > 1024) {
      // A long body (skipped, not kept): fold the oldest spans so memory stays bounded; a message
      // then lists at most its first 512 frames.
      const [a, b] = this.spans;
      a.end = b.end;
      if (a.frames.length < 512) a.frames = [...a.frames, ...b.frames].slice(0, 512);
      this.spans.splice(1, 1);
    }
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
    this.run();
    // What is left may be a view of `data`, valid only during this call (tcp/ StreamData.data): copy it.
    if (this.buf.length > 0 && this.buf.buffer === data.buffer) this.buf = Buffer.from(this.buf);
  }

  /** The stream is over: a close-delimited body ends here; anything else pending is incomplete. */
  end(reason = 'connection closed'): void {
    if (this.state === 'dead') return;
    if (this.cur && this.state === 'close') {
      this.finish(this.bufOffset, true);
      return;
    }
    if (this.cur) {
      this.finish(this.bufOffset + this.buf.length, false, `${reason} before the body was complete`);
    } else if (this.buf.length > 0 && this.buf.toString('latin1').trim() !== '') {
      this.fail(`${reason} inside a message head`);
    }
  }

  private fail(reason: string): void {
    this.state = 'dead';
    this.deadReason = reason;
    this.buf = Buffer.alloc(0);
    this.spans = [];
    this.cur = undefined;
  }

  private consume(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.bufOffset += n;
    return out;
  }

  private run(): void {
    while (this.state !== 'dead' && this.step()) {
      // keep stepping while bytes are consumed
    }
  }

  /** One parsing step; false when more bytes are needed. */
  private step(): boolean {
    switch (this.state) {
      case 'head':
        return this.readHead();
      case 'length': {
        const cur = this.cur!;
        if (cur.remaining === 0) {
          this.finish(this.bufOffset, true);
          return true;
        }
        if (this.buf.length === 0) return false;
        const n = Math.min(cur.remaining, this.buf.length);
        this.addBody(this.consume(n));
        cur.remaining -= n;
        if (cur.remaining === 0) this.finish(this.bufOffset, true);
        return true;
      }
      case 'chunk-size': {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) {
          if (this.buf.length > 1024) this.fail('chunk-size line too long');
          return false;
        }
        const line = this.consume(eol + 2).toString('latin1', 0, eol);
        const m = /^([0-9A-Fa-f]+)\s*(;.*)?$/.exec(line);
        if (!m) {
          this.fail(`bad chunk-size line "${line.slice(0, 40)}"`);
          return false;
        }
        const size = parseInt(m[1], 16);
        if (size === 0) {
          this.state = 'trailers';
        } else {
          this.cur!.remaining = size;
          this.state = 'chunk-data';
        }
        return true;
      }
      case 'chunk-data': {
        if (this.buf.length === 0) return false;
        const cur = this.cur!;
        const n = Math.min(cur.remaining, this.buf.length);
        this.addBody(this.consume(n));
        cur.remaining -= n;
        if (cur.remaining === 0) this.state = 'chunk-crlf';
        return true;
      }
      case 'chunk-crlf': {
        if (this.buf.length < 2) return false;
        if (this.buf[0] !== 0x0d || this.buf[1] !== 0x0a) {
          this.fail('chunk data not followed by CRLF');
          return false;
        }
        this.consume(2);
        this.state = 'chunk-size';
        return true;
      }
      case 'trailers': {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) return false;
        this.consume(eol + 2);
        if (eol === 0) this.finish(this.bufOffset, true);
        return true;
      }
      case 'close': {
        if (this.buf.length === 0) return false;
        this.addBody(this.consume(this.buf.length));
        return false;
      }
      default:
        return false;
    }
  }

  private readHead(): boolean {
    // Tolerate stray CRLFs between messages (RFC 9112 §2.2).
    let lead = 0;
    while (lead + 1 < this.buf.length && this.buf[lead] === 0x0d && this.buf[lead + 1] === 0x0a) lead += 2;
    if (lead > 0) this.consume(lead);
    if (this.buf.length === 0) return false;
    if (this.opts.resync && !this.synced && !this.syncToStart()) return false;
    const endHead = this.buf.indexOf('\r\n\r\n');
    const max = this.opts.maxHead ?? 65536;
    if (endHead < 0) {
      if (this.buf.length > max) this.fail(`message head longer than ${max} bytes`);
      else if (this.buf.length >= 8 && !this.looksLikeStart()) this.fail('not an HTTP/1.x message');
      return false;
    }
    const start = this.bufOffset;
    const text = this.consume(endHead + 4).toString('latin1', 0, endHead);
    const lines = text.split('\r\n');
    const startLine = lines[0];
    const head: HttpHead = { startLine, version: '', headers: [] };
    if (this.opts.kind === 'request') {
      const rl = parseRequestLine(startLine);
      if (!rl) {
        this.fail(`bad request line "${startLine.slice(0, 60)}"`);
        return false;
      }
      head.method = rl.method;
      head.uri = rl.uri;
      head.version = rl.version;
    } else {
      const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(startLine);
      if (!m) {
        this.fail(`bad status line "${startLine.slice(0, 60)}"`);
        return false;
      }
      head.version = m[1];
      head.status = Number(m[2]);
      head.reason = m[3] ?? '';
    }
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      head.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    const te = headerValue(head.headers, 'Transfer-Encoding');
    const cl = headerValue(head.headers, 'Content-Length');
    let framing: BodyFraming = this.opts.framingFor?.(head) ?? (te && /chunked/i.test(te) ? 'chunked' : cl !== undefined ? 'content-length' : this.opts.kind === 'request' ? 'none' : 'close');
    let remaining = 0;
    if (framing === 'content-length') {
      if (!/^\d+$/.test(cl ?? '')) {
        this.fail(`bad Content-Length "${cl}"`);
        return false;
      }
      remaining = Number(cl);
    }
    this.cur = {
      head,
      start,
      framing,
      remaining,
      keep: this.opts.keepBody?.(head) ?? true,
      parts: [],
      kept: 0,
      length: 0,
    };
    this.state =
      framing === 'chunked' ? 'chunk-size' : framing === 'content-length' ? 'length' : framing === 'close' ? 'close' : 'length';
    return true;
  }

  /** Resync mode: drop bytes up to the first line that starts a message; false while none is seen. */
  private syncToStart(): boolean {
    const text = this.buf.toString('latin1');
    const isStart = (line: string): boolean =>
      this.opts.kind === 'request'
        ? ((rl) => rl !== undefined && (this.opts.resyncMethods?.has(rl.method.toUpperCase()) ?? true))(parseRequestLine(line))
        : /^HTTP\/\d\.\d \d{3}( |$)/.test(line);
    let at = 0;
    for (;;) {
      const eol = text.indexOf('\r\n', at);
      if (eol < 0) break;
      if (isStart(text.slice(at, eol))) {
        if (at > 0) {
          this.skipped += at;
          this.consume(at);
          this.spans = this.spans.filter((sp) => sp.end > this.bufOffset);
        }
        this.synced = true;
        return true;
      }
      at = eol + 2;
    }
    // Keep the unfinished last line; give up after 64 KiB without a message start.
    const keepFrom = text.lastIndexOf('\r\n') >= 0 ? text.lastIndexOf('\r\n') + 2 : 0;
    if (keepFrom > 0) {
      this.skipped += keepFrom;
      this.consume(keepFrom);
      this.spans = this.spans.filter((sp) => sp.end > this.bufOffset);
    }
    if (this.skipped + this.buf.length > 65536) this.fail('no HTTP message start in the first 64 KiB (capture began mid-connection)');
    return false;
  }

  /** A cheap early check so a binary stream is given up on before 64 KiB are buffered. */
  private looksLikeStart(): boolean {
    const s = this.buf.toString('latin1', 0, Math.min(this.buf.length, 16));
    if (this.opts.kind === 'response') return s.startsWith('HTTP/');
    return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+( |$)/.test(s);
  }

  private addBody(b: Buffer): void {
    const cur = this.cur!;
    cur.length += b.length;
    if (!cur.keep) return;
    const max = this.opts.maxBody ?? 1 << 20;
    if (cur.kept >= max) return;
    const take = b.subarray(0, max - cur.kept);
    cur.parts.push(Buffer.from(take));
    cur.kept += take.length;
  }

  private finish(end: number, complete: boolean, problem?: string): void {
    const cur = this.cur!;
    const frames: number[] = [];
    let ts = Number.NaN;
    for (const s of this.spans) {
      if (s.end > cur.start && s.start < Math.max(end, cur.start + 1)) {
        if (Number.isNaN(ts)) ts = s.ts;
        for (const f of s.frames) if (!frames.includes(f)) frames.push(f);
      }
    }
    this.spans = this.spans.filter((s) => s.end > end);
    const msg: HttpMessage = {
      head: cur.head,
      body: cur.keep ? Buffer.concat(cur.parts) : null,
      bodyLength: cur.length,
      framing: cur.framing,
      start: cur.start,
      end,
      ts,
      frames,
      complete,
    };
    if (problem) msg.problem = problem;
    this.cur = undefined;
    this.state = 'head';
    this.synced = true;
    this.onMessage(msg);
  }
}
