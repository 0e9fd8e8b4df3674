/**
 * `AjpAnalyzer`: the TcpSink that finds AJP13 connections, decodes both directions, runs the state
 * machine and tells each connection's story (request cycles, CPing/CPong round trips, idle periods,
 * TCP events, violations).
 *
 * Memory: per connection, two packet readers (≤ one packet each) and the open cycle. When a connection
 * ends its story is dropped (unless asked for), and its cycle/violation lists are capped with counts;
 * the summary stays. Non-AJP streams cost one look at their first bytes.
 */
import {
  AjpSession,
  DEFAULT_PACKET_SIZE,
  FRAME_TYPES,
  MAGIC_CONTAINER,
  MAGIC_WEB_SERVER,
  PacketReader,
  looksLikeAjp,
} from '../ajp/index.js';
import { isAcceptedRequestAttribute } from '../ajp/index.js';
import type { AjpMessage, AjpSide, FramerSink, RawPacket, SkippedBytes, Violation } from '../ajp/index.js';
import type { Direction, StreamData, StreamInfo, StreamSummary, TcpEvent, TcpSink } from '../tcp/types.js';
import { chunkLength, copyTcpEvent } from '../tcp/index.js';
import { LastMap } from '../util/last-map.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { describeMessage } from './describe.js';
import { noteSecrets, redactMessage } from './redact.js';
import type { AjpConnection, AjpEventSink, AjpResult, FrameCounts, RequestCycle, RequestRow, SecretInfo, TimelineEvent } from './types.js';
import { ConnTable, F_SYN_ACK } from './conn-table.js';

/** CPings kept waiting for their CPong per connection (see CPING below). */
const MAX_CPINGS_OUTSTANDING = 1024;

export interface AjpAnalyzerOptions {
  /** Ports that carry AJP (default [8009]); other streams are recognised by content. */
  ajpPorts?: number[];
  /** Negotiated packet size (Tomcat packetSize, mod_jk max_packet_size, ProxyIOBufferSize); default 8192. */
  packetSize?: number;
  /** Reveal Cookie/Authorization/Set-Cookie values and the AJP secret. */
  showSecrets?: boolean;
  /** Keep each connection's story (events) after it closes: true for all, or a set of tcp.stream ids. */
  story?: boolean | ReadonlySet<number>;
  /** With `story: true`, keep stories for at most this many connections (the first ones seen; default: all). */
  storyConnections?: number;
  /** Called for every decoded message, in decode order (redacted unless showSecrets). */
  onMessage?: (m: AjpMessage, stream: number, cycle: number | null) => void;
  /** Called for every connection when it ends, listed or not, as the detectors see it (`timeline --conn` names the AJP streams with it when the one asked for is not one). */
  onConnectionEnd?: (c: AjpConnection) => void;
  /**
   * Where the listed connections' stories go instead of being held: each kept story event and request
   * cycle as soon as nothing will change it, and each listed connection when it ends (or, still
   * open, at result()) with the last event and cycle it still held. They are then not in
   * connectionList. `timeline` writes them to a temporary file, so that what one reading of a
   * capture holds is bounded by its open connections, not by their stories.
   */
  storySink?: StorySink;
  /** Look for AJP on streams not on ajpPorts (default true). */
  detectByContent?: boolean;
  /**
   * Silence before a CPING / FORWARD_REQUEST that the detectors note as "after idle" (the
   * firewall-drop fact), seconds (default 1). Detection's own threshold, not a display option.
   */
  idleThreshold?: number;
  /** Silence shown as an `idle` line in the story, seconds (default: idleThreshold); the CLI's --idle. */
  storyIdleThreshold?: number;
  /** Fed with every violation, cycle end and connection end before any cap (the capture detectors). */
  events?: AjpEventSink;
  /** Caps for what is kept for display (counts of what was dropped are kept); detection never reads these lists. */
  eventLimit?: number;
  cycleLimit?: number;
  releasedCycleLimit?: number;
  violationLimit?: number;
  /**
   * Connections listed (with their cycles, violations and stories): the first this many of the
   * capture (default 1000); the others are counted (`connectionsDropped`) and still reach the
   * detectors through `events`. What a connection that is not listed keeps is its summary while open.
   */
  connectionLimit?: number;
  requestLimit?: number;
  /** Cycles kept over all listed connections together (default 5000; then counted in cyclesDropped). */
  cycleBudget?: number;
  /** Story events kept over all connections together (default 20000; then counted in eventsDropped). */
  storyEventBudget?: number;
}

/** See AjpAnalyzerOptions.storySink. Items are handed over in each connection's order. */
export interface StorySink {
  event(stream: number, ev: TimelineEvent): void;
  cycle(stream: number, cy: RequestCycle): void;
  /** A listed connection, final: its `events` and `cycles` are those not handed over yet, which come after them. */
  connection(conn: AjpConnection): void;
}

/**
 * A chunk or an event held for an undecided stream, as it is (no wrapper object per held item: a
 * stream found by content holds its SYN and SYN/ACK until its first bytes, every one of 200,000
 * connections of a pool): an event has a `kind`, a chunk none (isEvent).
 */
type Pending = StreamData | TcpEvent;

function isEvent(p: Pending): p is TcpEvent {
  return 'kind' in p;
}

/** The lists of a connection that keeps none (not listed, or nothing yet): shared, so frozen. */
const NONE = Object.freeze([]) as unknown as never[];

/** Conn.bits: */
const B_KEEP_STORY = 1;
const B_LISTED = 2;
const B_C2S_WEB_SERVER = 4;
const B_C2S_CONTAINER = 8;
const B_C2S_SIDE = B_C2S_WEB_SERVER | B_C2S_CONTAINER;
const B_FIRST_C2S = 16;
const B_FIRST_S2C = 32;
const B_FIRST_READER = B_FIRST_C2S | B_FIRST_S2C;
const READERS_SHIFT = 6; // two bits: 64 (c2s), 128 (s2c)
const B_MID_C2S = 256;
const B_MID_S2C = 512;
const B_CLOSED_FIN = 1024;
const B_CLOSED_RST = 2048;
const B_CLOSED = B_CLOSED_FIN | B_CLOSED_RST;
const B_CYCLE_SECRET = 4096;
const B_CYCLE_REJECTED = 8192;
/** Seen from its SYN (AjpConnection.fromStart), and found by content rather than by port (detectedBy). */
const B_FROM_START = 16384;
const B_BY_CONTENT = 32768;

/**
 * What the report lists of a connection beyond its counters: a listed connection's own (made at
 * its first item), one shared scratch for all the others (their frames and secrets counted where
 * nothing shows them; the other lists stay the frozen empty ones).
 */
interface Lists {
  frames: FrameCounts;
  secret: SecretInfo;
  cpingRtt: AjpConnection['cpingRtt'];
  /** Sum of the CPing round trips, and round trips after the first (the min/max/avg object is made anew only at the second: see CPONG); a listed connection's only. */
  rtt: { sum: number; second: number } | null;
  violations: CaptureEvidence[];
  cycles: RequestCycle[];
  events: TimelineEvent[];
  /** Events and cycles already handed to the storySink (they count against eventLimit / cycleLimit). */
  eventsOut: number;
  cyclesOut: number;
}

