/**
 * The summary of every open AJP connection as columns (struct of arrays, like tcp/slots.ts): one
 * slot per open connection, its counters, times and TCP facts in typed arrays, nothing for the
 * garbage collector to trace. A pooled capture keeps most of its connections open to the end (mod_jk
 * and mod_proxy_ajp keep their pools), so this is what grows with the file; the `AjpConnection`
 * object the report and the detectors read is built from a slot when the connection ends (or when
 * a listed one is shown while still open), not kept per open connection (issue 14: was ~650 bytes
 * of objects per open connection, now ~140 bytes of columns).
 */
import type { AjpSide } from '../ajp/index.js';
import type { Endpoint, StreamInfo } from '../tcp/types.js';
import type { ConnectionFacts } from './types.js';
import { ColumnBlock, grown, type Column } from '../util/grown.js';

/** facts bits (Uint8 per slot). */
export const F_SYN = 1;
export const F_SYN_ACK = 2;
/** finBy and rstBy: two bits each, 0 none, 1 web server, 2 container. */
const FIN_SHIFT = 2;
const RST_SHIFT = 4;

function sideCode(side: AjpSide): number {
  return side === 'web-server' ? 1 : 2;
}

function sideOfCode(v: number): AjpSide | null {
  return v === 0 ? null : v === 1 ? 'web-server' : 'container';
}


const INITIAL_ROWS = 256;
/** The typed-array columns (grown and emptied together). */
const COLUMNS = [
  'startTs', 'lastTs', 'lastActivity', 'nextC2s', 'nextS2c', 'firstFrame', 'lastFrame', 'bytesWebServer', 'bytesContainer', 'eventsDropped', 'synFirst',
  'requests', 'cpings', 'cpongs', 'reused', 'notReused', 'errors', 'violationsDropped', 'cyclesDropped', 'cycleCount', 'clientPort', 'serverPort', 'facts',
] as const;
type ColumnName = (typeof COLUMNS)[number];

export class ConnTable {
  private cap = 0;
  private top = 0;
  private readonly free: number[] = [];

  // Times, frame numbers and byte counts: Float64 (frames past 2^32, bytes past 4 GB).
  startTs = new Float64Array(0);
  lastTs = new Float64Array(0);
  /** Time of the last activity (NaN: none yet). */
  lastActivity = new Float64Array(0);
  /** Stream offset after the last chunk of each direction (-1: none yet). */
  nextC2s = new Float64Array(0);
  nextS2c = new Float64Array(0);
  firstFrame = new Float64Array(0);
  lastFrame = new Float64Array(0);
  bytesWebServer = new Float64Array(0);
  bytesContainer = new Float64Array(0);
  eventsDropped = new Float64Array(0);
  /** The first SYN's frame (NaN: none); the retransmissions' frames are in synMore. */
  synFirst = new Float64Array(0);
  // Counters.
  requests = new Uint32Array(0);
  cpings = new Uint32Array(0);
  cpongs = new Uint32Array(0);
  reused = new Uint32Array(0);
  notReused = new Uint32Array(0);
  errors = new Uint32Array(0);
  violationsDropped = new Uint32Array(0);
  cyclesDropped = new Uint32Array(0);
  cycleCount = new Uint32Array(0);
  /** The TCP endpoints (the address strings are the capture decoder's cached ones, shared). */
  clientAddr: string[] = [];
  serverAddr: string[] = [];
  clientPort = new Uint16Array(0);
  serverPort = new Uint16Array(0);
  /** F_SYN, F_SYN_ACK, finBy, rstBy. */
  facts = new Uint8Array(0);
  /** The rare facts that are objects (most connections have neither): one reference each. */
  closedIdleBy: Array<ConnectionFacts['closedIdleBy']> = [];
  unansweredAfterIdle: Array<ConnectionFacts['unansweredAfterIdle']> = [];
  /** SYN retransmissions' frames, for the few connections that have any. */
  readonly synMore = new Map<number, number[]>();

  constructor(initial = INITIAL_ROWS) {
    this.grow(initial);
  }

  alloc(info: StreamInfo): number {
    const startTs = info.startTs;
    const firstFrame = info.firstFrame;
    let s = this.free.pop();
    if (s === undefined) {
      if (this.top === this.cap) this.grow(this.cap * 2);
      s = this.top++;
    }
    this.startTs[s] = startTs;
    this.lastTs[s] = startTs;
    this.lastActivity[s] = NaN;
    this.nextC2s[s] = -1;
    this.nextS2c[s] = -1;
    this.firstFrame[s] = firstFrame;
    this.lastFrame[s] = firstFrame;
    this.bytesWebServer[s] = 0;
    this.bytesContainer[s] = 0;
    this.eventsDropped[s] = 0;
    this.synFirst[s] = NaN;
    this.requests[s] = 0;
    this.cpings[s] = 0;
    this.cpongs[s] = 0;
    this.reused[s] = 0;
    this.notReused[s] = 0;
    this.errors[s] = 0;
    this.violationsDropped[s] = 0;
    this.cyclesDropped[s] = 0;
    this.cycleCount[s] = 0;
    this.facts[s] = 0;
    this.clientAddr[s] = info.client.addr;
    this.serverAddr[s] = info.server.addr;
    this.clientPort[s] = info.client.port;
    this.serverPort[s] = info.server.port;
    this.closedIdleBy[s] = null;
    this.unansweredAfterIdle[s] = null;
    return s;
  }

