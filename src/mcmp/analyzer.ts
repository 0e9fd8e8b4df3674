/**
 * McmpAnalyzer: a TcpSink that finds MCMP on any port by its request methods, pairs each request
 * with its answer in order on the connection (the Java listener never pipelines:
 * DefaultMCMPHandler sends under `synchronized (proxy)`), notes requests that got no answer, and
 * counts httpd's CPing/CPong (AJP) and OPTIONS (http) probes to nodes so a STATUS or PING can be
 * linked to the probe it caused.
 */
import type { Endpoint, StreamData, StreamInfo, StreamSummary, TcpEvent, TcpSink } from '../tcp/types.js';
import { LastMap } from '../util/last-map.js';
import { AJP_CPING, AJP_CPONG, ProbeWalker, startsLikeAjpToContainer, type AjpPacketSeen, type AjpProbeSink } from './ajp-probes.js';
import { HttpReader, headerValue, type HttpHead, type HttpMessage } from './http.js';
import { HTTP_METHODS, MCMP_METHODS, knownBy } from './methods.js';
import { checkRequest, parseBody } from './params.js';
import { decodeBody, mcmpError } from './responses.js';
import type {
  HttpSeen,
  McmpExchange,
  McmpRequest,
  McmpResponse,
  McmpUnanswered,
  ProbeEvent,
  UnansweredReason,
} from './types.js';

export interface McmpAnalyzerOptions {
  /** Server ports named by the user (`--mcmp-port`): requests with unknown methods there count as MCMP too. */
  mcmpPorts?: readonly number[];
  /** Seconds within which a request repeated on a fresh connection counts as the resend of an unanswered one. */
  resendWindow?: number;
  /**
   * Each exchange as soon as its place in time order is known, with its index, and the probes that
   * may still be linked to it (time order). When given, nothing is collected: finish() returns no
   * exchanges and no probes (the consumer had them), so that a capture of a day of STATUS traffic
   * is not held whole (issue 14: 100,000 STATUS exchanges held 550 MB). Without it every exchange
   * is collected and numbered at the end, for buildAnalysis.
   */
  onExchange?: (x: McmpExchange, probes: readonly ProbeEvent[]) => void;
}

/**
 * An exchange is handed on (onExchange) once its request is older than every MCMP request still
 * waiting for its answer and than the newest packet time less this slack: packet times of one
 * capture can go back a little (the queues of a multi-queue NIC are stamped apart), and a request
 * started before another's but finished after it must still come first. Requests are numbered in
 * the order of their first byte, as when every exchange was sorted at the end.
 */
const REORDER_SLACK = 1;
/**
 * Exchanges held for their order at most: past it the oldest go on even if a request older than
 * them is still waiting (one never answered on a connection that stays open would otherwise hold
 * everything after it).
 */
const MAX_HELD = 20_000;
/** Held exchanges before the first try to hand them on; tries then come when the held list doubles. */
const RELEASE_EVERY = 64;

const byRequestTime = (a: { request: McmpRequest }, b: { request: McmpRequest }): number => a.request.ts - b.request.ts || a.request.stream - b.request.stream;

/**
 * Unanswered requests listed at most (each a request with its headers and body): an httpd that
 * hangs for hours leaves one per STATUS of every node. The rest are counted (UnansweredTally), and
 * their evidence items are counted past the evidence bound (unlisted).
 */
export const MAX_UNANSWERED_LISTED = 10_000;

/** Every unanswered request counted, listed or not. */
export interface UnansweredTally {
  count: number;
  methods: Record<string, number>;
  /** Written on a kept-alive connection httpd had closed, and of those, resent on a new one. */
  keepaliveClosed: number;
  resentKeepaliveClosed: number;
  streams: Set<number>;
  /** The servers ("addr:port") they were written to: an httpd that never answers has no cluster view. */
  servers: Set<string>;
  /** Unanswered requests past MAX_UNANSWERED_LISTED, by the evidence kind each would have made. */
  unlisted: Map<string, number>;
}

/** The evidence kind of an unanswered request (cluster.ts unansweredEvidence). */
export function unansweredKind(u: Pick<McmpUnanswered, 'reason'>): string {
  return u.reason === 'keepalive-closed' ? 'mcmp-keepalive-closed' : 'mcmp-unanswered';
}