/**
 * One open AJP connection: a compact record (scalars, no per-direction maps), its two packet readers
 * made at the first payload of their direction, and itself as their sink (the reader hands over its
 * side: no closure per reader). What the report keeps of it is `out`; a connection that is not listed
 * shares empty lists and a frame-count scratch there.
 */
class Conn implements FramerSink {
  /**
   * The connection's flags and small enums in one number (a field each took 8 bytes on every open
   * connection): see the B_* bits and the accessors below.
   */
  private bits: number;
  /**
   * Each direction's reader while it holds something (a packet split across segments, a
   * resynchronisation); an idle one goes back to the analyzer's pool after each chunk (see
   * PacketReader.idle) and one is lent again at the next chunk.
   */
  rC2s: PacketReader | null = null;
  rS2c: PacketReader | null = null;
  cycle: RequestCycle | null = null;
  /** CPings waiting for their CPong (made at the first CPING). */
  cpingQueue: { ts: number; frames: number[] }[] | null = null;

  constructor(
    readonly a: AjpAnalyzer,
    /** Wireshark tcp.stream (its addresses and ports are in the row: no StreamInfo kept). */
    readonly id: number,
    readonly session: AjpSession,
    /** This connection's row in the analyzer's ConnTable (its counters, times and TCP facts). */
    readonly slot: number,
    /** A listed connection's own lists; the shared never-shown scratch otherwise. */
    readonly lists: Lists,
    keepStory: boolean,
    /** One of the first connectionLimit connections: its lists are kept for the report. */
    listed: boolean,
    fromStart: boolean,
    byContent: boolean,
  ) {
    this.bits = (keepStory ? B_KEEP_STORY : 0) | (listed ? B_LISTED : 0) | (fromStart ? B_FROM_START : 0) | (byContent ? B_BY_CONTENT : 0);
  }

  private flag(b: number): boolean {
    return (this.bits & b) !== 0;
  }

  private setFlag(b: number, on: boolean): void {
    this.bits = on ? this.bits | b : this.bits & ~b;
  }

  get fromStart(): boolean {
    return this.flag(B_FROM_START);
  }

  set fromStart(v: boolean) {
    this.setFlag(B_FROM_START, v);
  }

  get byContent(): boolean {
    return this.flag(B_BY_CONTENT);
  }

  /** Whether the web server (the side that sends 0x1234) is the TCP server: unless the first bytes said so, it is the client. */
  get webServerIsServer(): boolean {
    return this.c2sSide === 'container';
  }

  /** Whether the story (events) is kept. */
  get keepStory(): boolean {
    return this.flag(B_KEEP_STORY);
  }

  /** One of the first connectionLimit connections (or asked for): its lists are kept for the report. */
  get listed(): boolean {
    return this.flag(B_LISTED);
  }

  /** Who sends on c2s; null until the first bytes told us who is who (s2c is the other side). */
  get c2sSide(): AjpSide | null {
    const v = this.bits & B_C2S_SIDE;
    return v === 0 ? null : v === B_C2S_WEB_SERVER ? 'web-server' : 'container';
  }

  set c2sSide(side: AjpSide | null) {
    this.bits = (this.bits & ~B_C2S_SIDE) | (side === null ? 0 : side === 'web-server' ? B_C2S_WEB_SERVER : B_C2S_CONTAINER);
  }

  /** The direction whose reader was made first (the readers end in that order). */
  get firstReader(): Direction | null {
    const v = this.bits & B_FIRST_READER;
    return v === 0 ? null : v === B_FIRST_C2S ? 'c2s' : 's2c';
  }

  set firstReader(dir: Direction | null) {
    this.bits = (this.bits & ~B_FIRST_READER) | (dir === null ? 0 : dir === 'c2s' ? B_FIRST_C2S : B_FIRST_S2C);
  }

  /** Directions that had bytes, so a reader (bit 1: c2s, bit 2: s2c), pooled or not. */
  get readersMade(): number {
    return (this.bits >> READERS_SHIFT) & 3;
  }

  set readersMade(v: number) {
    this.bits = (this.bits & ~(3 << READERS_SHIFT)) | ((v & 3) << READERS_SHIFT);
  }

  /** Directions whose first bytes were not captured (the TCP layer's mid-stream gap event). */
  get midC2s(): boolean {
    return this.flag(B_MID_C2S);
  }

  set midC2s(v: boolean) {
    this.setFlag(B_MID_C2S, v);
  }

  get midS2c(): boolean {
    return this.flag(B_MID_S2C);
  }

  set midS2c(v: boolean) {
    this.setFlag(B_MID_S2C, v);
  }

  get closedHow(): 'fin' | 'rst' | null {
    const v = this.bits & B_CLOSED;
    return v === 0 ? null : v === B_CLOSED_FIN ? 'fin' : 'rst';
  }

  set closedHow(how: 'fin' | 'rst' | null) {
    this.bits = (this.bits & ~B_CLOSED) | (how === null ? 0 : how === 'fin' ? B_CLOSED_FIN : B_CLOSED_RST);
  }

  /**
   * Of the request cycle begun last (the open one, or the one its END_RESPONSE just closed): whether
   * its FORWARD_REQUEST carried the secret, and a req_attribute Tomcat rejects (what a violation
   * reports, read once here: a connection that shows no cycle keeps no attribute list).
   */
  get cycleSecret(): boolean {
    return this.flag(B_CYCLE_SECRET);
  }

  set cycleSecret(v: boolean) {
    this.setFlag(B_CYCLE_SECRET, v);
  }

  get cycleRejected(): boolean {
    return this.flag(B_CYCLE_REJECTED);
  }

  set cycleRejected(v: boolean) {
    this.setFlag(B_CYCLE_REJECTED, v);
  }

  sideOf(dir: Direction): AjpSide {
    const c2s = this.c2sSide!;
    return dir === 'c2s' ? c2s : c2s === 'web-server' ? 'container' : 'web-server';
  }

  packet(p: RawPacket, side: AjpSide): void {
    this.a.onPacket(this, side, p);
  }

  skipped(s: SkippedBytes, side: AjpSide): void {
    this.a.onSkipped(this, side, s);
  }

  oversize(h: { magic: number; length: number; offset: number; frames: number[]; ts: number }, side: AjpSide): void {
    this.a.onViolation(this, this.session.oversize(side, h, null));
  }
}

interface Candidate {
  info: StreamInfo;
  pending: Pending[];
  bytes: number;
}

const DETECT_MAX_BYTES = 0x10004;

export function emptyFrameCounts(): FrameCounts {
  const c = {} as FrameCounts;
  for (const t of FRAME_TYPES) c[t] = 0;
  return c;
}