  /** The TCP server's endpoint (`server`), else the client's, as a new object. */
  endpoint(s: number, server: boolean): Endpoint {
    return server ? { addr: this.serverAddr[s]!, port: this.serverPort[s]! } : { addr: this.clientAddr[s]!, port: this.clientPort[s]! };
  }

  /** `addr:port` (`[addr]:port` for IPv6) of the TCP server (`server`) or client. */
  endpointText(s: number, server: boolean): string {
    const addr = server ? this.serverAddr[s]! : this.clientAddr[s]!;
    const port = server ? this.serverPort[s]! : this.clientPort[s]!;
    return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
  }

  webServerAddr(s: number, webServerIsServer: boolean): string {
    return webServerIsServer ? this.serverAddr[s]! : this.clientAddr[s]!;
  }

  release(s: number): void {
    this.clientAddr[s] = '';
    this.serverAddr[s] = '';
    this.closedIdleBy[s] = null;
    this.unansweredAfterIdle[s] = null;
    this.synMore.delete(s);
    this.free.push(s);
    // Every connection ended (the end of a capture): the columns sized for the most open at once go.
    if (this.free.length === this.top && this.cap > INITIAL_ROWS) this.empty();
  }

  private empty(): void {
    const cols = this as unknown as Record<ColumnName, Column>;
    for (const k of COLUMNS) cols[k] = new (cols[k].constructor as new (n: number) => Column)(0);
    this.clientAddr = [];
    this.serverAddr = [];
    this.closedIdleBy = [];
    this.unansweredAfterIdle = [];
    this.free.length = 0;
    this.top = 0;
    this.cap = 0;
    this.grow(INITIAL_ROWS);
  }

  finBy(s: number): AjpSide | null {
    return sideOfCode((this.facts[s]! >> FIN_SHIFT) & 3);
  }

  rstBy(s: number): AjpSide | null {
    return sideOfCode((this.facts[s]! >> RST_SHIFT) & 3);
  }

  setFinBy(s: number, side: AjpSide): void {
    this.facts[s] = (this.facts[s]! & ~(3 << FIN_SHIFT)) | (sideCode(side) << FIN_SHIFT);
  }

  setRstBy(s: number, side: AjpSide): void {
    this.facts[s] = (this.facts[s]! & ~(3 << RST_SHIFT)) | (sideCode(side) << RST_SHIFT);
  }

  /** A SYN (or its retransmission) of this connection: at most `max` frames kept. */
  addSyn(s: number, frame: number, max: number): void {
    this.facts[s] = this.facts[s]! | F_SYN;
    if (Number.isNaN(this.synFirst[s]!)) {
      this.synFirst[s] = frame;
      return;
    }
    const more = this.synMore.get(s);
    if (more === undefined) this.synMore.set(s, [frame]);
    else if (more.length + 1 < max) more.push(frame);
  }

  /** The facts as the report and the detectors read them (a new object each call). */
  factsOf(s: number): ConnectionFacts {
    const bits = this.facts[s]!;
    const first = this.synFirst[s]!;
    const more = this.synMore.get(s);
    return {
      syn: (bits & F_SYN) !== 0,
      synAck: (bits & F_SYN_ACK) !== 0,
      synFrames: Number.isNaN(first) ? [] : more === undefined ? [first] : [first, ...more],
      finBy: this.finBy(s),
      rstBy: this.rstBy(s),
      closedIdleBy: this.closedIdleBy[s]!,
      unansweredAfterIdle: this.unansweredAfterIdle[s]!,
    };
  }

  private grow(cap: number): void {
    const block = new ColumnBlock();
    const cols = this as unknown as Record<ColumnName, Column>;
    for (const k of COLUMNS) cols[k] = grown(cols[k], cap, block);
    // Packed arrays of references (no holes: V8 keeps them as plain element arrays).
    for (let i = this.cap; i < cap; i++) {
      this.clientAddr.push('');
      this.serverAddr.push('');
      this.closedIdleBy.push(null);
      this.unansweredAfterIdle.push(null);
    }
    this.cap = cap;
  }
}