/** What the analyzer collected, before the cluster view is replayed. */
export interface McmpCollected {
  exchanges: McmpExchange[];
  /** The first MAX_UNANSWERED_LISTED unanswered requests, in time order; unansweredTally counts them all. */
  unanswered: McmpUnanswered[];
  unansweredTally: UnansweredTally;
  /** Plain HTTP requests on connections to a server that also received MCMP. */
  otherHttp: HttpSeen[];
  /**
   * Probes seen while an MCMP request was waiting for its answer (only those can be linked to one;
   * keeping every CPing of a long AJP capture would not be bounded).
   */
  probes: ProbeEvent[];
  /** Every probe of the capture, counted. */
  probeCounts: Record<ProbeEvent['kind'], number>;
  /** HTTP framing problems on MCMP connections. */
  broken: Array<{ stream: number; dir: 'c2s' | 's2c'; reason: string; ts: number; frames: number[] }>;
  /** Time of the first byte seen on any stream (for relative times). */
  firstTs: number | undefined;
}

type Pending =
  | { kind: 'mcmp'; request: McmpRequest }
  | { kind: 'http'; seen: HttpSeen; head: HttpHead }
  | { kind: 'options-probe'; ts: number; frame: number };

interface HttpStream {
  kind: 'http';
  info: StreamInfo;
  req: HttpReader;
  rsp: HttpReader;
  queue: Pending[];
  serverFin: Array<{ ts: number; frame: number }>;
  serverRst: Array<{ ts: number; frame: number }>;
  sawMcmp: boolean;
  /** The first request line seen starts with an MCMP method (its head may never be read whole). */
  mcmpStart: boolean;
  /** The capture began inside this connection: answers before the first request seen are dropped. */
  midStream: boolean;
  lastTs: number;
  lastFrames: number[];
}
/**
 * An AJP connection, walked only for httpd's 1-byte CPing / CPong probes: two header walkers (a few
 * numbers each, made at the first bytes of their direction) and itself as their sink (no closure).
 */
class AjpStream implements AjpProbeSink {
  readonly kind = 'ajp';
  c2s: ProbeWalker | null = null;
  s2c: ProbeWalker | null = null;
  /** The stream and its server only (not its StreamInfo: an AJP pool keeps many connections open). */
  readonly stream: number;
  readonly server: Endpoint;
  constructor(
    private readonly a: McmpAnalyzer,
    info: StreamInfo,
  ) {
    this.stream = info.id;
    this.server = info.server;
  }

  seen(p: AjpPacketSeen): void {
    if (p.dir === 'c2s' && p.code === AJP_CPING) this.a.ajpProbe('CPING', this.stream, this.server, p);
    if (p.dir === 's2c' && p.code === AJP_CPONG) this.a.ajpProbe('CPONG', this.stream, this.server, p);
  }

  push(chunk: StreamData): void {
    const c2s = chunk.dir === 'c2s';
    const w = (c2s ? this.c2s : this.s2c) ?? IDLE_WALKERS.pop() ?? new ProbeWalker();
    // Walked in place when the chunk gives its bytes so (tcp/ StreamData.bytes): no view made.
    const whole = chunk.bytes;
    if (whole !== undefined) w.push(whole, chunk.start as number, chunk.end as number, chunk.frames, chunk.ts, chunk.dir, this);
    else w.push(chunk.data, 0, chunk.data.length, chunk.frames, chunk.ts, chunk.dir, this);
    // A walker between packets holds nothing: shared, so an open connection between packets holds none.
    if (w.idle) {
      if (c2s) this.c2s = null;
      else this.s2c = null;
      if (IDLE_WALKERS.length < 64) IDLE_WALKERS.push(w);
    } else if (c2s) this.c2s = w;
    else this.s2c = w;
  }
}

/**
 * A chunk kept past onData: the StreamData object is the flow table's own and its bytes are valid
 * only during the call, so a new object, with `data` only (no `bytes` in place).
 */
function heldCopy(chunk: StreamData, data: Buffer, frames: number[]): StreamData {
  return { stream: chunk.stream, dir: chunk.dir, data, frames, ts: chunk.ts, offset: chunk.offset };
}