export class AjpAnalyzer implements TcpSink {
  private readonly ports: Set<number>;
  private readonly packetSize: number;
  private readonly show: boolean;
  private readonly storyIdle: number;
  private readonly o: Required<Pick<AjpAnalyzerOptions, 'eventLimit' | 'cycleLimit' | 'releasedCycleLimit' | 'violationLimit' | 'connectionLimit' | 'requestLimit' | 'idleThreshold' | 'cycleBudget' | 'storyEventBudget'>>;
  private readonly live = new LastMap<Conn>();
  /**
   * Connections to an AJP port that have shown nothing but SYNs so far: their number and those
   * events, and no Conn until something else comes (a scan or SYN flood opens millions that never
   * do; a Conn with its session is ~1.6 KB, this a few dozen bytes). Made whole at the first byte,
   * at any other event, or at the end (materialise()).
   */
  private readonly quiet = new Map<number, { info: StreamInfo; n: number; events: TcpEvent[] }>();
  /** Idle packet readers, lent to the next chunk of any connection (Conn.rC2s). */
  private readonly idleReaders: PacketReader[] = [];
  private readonly candidates = new Map<number, Candidate>();
  private readonly closed: AjpConnection[] = [];
  private connectionsDropped = 0;
  /** Cycles kept in the listed connections, and story events kept (the global budgets). */
  private keptCycles = 0;
  private keptEvents = 0;
  /** Container ports of the connections closed so far (the live ones are read at result()). */
  private readonly containerPorts = new Set<number>();
  private connectionCount = 0;
  private requestCount = 0;
  private readonly frames = emptyFrameCounts();
  /** Where connections that are not listed count their frames (never shown). */
  private readonly unlistedFrames = emptyFrameCounts();
  /**
   * Where connections that are not listed count their secrets (never shown; the capture-wide
   * numbering is `secrets`): one object for all of them, not one per open connection.
   */
  private readonly unlistedSecret: AjpConnection['secret'] = { present: 0, absent: 0, ids: [] };
  /** The Lists of every connection that is not listed (see Lists). */
  private readonly unlisted: Lists = { frames: this.unlistedFrames, secret: this.unlistedSecret, cpingRtt: null, rtt: null, violations: NONE, cycles: NONE, events: NONE, eventsOut: 0, cyclesOut: 0 };
  /** The open connections' counters, times and TCP facts (Conn.slot). */
  private readonly t = new ConnTable();
  private readonly requests: RequestRow[] = [];
  private requestsDropped = 0;
  private readonly violations: CaptureEvidence[] = [];
  private violationsDropped = 0;
  private readonly violationCounts: Record<string, number> = {};
  private readonly secrets: Map<string, number>;
  /**
   * The cycle that ended at the packet being handled, and its connection (violations found at its
   * END_RESPONSE refer to it); null after. One packet is handled at a time: held here, not per connection.
   */
  private lastCycle: RequestCycle | null = null;
  private lastCycleOf: Conn | null = null;
  /** A finished cycle whose header lists are to be emptied once its packet is handled (release()). */
  private toRelease: RequestCycle | null = null;
  /** Largest AJP packet seen (header included), to compare with the packet size the user gave. */
  private largestPacket = 0;

  constructor(private readonly opts: AjpAnalyzerOptions = {}) {
    this.ports = new Set(opts.ajpPorts ?? [8009]);
    this.packetSize = opts.packetSize ?? DEFAULT_PACKET_SIZE;
    this.show = opts.showSecrets ?? false;
    this.o = {
      eventLimit: opts.eventLimit ?? 5000,
      cycleLimit: opts.cycleLimit ?? 1000,
      releasedCycleLimit: opts.releasedCycleLimit ?? 100,
      violationLimit: opts.violationLimit ?? 200,
      connectionLimit: opts.connectionLimit ?? 1000,
      requestLimit: opts.requestLimit ?? 10000,
      cycleBudget: opts.cycleBudget ?? 5000,
      storyEventBudget: opts.storyEventBudget ?? 20000,
      idleThreshold: opts.idleThreshold ?? 1,
    };
    this.storyIdle = opts.storyIdleThreshold ?? this.o.idleThreshold;
    this.secrets = new Map();
  }

  // ---- TcpSink ------------------------------------------------------------------------------

  onStreamStart(info: StreamInfo): void {
    if (this.ports.has(info.server.port) || this.ports.has(info.client.port)) {
      // Numbered now, as every connection is in the order it began (which ones are listed).
      this.quiet.set(info.id, { info, n: ++this.connectionCount, events: NONE });
    } else if (this.opts.detectByContent !== false) {
      // No list until something is held (a stream that never carries a byte holds its handshake events only).
      this.candidates.set(info.id, { info, pending: NONE, bytes: 0 });
    }
  }

  onData(chunk: StreamData): void {
    const c = this.live.get(chunk.stream) ?? this.materialise(chunk.stream);
    if (c !== undefined) {
      this.data(c, chunk);
      return;
    }
    const cand = this.candidates.get(chunk.stream);
    if (cand === undefined) return;
    if (cand.bytes === 0 && notAjpStart(cand, chunk)) {
      // The common case (HTTP, TLS, …) decided by this first chunk's first two bytes, as judge() would.
      this.candidates.delete(chunk.stream);
      return;
    }
    hold(cand, chunk);
    const at = cand.pending.length - 1;
    cand.bytes += chunk.data.length;
    this.judge(cand, false);
    // Still undecided: the chunk is held past this call, and its bytes (and the StreamData object,
    // the flow table's own) are valid only during it: a copy, with `data` only (no `bytes` in place).
    if (this.candidates.get(chunk.stream) === cand) cand.pending[at] = { stream: chunk.stream, dir: chunk.dir, data: Buffer.from(chunk.data), frames: chunk.frames, ts: chunk.ts, offset: chunk.offset };
  }

  onEvent(ev: TcpEvent): void {
    // A live connection first (the last one looked up is answered without the map): a stream is
    // never quiet and live at once.
    let c = this.live.get(ev.stream);
    if (c === undefined) {
      const q = this.quiet.get(ev.stream);
      if (q !== undefined && (ev.kind === 'syn' || (ev.kind === 'retransmission' && ev.detail === 'SYN')) && q.events.length < MAX_SYN_FRAMES) {
        // Held past this call: a copy (the flow table's TcpEvent is refilled for the next event).
        if (q.events === NONE) q.events = [copyTcpEvent(ev)];
        else q.events.push(copyTcpEvent(ev));
        return;
      }
      c = this.materialise(ev.stream);
    }
    if (c !== undefined) this.tcpEvent(c, ev);
    else {
      const cand = this.candidates.get(ev.stream);
      if (cand !== undefined && cand.pending.length < 64) hold(cand, copyTcpEvent(ev));
    }
  }

  onStreamEnd(summary: StreamSummary): void {
    const id = summary.info.id;
    const cand = this.candidates.get(id);
    if (cand !== undefined) this.judge(cand, true);
    this.candidates.delete(id);
    const c = this.live.get(id) ?? this.materialise(id);
    if (c === undefined) return;
    this.live.delete(id);
    this.finish(c, summary);
  }

  /** The Conn of a quiet connection (see `quiet`), its held SYNs replayed; undefined when not one. */
  private materialise(id: number): Conn | undefined {
    // None quiet (no connection to an AJP port waiting for its first byte, as in every capture whose
    // AJP is found by content): no lookup for each chunk and event of the streams nobody reads.
    if (this.quiet.size === 0) return undefined;
    const q = this.quiet.get(id);
    if (q === undefined) return undefined;
    this.quiet.delete(id);
    const c = this.newConn(q.info, 'port', q.n);
    this.live.set(id, c);
    for (const ev of q.events) this.tcpEvent(c, ev);
    return c;
  }

  // ---- results ------------------------------------------------------------------------------

  /** Summary so far; connections still open are included as they stand. */
  result(): AjpResult {
    for (const id of [...this.quiet.keys()]) this.materialise(id);
    const live = [...this.live.values()];
    const sink = this.opts.storySink;
    const open: AjpConnection[] = [];
    let listedOpen = 0;
    for (const c of live) {
      if (!c.listed) continue;
      listedOpen++;
      // To the sink one at a time: every open connection's snapshot at once was the peak.
      if (sink !== undefined) sink.connection(this.snapshot(c));
      else open.push(this.snapshot(c));
    }
    const containerPorts = new Set(this.containerPorts);
    for (const c of live) containerPorts.add(c.webServerIsServer ? this.t.clientPort[c.slot]! : this.t.serverPort[c.slot]!);
    return {
      connections: this.connectionCount,
      requests: this.requestCount,
      frames: { ...this.frames },
      distinctSecrets: this.secrets.size,
      connectionList: [...this.closed, ...open].sort((a, b) => a.stream - b.stream),
      connectionsDropped: this.connectionsDropped + (live.length - listedOpen),
      containerPorts: [...containerPorts].sort((a, b) => a - b),
      requestList: [...this.requests].sort((a, b) => a.ts - b.ts || a.stream - b.stream),
      requestsDropped: this.requestsDropped,
      violations: [...this.violations],
      violationsDropped: this.violationsDropped,
      violationCounts: { ...this.violationCounts },
      largestPacket: this.largestPacket,
      packetSize: this.packetSize,
    };
  }

  // ---- detection ----------------------------------------------------------------------------

  private judge(cand: Candidate, final: boolean): void {
    const first = cand.pending.find((p): p is StreamData => !isEvent(p));
    if (first === undefined) {
      if (final) this.candidates.delete(cand.info.id);
      return;
    }
    const dir = first.dir;
    const head = first.data;
    const midStream = cand.pending.some((p) => isEvent(p) && p.kind === 'gap' && p.dir === dir && p.value === undefined);
    if (!midStream && head.length >= 2 && !((head[0] === 0x12 && head[1] === 0x34) || (head[0] === 0x41 && head[1] === 0x42))) {
      // The common case (HTTP, TLS, anything else): decided by the first two bytes, nothing copied.
      this.candidates.delete(cand.info.id);
      return;
    }
    // The direction's held bytes in one buffer; usually one chunk, read as it is (no copy).
    let n = 0;
    for (const p of cand.pending) if (!isEvent(p) && p.dir === dir) n++;
    const bytes = n === 1 ? head : Buffer.concat(cand.pending.flatMap((p) => (!isEvent(p) && p.dir === dir ? [p.data] : [])));
    const last = final || cand.bytes >= DETECT_MAX_BYTES;
    let verdict = looksLikeAjp(bytes, last);
    if (verdict === 'no' && midStream) {
      // Picked up mid-stream: the first bytes may be the tail of a packet. Look for a header inside.
      for (let i = 1; i + 4 <= bytes.length && i < DETECT_MAX_BYTES; i++) {
        const b0 = bytes[i]!;
        const b1 = bytes[i + 1];
        if (!((b0 === 0x12 && b1 === 0x34) || (b0 === 0x41 && b1 === 0x42))) continue;
        const v = looksLikeAjp(bytes.subarray(i), last);
        if (v === 'no') continue;
        verdict = v;
        break;
      }
    }
    if (verdict === 'need-more') return;
    this.candidates.delete(cand.info.id);
    if (verdict === 'no') return;
    const c = this.newConn(cand.info, 'content');
    // Which side is the web server follows from the magic found.
    const otherSide: AjpSide = verdict === 'web-server' ? 'container' : 'web-server';
    c.c2sSide = dir === 'c2s' ? verdict : otherSide;
    this.live.set(cand.info.id, c);
    for (const p of cand.pending) {
      if (isEvent(p)) this.tcpEvent(c, p);
      else this.data(c, p);
    }
  }

  /** `n`: the connection's number when it was counted earlier (a quiet one); else counted now. */
  private newConn(info: StreamInfo, detectedBy: 'port' | 'content', n = ++this.connectionCount): Conn {
    const fromStart = info.roleFrom === 'handshake';
    const asked = typeof this.opts.story === 'object' && this.opts.story.has(info.id);
    const listed = n <= this.o.connectionLimit || asked;
    const keepStory =
      listed &&
      ((this.opts.story === true && n <= (this.opts.storyConnections ?? Infinity)) ||
        (typeof this.opts.story === 'object' && this.opts.story.has(info.id)));
    // Per-connection frame counts and secrets are shown only for listed connections: the others count into a scratch.
    const lists: Lists = listed ? { frames: emptyFrameCounts(), secret: { present: 0, absent: 0, ids: NONE }, cpingRtt: null, rtt: null, violations: NONE, cycles: NONE, events: NONE, eventsOut: 0, cyclesOut: 0 } : this.unlisted;
    const slot = this.t.alloc(info);
    return new Conn(this, info.id, new AjpSession(this.packetSize, fromStart), slot, lists, keepStory, listed, fromStart, detectedBy === 'content');
  }

  /** Who is the web server: the side whose first bytes carry 0x1234 (or, failing that, the non-AJP-port side). */
  private decideSides(c: Conn, chunk: StreamData): void {
    const magic = chunk.data.length >= 2 ? chunk.data.readUInt16BE(0) : -1;
    let dirSide: AjpSide;
    if (magic === MAGIC_WEB_SERVER) dirSide = 'web-server';
    else if (magic === MAGIC_CONTAINER) dirSide = 'container';
    else {
      const clientIsContainer = this.ports.has(this.t.clientPort[c.slot]!) && !this.ports.has(this.t.serverPort[c.slot]!);
      const webServerDir: Direction = clientIsContainer ? 's2c' : 'c2s';
      dirSide = chunk.dir === webServerDir ? 'web-server' : 'container';
    }
    const otherSide: AjpSide = dirSide === 'web-server' ? 'container' : 'web-server';
    c.c2sSide = chunk.dir === 'c2s' ? dirSide : otherSide;
  }

  // ---- data path ----------------------------------------------------------------------------

  private data(c: Conn, chunk: StreamData): void {
    // Not chunk.data.length: that would make the view the reader does without (tcp/ StreamData.bytes).
    const n = chunkLength(chunk);
    if (n === 0) return;
    if (c.c2sSide === null) this.decideSides(c, chunk);
    const c2s = chunk.dir === 'c2s';
    let reader = c2s ? c.rC2s : c.rS2c;
    const t = this.t;
    const expected = c2s ? t.nextC2s[c.slot]! : t.nextS2c[c.slot]!;
    const bit = c2s ? 1 : 2;
    if (reader === null) {
      const side = c.sideOf(chunk.dir);
      const spare = this.idleReaders.pop();
      if ((c.readersMade & bit) !== 0) {
        // This direction's reader went back to the pool idle at `expected` (see below): lent again from there.
        reader = (spare ?? newReader(side, c, true, this.packetSize)).reset(side, c, expected);
      } else {
        // The first payload of its direction.
        const inSync = !(c2s ? c.midC2s : c.midS2c) && c.fromStart;
        reader = spare !== undefined && inSync ? spare.reset(side, c, -1) : newReader(side, c, inSync, this.packetSize);
        if (spare !== undefined && !inSync) this.idleReaders.push(spare);
        c.readersMade |= bit;
        c.firstReader ??= chunk.dir;
      }
      if (c2s) c.rC2s = reader;
      else c.rS2c = reader;
    }
    if (expected >= 0 && chunk.offset > expected) c.session.resync();
    const next = chunk.offset + n;
    if (c2s) t.nextC2s[c.slot] = next;
    else t.nextS2c[c.slot] = next;
    if ((c2s ? c.c2sSide : c.sideOf('s2c')) === 'web-server') t.bytesWebServer[c.slot] += n;
    else t.bytesContainer[c.slot] += n;
    reader.push(chunk);
    // Between packets a reader holds nothing but its position, which is `next` here: back to the pool.
    if (reader.idle && reader.position === next && (c2s ? c.rC2s : c.rS2c) === reader) {
      if (c2s) c.rC2s = null;
      else c.rS2c = null;
      if (this.idleReaders.length < IDLE_READERS_MAX) this.idleReaders.push(reader);
    }
  }