/** Idle ProbeWalkers (see ProbeWalker.idle), lent to the next chunk of any AJP stream. */
const IDLE_WALKERS: ProbeWalker[] = [];
interface UndecidedStream {
  kind: 'undecided';
  info: StreamInfo;
  /** Server chunks held until the client speaks (made at the first one). */
  early: StreamData[] | null;
  /** Client chunks seen that did not start a request (capture began mid-connection). */
  c2sChunks?: number;
  /**
   * The client's first bytes while they are too few to tell what they start (a request line cut
   * after `CON`, an AJP magic cut after 0x12): held (a copy) and read with the next client bytes.
   */
  c2sHeld?: StreamData;
}
/** A stream found not to carry MCMP has no entry at all (nothing more of it is read). */
interface OtherStream {
  kind: 'other';
  info: StreamInfo;
}
type StreamState = HttpStream | AjpStream | UndecidedStream;

/** Every request method we know, followed by the space that ends it (a request line's start). */
const METHOD_STARTS: readonly string[] = [...new Set([...MCMP_METHODS, ...HTTP_METHODS])].map((m) => `${m.toUpperCase()} `);

/**
 * True when the client's first bytes are too few to classify yet: a proper prefix of a known
 * method and its space (a request whose first segment is under 7 bytes, `CONFIG ` cut anywhere),
 * or the first byte of the AJP magic 0x12 0x34. Without this the connection was classified on
 * `CON` alone, as "not HTTP", and vanished from the report.
 */
function tooShortToTell(chunk: StreamData): boolean {
  // (the length first, from the offsets: the chunk's view is made only for a short one)
  const n = chunk.bytes !== undefined ? (chunk.end as number) - (chunk.start as number) : chunk.data.length;
  if (n === 0 || n >= 16) return false;
  const b = chunk.data;
  if (b.length === 1 && b[0] === 0x12) return true;
  const s = b.toString('latin1').toUpperCase();
  return METHOD_STARTS.some((m) => m.length > s.length && m.startsWith(s));
}

/**
 * The methods plainHttpStart takes for ordinary web traffic: the standard ones but OPTIONS (and any
 * MCMP method, though none is standard), by length, to be compared with a request line's bytes.
 */
const PLAIN_BY_LENGTH: string[][] = [];
for (const m of HTTP_METHODS) if (m !== 'OPTIONS' && !MCMP_METHODS.has(m)) (PLAIN_BY_LENGTH[m.length] ??= []).push(m);

/**
 * Whether `bytes[start, start + n)`, read as Latin-1 and upper-cased, is one of PLAIN_BY_LENGTH's
 * methods, compared byte by byte (no string per connection: `latin1Slice` was a C++ call per
 * stream, ~0.6 % of a 2 GB pooled capture). The methods are ASCII capitals and `-`: a byte matches a
 * capital as itself or its lower case, `-` as itself. No other Latin-1 character upper-cases to
 * ASCII but `ß` (to `SS`, which no method holds: test/mcmp/plain-method.test.ts checks both).
 */
export function plainMethodAt(bytes: Uint8Array, start: number, n: number): boolean {
  const list = PLAIN_BY_LENGTH[n];
  if (list === undefined) return false;
  next: for (const m of list) {
    for (let i = 0; i < n; i++) {
      let b = bytes[start + i]!;
      if (b >= 0x61 && b <= 0x7a) b -= 0x20;
      if (b !== m.charCodeAt(i)) continue next;
    }
    return true;
  }
  return false;
}

/** Bytes that could be the rest of an HTTP message (text, CRLFs): worth waiting for the next request. */
function looksLikeHttpTail(b: Buffer): boolean {
  const n = Math.min(b.length, 256);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
  }
  return n > 0;
}