  /** FramerSink, through the connection (Conn.packet). */
  onPacket(c: Conn, side: AjpSide, raw: RawPacket): void {
    this.packet(c, side, raw);
  }

  onSkipped(c: Conn, side: AjpSide, s: SkippedBytes): void {
    this.skipped(c, side, s);
  }

  onViolation(c: Conn, v: Violation): void {
    this.violation(c, v);
  }

  private packet(c: Conn, side: AjpSide, raw: RawPacket): void {
    // Only real AJP headers say a packet size: "GET / HTTP/1.0" read as magic "GE" + length "T " is not a 21540-byte packet.
    if ((raw.magic === 0x1234 || raw.magic === 0x4142) && raw.length + 4 > this.largestPacket) this.largestPacket = raw.length + 4;
    // Both read at once: the Step is the session's shared one, refilled by the next receive().
    const step = c.session.receive(raw, side);
    const m = step.message;
    const vs = step.violations;
    this.frames[m.type]++;
    c.lists.frames[m.type]++;
    const t = m.ts - this.t.startTs[c.slot]!;
    this.touch(c, m.ts, m.frames);
    const la = this.t.lastActivity[c.slot]!;
    const prev = Number.isNaN(la) ? null : la;
    if (prev !== null && m.ts - prev >= this.storyIdle && c.keepStory) {
      this.event(c, { kind: 'idle', t: prev - this.t.startTs[c.slot]!, ts: prev, frames: [], name: 'idle', text: `idle ${fmtSecs(m.ts - prev)}` });
    }
    this.t.lastActivity[c.slot] = m.ts;
    const uai = this.t.unansweredAfterIdle;
    if (m.side === 'container') uai[c.slot] = null;
    else if (prev !== null && m.ts - prev >= this.o.idleThreshold && (m.type === 'CPING' || m.type === 'FORWARD_REQUEST') && uai[c.slot] === null) {
      uai[c.slot] = { frames: [...m.frames], ts: m.ts, idle: m.ts - prev, type: m.type, retransmissions: 0 };
    }

    noteSecrets(m);
    const shown = redactMessage(m, this.show);
    const before = c.cycle?.index ?? null;
    const after = this.cycleUpdate(c, m, t, prev, shown);
    // END_RESPONSE closes its cycle but still belongs to it.
    const cycleNo = c.cycle?.index ?? (m.type === 'END_RESPONSE' ? before : null);
    this.opts.onMessage?.(shown, c.id, cycleNo);
    this.storyMessage(c, shown, t, cycleNo);
    if (after !== null) this.event(c, after);
    // Indexed: the shared empty list is frozen, and for-of over a frozen array takes V8's generic
    // iterator path (an iterator and result objects per packet).
    for (let i = 0; i < vs.length; i++) this.violation(c, vs[i]!);
    const ended = this.lastCycleOf === c;
    if (ended) {
      // Only violations of the packet that ended it refer to the last cycle: not kept past it.
      const done = this.lastCycle!;
      this.lastCycle = null;
      this.lastCycleOf = null;
      this.opts.events?.cycleDone?.(c.id, done);
    }
    if (this.toRelease !== null) this.release();
    // Nothing changes a cycle once its last packet is handled (and released): the sink may have it.
    if (ended && this.opts.storySink !== undefined && c.lists.cycles.length > 0) {
      c.lists.cyclesOut += handOver(c.lists.cycles, (x) => this.opts.storySink!.cycle(c.id, x));
      // The shared empty list again: an emptied array keeps its room (~150 B on each open connection).
      c.lists.cycles = NONE;
    }
  }

  /** Updates the open cycle and the counters; returns a story event to add after the message's own. */
  /** `shown` is redactMessage(m): its headers and attributes are the redacted ones, not redacted twice. */
  private cycleUpdate(c: Conn, m: AjpMessage, t: number, prev: number | null, shown: AjpMessage): TimelineEvent | null {
    const cy = c.cycle;
    switch (m.type) {
      case 'FORWARD_REQUEST':
      case 'MALFORMED': {
        if (m.type === 'MALFORMED' && (m.code !== 2 || m.truncated === true)) break;
        if (cy !== null) this.endCycle(c, 'superseded', null);
        const index = ++this.t.cycleCount[c.slot]!;
        this.t.requests[c.slot]++;
        this.requestCount++;
        const fr = m.type === 'FORWARD_REQUEST' ? m : null;
        if (fr !== null) this.noteSecret(c, fr.attributes);
        const attrs = fr !== null && shown.type === 'FORWARD_REQUEST' ? shown.attributes : NONE;
        c.cycleSecret = attrs.some((a) => a.code === 0x0c);
        // A req_attribute Tomcat rejects with 403 (include attributes, unknown names) was sent.
        c.cycleRejected = attrs.some((a) => a.request === true && !isAcceptedRequestAttribute(a.name));
        // The header lists are shown only in a kept story or a listed connection's cycles.
        const shows = c.listed || c.keepStory;
        c.cycle = {
          index,
          firstFrame: m.frames[m.frames.length - 1] ?? 0,
          lastFrame: null,
          ts: m.ts,
          t,
          method: fr?.method ?? null,
          methodCode: fr?.methodCode ?? -1,
          uri: fr?.uri ?? null,
          query: fr?.query ?? null,
          protocol: fr?.protocol ?? null,
          remoteAddr: fr?.remoteAddr ?? null,
          remoteHost: fr?.remoteHost ?? null,
          serverName: fr?.serverName ?? null,
          serverPort: fr?.serverPort ?? 0,
          isSsl: fr?.isSsl ?? false,
          headers: shows && fr !== null && shown.type === 'FORWARD_REQUEST' ? shown.headers : NONE,
          attributes: shows ? attrs : NONE,
          contentLength: fr?.contentLength ?? null,
          chunked: fr?.chunked ?? false,
          status: null,
          statusMessage: null,
          responseHeaders: NONE,
          requestBody: { bytes: 0, packets: 0 },
          responseBody: { bytes: 0, packets: 0, flushes: 0 },
          getBodyChunks: 0,
          requestBodyComplete: !(fr?.chunked ?? false) && !((fr?.contentLength ?? 0) > 0),
          reuse: null,
          timeToHeaders: null,
          total: null,
          outcome: 'open',
          idleBefore: prev === null ? null : m.ts - prev,
          violations: 0,
        };
        break;
      }
      case 'DATA':
        if (cy) {
          cy.requestBody.packets++;
          cy.requestBody.bytes += m.chunkLength ?? 0;
          if (m.empty || (cy.contentLength !== null && cy.requestBody.bytes >= cy.contentLength)) cy.requestBodyComplete = true;
        }
        break;
      case 'GET_BODY_CHUNK':
        if (cy) cy.getBodyChunks++;
        break;
      case 'SEND_HEADERS':
        if (cy && cy.status === null) {
          cy.status = m.status;
          cy.statusMessage = m.message;
          if (c.listed || c.keepStory) cy.responseHeaders = shown.type === 'SEND_HEADERS' ? shown.headers : m.headers;
          cy.timeToHeaders = m.ts - cy.ts;
        }
        break;
      case 'SEND_BODY_CHUNK':
        if (cy) {
          if (m.flush) cy.responseBody.flushes++;
          else {
            cy.responseBody.packets++;
            cy.responseBody.bytes += m.incomplete !== undefined ? m.incomplete.received : m.chunkLength;
          }
        }
        break;
      case 'END_RESPONSE':
        if (m.reuse === 0) this.t.notReused[c.slot]++;
        else this.t.reused[c.slot]++;
        if (cy) {
          cy.reuse = m.reuse;
          this.endCycle(c, 'end-response', m);
        }
        break;
      case 'CPING':
        this.t.cpings[c.slot]++;
        // Bounded: a CPing waits for its CPong (mod_jk sends the next only then), so thousands
        // outstanding is a broken peer; the oldest are dropped (and never paired) rather than
        // holding every one of 20M CPings (issue 15).
        if (c.cpingQueue === null) c.cpingQueue = [];
        else if (c.cpingQueue.length >= MAX_CPINGS_OUTSTANDING) c.cpingQueue.shift();
        c.cpingQueue.push({ ts: m.ts, frames: m.frames });
        break;
      case 'CPONG': {
        this.t.cpongs[c.slot]++;
        const q = c.cpingQueue;
        const ping = q?.shift();
        if (q !== null && q.length === 0) c.cpingQueue = null; // nothing outstanding: no list kept
        if (ping !== undefined) {
          const rtt = m.ts - ping.ts;
          // The round-trip figures are shown only for a listed connection (no detector reads them).
          const r = c.lists.cpingRtt;
          const n = this.t.cpongs[c.slot]!;
          if (!c.listed) {
            // not kept
          } else if (r === null) {
            c.lists.rtt = { sum: rtt, second: 0 };
            c.lists.cpingRtt = { min: rtt, avg: rtt, max: rtt };
          } else {
            const acc = c.lists.rtt!;
            acc.sum += rtt;
            if (++acc.second === 1) c.lists.cpingRtt = { min: Math.min(r.min, rtt), max: Math.max(r.max, rtt), avg: acc.sum / n }; // the key order the report has always had
            else {
              // Updated in place: no object per CPONG.
              r.min = Math.min(r.min, rtt);
              r.max = Math.max(r.max, rtt);
              r.avg = acc.sum / n;
            }
          }
          if (!c.keepStory) {
            // The story is not kept: count the event, build nothing.
            this.t.eventsDropped[c.slot]++;
            return null;
          }
          return {
            kind: 'cping',
            t,
            ts: m.ts,
            frames: [...ping.frames, ...m.frames],
            name: 'cping-rtt',
            text: `CPing/CPong round trip ${fmtMs(rtt)}`,
          };
        }
        break;
      }
      default:
        break;
    }
    return null;
  }

  private touch(c: Conn, ts: number, frames: number[]): void {
    const t = this.t;
    if (ts > t.lastTs[c.slot]!) t.lastTs[c.slot] = ts;
    const last = frames[frames.length - 1];
    if (last !== undefined && last > t.lastFrame[c.slot]!) t.lastFrame[c.slot] = last;
  }

  private endCycle(c: Conn, outcome: RequestCycle['outcome'], end: AjpMessage | null): void {
    const cy = c.cycle;
    if (cy === null) return;
    c.cycle = null;
    this.lastCycle = cy;
    this.lastCycleOf = c;
    cy.outcome = outcome;
    if (end !== null) {
      cy.lastFrame = end.frames[end.frames.length - 1] ?? null;
      cy.total = end.ts - cy.ts;
    }
    this.opts.events?.cycleEnd(c.id, this.t.webServerAddr(c.slot, c.webServerIsServer), cy);
    // Without a kept story a finished cycle keeps its summary only (see release()); the request
    // table row below has what the tables show.
    const limit = c.keepStory ? this.o.cycleLimit : this.o.releasedCycleLimit;
    const L = c.lists;
    if (c.listed && L.cycles.length + L.cyclesOut < limit && this.keptCycles < this.o.cycleBudget) {
      if (L.cycles === NONE) L.cycles = [];
      L.cycles.push(cy);
      this.keptCycles++;
    } else this.t.cyclesDropped[c.slot]++;
    // Its header lists are emptied once this packet's violations have read them (release()), kept
    // or not (the analyzer holds it as lastCycle only while that packet is handled).
    if (!c.keepStory) this.toRelease = cy;
    if (this.requests.length >= this.o.requestLimit) {
      this.requestsDropped++;
      return;
    }
    const row: RequestRow = {
      ts: cy.ts,
      stream: c.id,
      cycle: cy.index,
      frames: cy.lastFrame === null ? [cy.firstFrame] : [cy.firstFrame, cy.lastFrame],
      method: cy.method,
      uri: cy.uri,
      query: cy.query,
      status: cy.status,
      requestBytes: cy.requestBody.bytes,
      responseBytes: cy.responseBody.bytes,
      latency: cy.total,
      outcome: cy.outcome,
    };
    this.requests.push(row);
  }

  /**
   * A finished cycle of a connection without a kept story keeps its summary only (bounded memory on
   * long-lived pooled connections). Done in place rather than by copying the cycle, but only after
   * the packet that ended it is fully handled: its violations still read the cycle's attributes.
   */
  private release(): void {
    const cy = this.toRelease;
    if (cy === null) return;
    this.toRelease = null;
    // The shared (frozen) empty list: nothing adds to a finished cycle's lists.
    cy.headers = NONE;
    cy.attributes = NONE;
    cy.responseHeaders = NONE;
  }

  private noteSecret(c: Conn, attrs: readonly { code: number; value: string | number | null }[]): void {
    const a = attrs.find((x) => x.code === 0x0c);
    if (a === undefined || typeof a.value !== 'string') {
      c.lists.secret.absent++;
      return;
    }
    c.lists.secret.present++;
    let id = this.secrets.get(a.value);
    if (id === undefined) {
      id = this.secrets.size + 1;
      this.secrets.set(a.value, id);
    }
    if (!c.lists.secret.ids.includes(id)) {
      if (c.lists.secret.ids === NONE) c.lists.secret.ids = [];
      c.lists.secret.ids.push(id);
      if (this.show) (c.lists.secret.values ??= []).push(a.value);
    }
  }

  private skipped(c: Conn, side: AjpSide, s: SkippedBytes): void {
    const why =
      s.reason === 'mid-stream-start'
        ? 'the capture starts mid-stream'
        : s.reason === 'gap'
          ? 'bytes missing from the capture'
          : s.reason === 'trailing'
            ? 'stray bytes after the last whole packet, sent before the connection closed: not an AJP header, nothing missing from the capture'
            : 'not AJP';
    this.violation(c, {
      kind: 'resync',
      frames: s.frames,
      ts: s.ts,
      detail: s.reason === 'trailing' ? `${s.bytes} byte(s) from the ${side} after its last AJP packet (${why})` : `skipped ${s.bytes} byte(s) from the ${side} before the next AJP header (${why})`,
      fields: { bytes: s.bytes, reason: s.reason, side },
    });
  }