const ep = (e: Endpoint): string => (e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`);

export class McmpAnalyzer implements TcpSink {
  private readonly streams = new LastMap<StreamState>();
  private readonly mcmpServers = new Set<string>();
  private readonly mcmpPorts: ReadonlySet<number>;
  /** Exchanges answered and not yet numbered (their order not yet known). */
  private held: Array<Omit<McmpExchange, 'index'>> = [];
  private nextRelease = RELEASE_EVERY;
  /** Exchanges numbered so far. */
  private numbered = 0;
  /** The numbered exchanges, when there is no onExchange. */
  private readonly collected: McmpExchange[] = [];
  /** Connections with an MCMP request waiting for its answer (some may have none left: checked when read). */
  private readonly busy = new Set<HttpStream>();
  /** Newest packet time seen. */
  private newest = -Infinity;
  private readonly unanswered: McmpUnanswered[] = [];
  private readonly unansweredTally: UnansweredTally = { count: 0, methods: {}, keepaliveClosed: 0, resentKeepaliveClosed: 0, streams: new Set(), servers: new Set(), unlisted: new Map() };
  /** Unanswered requests whose resend may still come (time order). */
  private waiting: McmpUnanswered[] = [];
  private readonly otherHttp: HttpSeen[] = [];
  /** Probes that may be linked to a request, in time order (handed on with each exchange). */
  private probes: ProbeEvent[] = [];
  private readonly probeCounts: Record<ProbeEvent['kind'], number> = { CPING: 0, CPONG: 0, OPTIONS: 0, 'OPTIONS-RESPONSE': 0 };
  /** MCMP requests waiting for their answer, over all connections. */
  private outstanding = 0;
  private readonly broken: McmpCollected['broken'] = [];
  private firstTs: number | undefined;
  private finished = false;

  constructor(private readonly opts: McmpAnalyzerOptions = {}) {
    this.mcmpPorts = new Set(opts.mcmpPorts ?? []);
  }

  onStreamStart(info: StreamInfo): void {
    if (this.firstTs === undefined || info.startTs < this.firstTs) this.firstTs = info.startTs;
    this.streams.set(info.id, { kind: 'undecided', info, early: null });
  }

  onData(chunk: StreamData): void {
    if (this.firstTs === undefined || chunk.ts < this.firstTs) this.firstTs = chunk.ts;
    if (chunk.ts > this.newest) this.newest = chunk.ts;
    const st = this.streams.get(chunk.stream);
    if (!st) return;
    switch (st.kind) {
      case 'undecided': {
        if (chunk.dir === 's2c') {
          // Server spoke first (or the capture began mid-stream): hold a little until the client speaks.
          // Held past this call: a copy (StreamData bytes are valid only during onData).
          const early = (st.early ??= []);
          if (early.length < 16) early.push(heldCopy(chunk, Buffer.from(chunk.data), chunk.frames));
          else this.streams.delete(st.info.id);
          return;
        }
        // HTTP servers never speak first: answers before the first request mean the capture began
        // inside the connection, as do client bytes that do not start a request.
        const midStream = (st.c2sChunks ?? 0) > 0 || (st.early !== null && st.early.length > 0);
        if (!midStream) {
          const held = st.c2sHeld;
          if (held !== undefined) {
            st.c2sHeld = undefined;
            chunk = { stream: chunk.stream, dir: chunk.dir, data: Buffer.concat([held.data, chunk.data]), frames: [...held.frames, ...chunk.frames], ts: held.ts, offset: held.offset };
          }
          if (tooShortToTell(chunk)) {
            // Held past this call: a copy (StreamData bytes are valid only during onData).
            st.c2sHeld = heldCopy(chunk, Buffer.from(chunk.data), [...chunk.frames]);
            return;
          }
        }
        if (!midStream && this.plainHttpStart(st.info, chunk)) {
          // Ordinary web traffic: decided by its request line, no reader made (onRequest would
          // drop the connection at the end of this head anyway).
          this.streams.delete(st.info.id);
          return;
        }
        const next = this.classify(st.info, chunk.data, midStream);
        if (next.kind === 'other' && !midStream && looksLikeHttpTail(chunk.data)) {
          // The capture began inside an HTTP connection: wait for a chunk that starts a request.
          st.c2sChunks = 1;
          return;
        }
        if (next.kind === 'other' && midStream) {
          st.c2sChunks = (st.c2sChunks ?? 0) + 1;
          if (st.c2sChunks > 16) this.streams.delete(st.info.id);
          return;
        }
        if (next.kind === 'other') {
          this.streams.delete(st.info.id);
          return;
        }
        this.streams.set(st.info.id, next);
        // Answers held from before the first request go first, so they meet an empty queue.
        if (st.early !== null) for (const e of st.early) this.feed(next, e);
        this.feed(next, chunk);
        return;
      }
      default:
        this.feed(st, chunk);
    }
  }

  onEvent(ev: TcpEvent): void {
    if (ev.ts > this.newest) this.newest = ev.ts;
    const st = this.streams.get(ev.stream);
    if (!st || st.kind !== 'http') return;
    if (ev.dir === 's2c' && ev.kind === 'fin') st.serverFin.push({ ts: ev.ts, frame: ev.frame });
    if (ev.dir === 's2c' && ev.kind === 'rst') st.serverRst.push({ ts: ev.ts, frame: ev.frame });
  }

  onStreamEnd(summary: StreamSummary): void {
    const st = this.streams.get(summary.info.id);
    if (!st) return;
    if (st.kind === 'http') {
      this.closeHttp(st, summary.end);
      this.busy.delete(st);
    }
    this.streams.delete(summary.info.id);
  }

  /** Ends every stream still open and returns what was collected. Call once, after the capture. */
  finish(): McmpCollected {
    if (!this.finished) {
      this.finished = true;
      for (const st of this.streams.values()) if (st.kind === 'http') this.closeHttp(st, 'open');
      this.streams.clear();
    }
    this.release(true);
    const exchanges = this.collected;
    const unanswered = [...this.unanswered].sort((a, b) => a.request.ts - b.request.ts);
    const otherHttp = this.otherHttp
      .filter((h) => this.mcmpServers.has(ep(h.server)))
      .sort((a, b) => a.ts - b.ts);
    return {
      exchanges,
      unanswered,
      unansweredTally: this.unansweredTally,
      otherHttp,
      probes: this.opts.onExchange !== undefined ? [] : this.probes,
      probeCounts: { ...this.probeCounts },
      broken: this.broken,
      firstTs: this.firstTs,
    };
  }

  /** A CPing / CPong seen on an AJP stream (AjpStream). */
  ajpProbe(kind: 'CPING' | 'CPONG', stream: number, server: Endpoint, p: AjpPacketSeen): void {
    // As probe(), the event (and its target text) made only when it can be linked to a request.
    this.probeCounts[kind]++;
    if (this.outstanding > 0) this.keepProbe({ kind, stream, frame: p.frame, ts: p.ts, target: ep(server) });
  }

  /**
   * A connection that opens with a standard HTTP method other than OPTIONS (httpd's mod_cluster
   * probe of an http node is an OPTIONS: see onRequest), to a server not on a --mcmp-port and not
   * yet seen taking MCMP: what onRequest drops after its first request head, said from the first
   * bytes (a proxy's bulk HTTP would otherwise cost a parsed head per connection).
   */
  private plainHttpStart(info: StreamInfo, first: StreamData): boolean {
    // The method first, by bytes in place (an AJP stream's first bytes have no space within 17): the
    // server's text is made only for a plain HTTP method, and only once some server took MCMP.
    const whole = first.bytes;
    const bytes = whole ?? first.data;
    const start = whole !== undefined ? (first.start as number) : 0;
    const n = Math.min((whole !== undefined ? (first.end as number) : bytes.length) - start, 17);
    let sp = 0;
    while (sp < n && bytes[start + sp] !== 0x20) sp++;
    if (sp === 0 || sp === n || !plainMethodAt(bytes, start, sp)) return false;
    return !this.mcmpPorts.has(info.server.port) && (this.mcmpServers.size === 0 || !this.mcmpServers.has(ep(info.server)));
  }

  private classify(info: StreamInfo, first: Buffer, midStream = false): HttpStream | AjpStream | OtherStream {
    if (!midStream && startsLikeAjpToContainer(first)) return new AjpStream(this, info);
    const head = first.toString('latin1', 0, Math.min(first.length, 32));
    const start = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) /.exec(head);
    if (!start || (midStream && !MCMP_METHODS.has(start[1].toUpperCase()) && !HTTP_METHODS.has(start[1].toUpperCase()))) {
      return { kind: 'other', info };
    }
    const st: HttpStream = {
      kind: 'http',
      info,
      queue: [],
      serverFin: [],
      serverRst: [],
      sawMcmp: false,
      mcmpStart: MCMP_METHODS.has(start[1].toUpperCase()),
      midStream,
      lastTs: 0,
      lastFrames: [],
      req: undefined as unknown as HttpReader,
      rsp: undefined as unknown as HttpReader,
    };
    st.req = new HttpReader(
      {
        kind: 'request',
        // Bodies of standard methods are skipped; MCMP and unknown methods keep theirs (small).
        keepBody: (head) => !HTTP_METHODS.has((head.method ?? '').toUpperCase()),
        maxBody: 256 * 1024,
      },
      (m) => this.onRequest(st, m),
    );
    st.rsp = new HttpReader(
      {
        kind: 'response',
        framingFor: (head) => {
          const s = head.status ?? 0;
          if ((s >= 100 && s < 200) || s === 204 || s === 304) return 'none';
          const p = st.queue[0];
          if (p && p.kind === 'http' && p.head.method?.toUpperCase() === 'HEAD') return 'none';
          return undefined;
        },
        keepBody: () => {
          const p = st.queue[0];
          return p !== undefined && p.kind === 'mcmp';
        },
        maxBody: 1024 * 1024,
        resync: midStream,
      },
      (m) => this.onResponse(st, m),
    );
    return st;
  }

  private feed(st: HttpStream | AjpStream, chunk: StreamData): void {
    if (st.kind === 'ajp') {
      st.push(chunk);
      return;
    }
    st.lastTs = chunk.ts;
    st.lastFrames = chunk.frames;
    const reader = chunk.dir === 'c2s' ? st.req : st.rsp;
    const wasDead = reader.dead;
    reader.push(chunk.data, chunk.frames, chunk.ts, chunk.offset);
    // Said when the connection carries MCMP, including a first request that could never be read
    // (a head over 64 KiB, bytes that are not HTTP after `CONFIG `): never dropped without a word.
    if (!wasDead && reader.dead && (st.sawMcmp || st.mcmpStart)) {
      this.broken.push({ stream: st.info.id, dir: chunk.dir, reason: reader.deadReason ?? 'unreadable', ts: chunk.ts, frames: chunk.frames });
    }
  }

  private isMcmp(st: HttpStream, m: HttpMessage): boolean {
    const method = (m.head.method ?? '').toUpperCase();
    if (MCMP_METHODS.has(method)) return true;
    if (HTTP_METHODS.has(method)) return false;
    // An unknown method: MCMP when it comes to a known or named MCMP server, or looks like the
    // Java listener's (User-Agent ClusterListener/1.0, JVMRoute= in the body).
    if (this.mcmpPorts.has(st.info.server.port) || this.mcmpServers.has(ep(st.info.server))) return true;
    if (/^ClusterListener\//i.test(headerValue(m.head.headers, 'User-Agent') ?? '')) return true;
    const body = m.body?.toString('latin1') ?? '';
    return /(^|&)JVMRoute=/i.test(body);
  }

  private onRequest(st: HttpStream, m: HttpMessage): void {
    const head = m.head;
    if (this.isMcmp(st, m)) {
      st.sawMcmp = true;
      this.mcmpServers.add(ep(st.info.server));
      const method = head.method ?? '';
      const uri = head.uri ?? '';
      const wildcard = uri === '*' || uri.endsWith('/*');
      const body = m.body?.toString('latin1') ?? '';
      const parsed = parseBody(body);
      const problems = [...parsed.problems, ...checkRequest(method, wildcard, parsed.params)];
      if (!m.complete) problems.push({ kind: 'bad-value', detail: m.problem ?? 'request body incomplete' });
      const request: McmpRequest = {
        stream: st.info.id,
        ts: m.ts,
        frames: m.frames,
        client: st.info.client,
        server: st.info.server,
        method,
        uri,
        httpVersion: head.version,
        wildcard,
        headers: head.headers,
        body,
        params: parsed.params,
        problems,
        knownBy: knownBy(method),
      };
      st.queue.push({ kind: 'mcmp', request });
      this.outstanding++;
      this.busy.add(st);
      return;
    }
    const ua = headerValue(head.headers, 'User-Agent');
    if (head.method?.toUpperCase() === 'OPTIONS' && /internal mod_cluster connection/i.test(ua ?? '')) {
      // httpd's probe of an http node (mod_proxy_cluster.c, http_handle_cping_cpong).
      this.probe({ kind: 'OPTIONS', stream: st.info.id, frame: m.frames[0] ?? 0, ts: m.ts, target: ep(st.info.server) });
      st.queue.push({ kind: 'options-probe', ts: m.ts, frame: m.frames[0] ?? 0 });
      return;
    }
    // A plain HTTP request first on a connection to a server not known to take MCMP and not on a
    // --mcmp-port: ordinary web traffic. Nothing more of the connection is read (bulk HTTP costs
    // one request head). A request to a server found to take MCMP only later is then not listed
    // in otherHttp.
    if (!st.sawMcmp && st.queue.length === 0 && !this.mcmpPorts.has(st.info.server.port) && !this.mcmpServers.has(ep(st.info.server))) {
      this.streams.delete(st.info.id);
      return;
    }
    const seen: HttpSeen = {
      stream: st.info.id,
      ts: m.ts,
      frames: m.frames,
      client: st.info.client,
      server: st.info.server,
      requestLine: head.startLine,
    };
    if (ua !== undefined) seen.userAgent = ua;
    st.queue.push({ kind: 'http', seen, head });
    if (this.otherHttp.length < 10000) this.otherHttp.push(seen);
  }

  private onResponse(st: HttpStream, m: HttpMessage): void {
    const status = m.head.status ?? 0;
    if (status >= 100 && status < 200) return; // interim answer; the final one follows
    const p = st.queue.shift();
    if (!p) {
      if (st.sawMcmp && !st.midStream) this.broken.push({ stream: st.info.id, dir: 's2c', reason: 'response without a request', ts: m.ts, frames: m.frames });
      return;
    }
    if (p.kind === 'http') {
      p.seen.status = status;
      return;
    }
    if (p.kind === 'options-probe') {
      this.probe({ kind: 'OPTIONS-RESPONSE', stream: st.info.id, frame: m.frames[0] ?? 0, ts: m.ts, target: ep(st.info.server) });
      return;
    }
    this.outstanding--;
    const body = m.body?.toString('latin1') ?? '';
    const contentType = headerValue(m.head.headers, 'Content-Type');
    const connection = headerValue(m.head.headers, 'Connection');
    const response: McmpResponse = {
      stream: st.info.id,
      ts: m.ts,
      frames: m.frames,
      httpVersion: m.head.version,
      status,
      reason: m.head.reason ?? '',
      headers: m.head.headers,
      framing: m.framing,
      body,
      bodyLength: m.bodyLength,
      decoded: decodeBody(p.request.method, status, contentType, body),
      problems: [],
    };
    if (connection !== undefined) response.connection = connection;
    if (contentType !== undefined) response.contentType = contentType;
    const err = mcmpError(status, m.head.headers);
    if (err) response.error = err;
    if (!m.complete) response.problems.push(m.problem ?? 'body incomplete');
    if (m.bodyLength > body.length) response.problems.push(`body truncated to ${body.length} of ${m.bodyLength} bytes`);
    this.held.push({ request: p.request, response, probes: { cping: 0, cpong: 0, options: 0, targets: [], frames: [] } });
    if (this.opts.onExchange !== undefined && this.held.length >= this.nextRelease) this.release(false);
  }

  /**
   * Numbers the held exchanges whose order is known (all of them: at the end) and hands them on.
   * Without onExchange they are numbered at the end only, every one sorted at once.
   */
  private release(all: boolean): void {
    const held = this.held.sort(byRequestTime);
    // The oldest request still waiting for its answer, and the slack for packet times going back.
    let floor = this.newest - REORDER_SLACK;
    for (const st of this.busy) {
      let first: number | undefined;
      for (const q of st.queue) {
        if (q.kind === 'mcmp') {
          first = q.request.ts;
          break;
        }
      }
      if (first === undefined) this.busy.delete(st);
      else if (first < floor) floor = first;
    }
    let n = 0;
    if (all) n = held.length;
    else {
      while (n < held.length && held[n]!.request.ts < floor) n++;
      if (held.length - n > MAX_HELD) n = held.length - MAX_HELD / 2;
    }
    const out = n === held.length ? held : held.slice(0, n);
    this.held = n === held.length ? [] : held.slice(n);
    for (const e of out) this.emit(e);
    this.nextRelease = Math.max(RELEASE_EVERY, this.held.length * 2);
    if (this.opts.onExchange === undefined || all) return;
    // What no exchange still to come can be linked to: probes and unanswered requests older than
    // every request still to be numbered.
    const from = Math.min(floor, this.held.length > 0 ? this.held[0]!.request.ts : Infinity);
    let k = 0;
    while (k < this.probes.length && this.probes[k]!.ts < from) k++;
    if (k > 0) this.probes = this.probes.slice(k);
    const window = this.opts.resendWindow ?? 10;
    if (this.waiting.length > 0) this.waiting = this.waiting.filter((u) => u.request.ts + window >= from);
  }

  /**
   * Numbers an exchange and links it to the unanswered request it resends: the Java listener
   * resends the same bytes on a fresh connection when the kept-alive one was dead. Each exchange
   * takes the oldest unanswered request it may resend; the same pairs as each unanswered request,
   * oldest first, taking the first exchange that may resend it (every request has the same window).
   */
  private emit(e: Omit<McmpExchange, 'index'>): void {
    const x: McmpExchange = { index: ++this.numbered, ...e };
    const window = this.opts.resendWindow ?? 10;
    const q = x.request;
    for (let i = 0; i < this.waiting.length; i++) {
      const u = this.waiting[i]!;
      const r = u.request;
      if (r.ts > q.ts) break;
      if (q.ts - r.ts <= window && q.stream !== r.stream && q.client.addr === r.client.addr && ep(q.server) === ep(r.server) && q.method === r.method && q.uri === r.uri && q.body === r.body) {
        this.waiting.splice(i, 1);
        u.resentAs = x.index;
        if (u.reason === 'keepalive-closed') this.unansweredTally.resentKeepaliveClosed++;
        x.resendOf = { stream: r.stream, ts: r.ts, client: r.client, frames: r.frames };
        break;
      }
    }
    if (this.opts.onExchange !== undefined) this.opts.onExchange(x, this.probes);
    else this.collected.push(x);
  }

  private closeHttp(st: HttpStream, end: StreamSummary['end']): void {
    const reqDead = st.req.dead;
    st.req.end();
    // A request of an MCMP connection cut inside its head by the end of the stream: said, not dropped.
    if (!reqDead && st.req.dead && (st.sawMcmp || st.mcmpStart)) {
      this.broken.push({ stream: st.info.id, dir: 'c2s', reason: st.req.deadReason ?? 'unreadable', ts: st.lastTs, frames: st.lastFrames });
    }
    st.rsp.end();
    for (const p of st.queue) {
      if (p.kind !== 'mcmp') continue;
      this.outstanding--;
      const r = p.request;
      const finBefore = st.serverFin.filter((f) => f.ts <= r.ts);
      const rstAfter = st.serverRst.filter((f) => f.ts >= r.ts);
      let reason: UnansweredReason;
      if (st.rsp.dead) reason = 'answer-unreadable';
      else if (finBefore.length > 0) reason = 'keepalive-closed';
      else if (rstAfter.length > 0) reason = 'reset';
      else if (end === 'open' || end === 'timeout') reason = 'capture-ended';
      else reason = 'closed';
      const u: McmpUnanswered = {
        request: r,
        reason,
        serverFinTs: finBefore.map((f) => f.ts),
        serverRstTs: rstAfter.map((f) => f.ts),
        frames: [...finBefore.map((f) => f.frame), ...rstAfter.map((f) => f.frame)],
      };
      const t = this.unansweredTally;
      t.count++;
      t.methods[r.method] = (t.methods[r.method] ?? 0) + 1;
      t.streams.add(r.stream);
      t.servers.add(ep(r.server));
      if (reason === 'keepalive-closed') t.keepaliveClosed++;
      if (this.unanswered.length < MAX_UNANSWERED_LISTED) this.unanswered.push(u);
      else t.unlisted.set(unansweredKind(u), (t.unlisted.get(unansweredKind(u)) ?? 0) + 1);
      // Its resend (a later request) is numbered after this: the request waited till now, so every
      // exchange after it is still held.
      const w = this.waiting;
      let i = w.length;
      while (i > 0 && w[i - 1]!.request.ts > r.ts) i--;
      w.splice(i, 0, u);
    }
    st.queue = [];
  }

  private probe(p: ProbeEvent): void {
    this.probeCounts[p.kind]++;
    if (this.outstanding > 0) this.keepProbe(p);
  }

  /** A probe, in time order after those of the same time (as a stable sort of them all placed it). */
  private keepProbe(p: ProbeEvent): void {
    const probes = this.probes;
    let i = probes.length;
    while (i > 0 && probes[i - 1]!.ts > p.ts) i--;
    if (i === probes.length) probes.push(p);
    else probes.splice(i, 0, p);
  }
}