  private tcpEvent(c: Conn, ev: TcpEvent): void {
    if (ev.kind === 'gap' && ev.value === undefined && (c.readersMade & (ev.dir === 'c2s' ? 1 : 2)) === 0) {
      // This direction was picked up mid-stream: its reader starts by resynchronising.
      if (ev.dir === 'c2s') c.midC2s = true;
      else c.midS2c = true;
      c.fromStart = false;
      c.session.resync();
    }
    const side = c.c2sSide !== null ? c.sideOf(ev.dir) : ev.dir === 'c2s' ? 'web-server' : 'container';
    const t = this.t;
    const slot = c.slot;
    if (ev.kind === 'syn' || (ev.kind === 'retransmission' && ev.detail === 'SYN')) t.addSyn(slot, ev.frame, MAX_SYN_FRAMES);
    else if (ev.kind === 'syn-ack') t.facts[slot] = t.facts[slot]! | F_SYN_ACK;
    else if (ev.kind === 'retransmission' && side === 'web-server' && t.unansweredAfterIdle[slot] !== null) t.unansweredAfterIdle[slot]!.retransmissions++;
    if (ev.kind === 'fin' || ev.kind === 'rst') {
      if (ev.kind === 'fin' && t.finBy(slot) === null) t.setFinBy(slot, side);
      if (ev.kind === 'rst' && t.rstBy(slot) === null) t.setRstBy(slot, side);
      if (side === 'container' && t.closedIdleBy[slot] === null && c.closedHow === null && c.session.phase !== 'cycle' && c.session.phase !== 'closing' && t.requests[slot]! + t.cpings[slot]! > 0) {
        const la = t.lastActivity[slot]!;
        t.closedIdleBy[slot] = { side, how: ev.kind, frame: ev.frame, ts: ev.ts, idle: Number.isNaN(la) ? null : ev.ts - la };
      }
      if (ev.kind === 'rst' || c.closedHow === null) c.closedHow = ev.kind;
      for (const v of c.session.close(ev.kind, ev.frame, ev.ts, side)) this.violation(c, v);
    }
    if (ev.kind === 'idle') return; // the story computes idle periods itself, between AJP messages
    // TCP activity ends a silence too (an idle period is time with nothing at all on the connection).
    // (NaN, no activity yet, compares false.)
    if (ev.ts > t.lastActivity[slot]!) t.lastActivity[slot] = ev.ts;
    if (ev.ts > t.lastTs[slot]!) t.lastTs[slot] = ev.ts;
    if (ev.frame > t.lastFrame[slot]!) t.lastFrame[slot] = ev.frame;
    if (!c.keepStory) {
      this.t.eventsDropped[c.slot]++;
      return;
    }
    const extra = ev.value !== undefined ? ` (${ev.kind === 'gap' ? `${ev.value} bytes missing` : ev.value})` : '';
    this.event(c, {
      kind: 'tcp',
      t: ev.ts - this.t.startTs[c.slot]!,
      ts: ev.ts,
      frames: [ev.frame],
      from: side,
      name: ev.kind,
      cycle: c.cycle?.index,
      text: `${ev.kind.toUpperCase()} from the ${side.replace('-', ' ')}${extra}${ev.detail ? `: ${ev.detail}` : ''}`,
    });
  }

  private violation(c: Conn, v: Violation): void {
    // One fields object, filled in the order the report has always had: the violation's own fields,
    // then its request, then the endpoints (assigning a key already there keeps its place, as a spread would).
    const fields: NonNullable<CaptureEvidence['fields']> = v.fields === undefined ? {} : Object.assign({}, v.fields);
    const ev: CaptureEvidence = { source: 'capture', kind: v.kind, stream: c.id, frames: v.frames, ts: v.ts, detail: v.detail, fields };
    // The request a violation belongs to (the open cycle, or the one its END_RESPONSE just closed):
    // method, URI, status and whether the secret was sent, so rules can correlate without the timeline.
    const cy = c.cycle ?? (v.kind === 'end-response-no-reuse' && this.lastCycleOf === c ? this.lastCycle : null);
    if (cy !== null) {
      fields.cycle = cy.index;
      fields.method = cy.method;
      fields.uri = cy.uri;
      fields.status = cy.status;
      // cy is the cycle begun last (the open one, or the one this END_RESPONSE closed): its flags.
      fields.secret = c.cycleSecret;
      fields.requestBodyComplete = cy.requestBodyComplete;
      // Earlier violations in this cycle (a close after a protocol error is not a client abort).
      fields.cycleViolations = cy.violations;
      fields.rejectedAttribute = c.cycleRejected;
    }
    fields.webServer = this.t.endpointText(c.slot, c.webServerIsServer);
    fields.container = this.t.endpointText(c.slot, !c.webServerIsServer);
    this.opts.events?.violation(ev);
    this.violationCounts[v.kind] = (this.violationCounts[v.kind] ?? 0) + 1;
    // A packet over the assumed size is judged by the receiver's reaction (detect/packet-size.ts), not counted as an error.
    const informational = v.kind === 'end-response-no-reuse' || v.kind === 'resync' || v.kind === 'message-issue' || v.kind === 'packet-over-default' || v.kind === 'packet-too-big';
    if (!informational) this.t.errors[c.slot]++;
    if (c.cycle !== null) c.cycle.violations++;
    if (c.listed && c.lists.violations.length < this.o.violationLimit) {
      if (c.lists.violations === NONE) c.lists.violations = [];
      c.lists.violations.push(ev);
    }
    else this.t.violationsDropped[c.slot]++;
    if (this.violations.length < this.o.violationLimit * 50) this.violations.push(ev);
    else this.violationsDropped++;
    if (!c.keepStory) {
      this.t.eventsDropped[c.slot]++;
      return;
    }
    this.event(c, { kind: 'violation', t: v.ts - this.t.startTs[c.slot]!, ts: v.ts, frames: v.frames, name: v.kind, cycle: c.cycle?.index, text: `${v.kind}: ${v.detail}` });
  }

  private storyMessage(c: Conn, m: AjpMessage, t: number, cycle: number | null): void {
    // A story that will be dropped when the connection closes is not written at all.
    if (!c.keepStory) {
      this.t.eventsDropped[c.slot]++;
      return;
    }
    const last = c.lists.events[c.lists.events.length - 1];
    const foldable = (m.type === 'DATA' && !m.empty) || (m.type === 'SEND_BODY_CHUNK' && !m.flush && m.incomplete === undefined);
    const bytes = m.type === 'DATA' ? (m.chunkLength ?? 0) : m.type === 'SEND_BODY_CHUNK' ? (m.incomplete?.received ?? m.chunkLength) : 0;
    if (foldable && last !== undefined && last.kind === 'ajp' && last.name === m.type && last.cycle === (cycle ?? undefined) && last.count !== undefined) {
      last.count++;
      (last as TimelineEvent & { bytes: number }).bytes += bytes;
      if (last.frames.length < 64) for (const f of m.frames) if (!last.frames.includes(f)) last.frames.push(f);
      last.text = `${m.type} ×${last.count}, ${(last as TimelineEvent & { bytes: number }).bytes} bytes`;
      return;
    }
    const ev: TimelineEvent = { kind: 'ajp', t, ts: m.ts, frames: [...m.frames], from: m.side, name: m.type, text: describeMessage(m) };
    if (cycle !== null) ev.cycle = cycle;
    if (foldable) {
      ev.count = 1;
      (ev as TimelineEvent & { bytes: number }).bytes = bytes;
    }
    this.event(c, ev);
  }

  private event(c: Conn, ev: TimelineEvent): void {
    if (!c.keepStory) {
      this.t.eventsDropped[c.slot]++;
      return;
    }
    if (ev.cycle === undefined) delete ev.cycle;
    const L = c.lists;
    if (L.events.length + L.eventsOut < this.o.eventLimit && this.keptEvents < this.o.storyEventBudget) {
      if (L.events === NONE) L.events = [];
      L.events.push(ev);
      // Only a body packet's event (one with a count) is changed later, by the next body packet folded
      // into it (storyMessage): any other goes to the sink now, and the events before it with it.
      if (this.opts.storySink !== undefined && ev.count === undefined) {
        L.eventsOut += handOver(L.events, (x) => this.opts.storySink!.event(c.id, x));
        L.events = NONE;
      }
      this.keptEvents++;
    } else this.t.eventsDropped[c.slot]++;
  }

  // ---- end of a connection ------------------------------------------------------------------

  private finish(c: Conn, summary: StreamSummary): void {
    // Closed by FIN/RST: a partial packet is one its sender never finished (an incomplete message), not bytes the capture lost.
    const closed = summary.end === 'fin' || summary.end === 'rst' || c.closedHow !== null;
    // In the order the readers were made, as before (c2s usually first).
    const first = c.rC2s !== null && c.rS2c !== null && c.firstReader === 's2c' ? c.rS2c : c.rC2s;
    const second = first === c.rC2s ? c.rS2c : c.rC2s;
    first?.end(closed);
    second?.end(closed);
    const cy = c.cycle;
    if (cy !== null) this.endCycle(c, summary.end === 'rst' || c.closedHow === 'rst' ? 'reset' : c.closedHow === 'fin' || summary.end === 'fin' ? 'closed' : 'open', null);
    if (c.session.phase === 'cping' && c.closedHow === null && summary.end !== 'open') {
      for (const v of c.session.close(summary.end === 'rst' ? 'rst' : 'fin', summary.lastFrame, summary.lastTs, 'container')) this.violation(c, v);
    }
    this.release();
    // A cycle this end closed is referred to by nothing after it (as a packet's is after the packet).
    if (this.lastCycleOf === c) {
      this.lastCycle = null;
      this.lastCycleOf = null;
    }
    const t = this.t;
    const slot = c.slot;
    t.lastTs[slot] = Math.max(t.lastTs[slot]!, summary.lastTs);
    t.lastFrame[slot] = Math.max(t.lastFrame[slot]!, summary.lastFrame);
    // Release the details: the summary and (capped) violations stay.
    const L = c.lists;
    if (!c.keepStory && L.cycles.length > this.o.releasedCycleLimit) {
      t.cyclesDropped[slot] += L.cycles.length - this.o.releasedCycleLimit;
      this.keptCycles -= L.cycles.length - this.o.releasedCycleLimit;
      L.cycles = L.cycles.slice(0, this.o.releasedCycleLimit);
    }
    // The connection as the report and the detectors see it, built once now from its row.
    const out = this.connection(c, summary.end, true);
    this.opts.events?.connectionEnd(out);
    this.opts.onConnectionEnd?.(out);
    this.containerPorts.add(out.container.port);
    if (!c.listed) this.connectionsDropped++;
    else if (this.opts.storySink !== undefined) this.opts.storySink.connection(out);
    else this.closed.push(out);
    t.release(slot);
  }

  /** A connection from its row and lists, in the key order the report has always had. */
  private connection(c: Conn, end: AjpConnection['end'], released: boolean): AjpConnection {
    const t = this.t;
    const s = c.slot;
    const L = c.lists;
    const startTs = t.startTs[s]!;
    const lastTs = t.lastTs[s]!;
    return {
      stream: c.id,
      webServer: t.endpoint(s, c.webServerIsServer),
      container: t.endpoint(s, !c.webServerIsServer),
      detectedBy: c.byContent ? 'content' : 'port',
      fromStart: c.fromStart,
      startTs,
      lastTs,
      duration: lastTs - startTs,
      firstFrame: t.firstFrame[s]!,
      lastFrame: t.lastFrame[s]!,
      end,
      requests: t.requests[s]!,
      cpings: t.cpings[s]!,
      cpongs: t.cpongs[s]!,
      cpingRtt: L.cpingRtt,
      reused: t.reused[s]!,
      notReused: t.notReused[s]!,
      frames: L.frames,
      bytes: { webServer: t.bytesWebServer[s]!, container: t.bytesContainer[s]! },
      secret: L.secret,
      errors: t.errors[s]!,
      violations: L.violations,
      violationsDropped: t.violationsDropped[s]!,
      cycles: L.cycles,
      cyclesDropped: t.cyclesDropped[s]!,
      events: L.events,
      eventsDropped: t.eventsDropped[s]!,
      released,
      facts: t.factsOf(s),
    };
  }

  /** A listed connection still open, as it stands (its open cycle as a copy). */
  private snapshot(c: Conn): AjpConnection {
    const out = this.connection(c, 'active', false);
    if (c.cycle !== null) out.cycles = [...out.cycles, { ...c.cycle }];
    return out;
  }
}

/** Hands every item of `list` to `give`, in order; returns how many. */
function handOver<T>(list: readonly T[], give: (x: T) => void): number {
  for (const x of list) give(x);
  return list.length;
}

/** Idle packet readers kept for reuse (one is in use per direction being read at a time). */
const IDLE_READERS_MAX = 64;

function newReader(side: AjpSide, sink: FramerSink, inSync: boolean, packetSize: number): PacketReader {
  const r = new PacketReader(side, sink, inSync);
  r.sizeLimit = packetSize;
  r.announceLimit = DEFAULT_PACKET_SIZE;
  return r;
}

/** SYN frames (the first and its retransmissions) kept per connection: enough for a filter, bounded. */
const MAX_SYN_FRAMES = 16;

/** Holds a chunk or event of an undecided stream: its list made at the first, sized to it. */
function hold(cand: Candidate, p: Pending): void {
  if (cand.pending === NONE) cand.pending = [p];
  else cand.pending.push(p);
}

/** judge()'s quick verdict for a first chunk: two bytes, neither AJP magic, no mid-stream start in that direction. */
function notAjpStart(cand: Candidate, chunk: StreamData): boolean {
  const head = chunk.data;
  if (head.length < 2 || (head[0] === 0x12 && head[1] === 0x34) || (head[0] === 0x41 && head[1] === 0x42)) return false;
  for (const p of cand.pending) if (isEvent(p) && p.kind === 'gap' && p.dir === chunk.dir && p.value === undefined) return false;
  return true;
}

export function fmtSecs(s: number): string {
  return s >= 1 ? `${s.toFixed(3)} s` : `${(s * 1000).toFixed(3)} ms`;
}

export function fmtMs(s: number): string {
  return `${(s * 1000).toFixed(3)} ms`;
}
