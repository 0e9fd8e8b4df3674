import type { AjpAttribute, AjpHeader, AjpSide, FrameType } from '../ajp/index.js';
import type { Endpoint, StreamEnd } from '../tcp/types.js';
import type { CaptureEvidence } from '../util/evidence.js';

export type FrameCounts = Record<FrameType, number>;

/** One request cycle: FORWARD_REQUEST → body ↔ GET_BODY_CHUNK → SEND_HEADERS → chunks → END_RESPONSE. */
export interface RequestCycle {
  /** 1-based within the connection. */
  index: number;
  /** Frame of the FORWARD_REQUEST and of the END_RESPONSE (null while open / never seen). */
  firstFrame: number;
  lastFrame: number | null;
  /** Capture time of the FORWARD_REQUEST, and seconds since the connection's first packet. */
  ts: number;
  t: number;
  method: string | null;
  methodCode: number;
  uri: string | null;
  query: string | null;
  protocol: string | null;
  remoteAddr: string | null;
  remoteHost: string | null;
  serverName: string | null;
  serverPort: number;
  isSsl: boolean;
  /** Request headers and attributes; Cookie/Authorization values and the secret redacted unless --show-secrets. */
  headers: AjpHeader[];
  attributes: AjpAttribute[];
  contentLength: number | null;
  chunked: boolean;
  status: number | null;
  statusMessage: string | null;
  responseHeaders: AjpHeader[];
  /** Request body (web server → container) and response body (container → web server). */
  requestBody: { bytes: number; packets: number };
  responseBody: { bytes: number; packets: number; flushes: number };
  /** GET_BODY_CHUNK rounds. */
  getBodyChunks: number;
  /** True when no body was due, or it all arrived (Content-Length reached, or the empty end packet). */
  requestBodyComplete: boolean;
  reuse: number | null;
  /** Seconds from FORWARD_REQUEST to SEND_HEADERS, and to END_RESPONSE. */
  timeToHeaders: number | null;
  total: number | null;
  /** How the cycle ended. */
  outcome: 'end-response' | 'closed' | 'reset' | 'superseded' | 'open';
  /** Seconds the connection was idle before this request (since its previous activity). */
  idleBefore: number | null;
  violations: number;
}

export type TimelineEventKind = 'ajp' | 'tcp' | 'cping' | 'idle' | 'violation' | 'skipped';

/** One line of a connection's story. */
export interface TimelineEvent {
  kind: TimelineEventKind;
  /** Seconds since the connection's first packet. */
  t: number;
  ts: number;
  frames: number[];
  /** Who sent it (ajp events). */
  from?: AjpSide;
  /** AJP frame type (ajp events) or TCP event name (tcp) or violation kind. */
  name: string;
  /** Request cycle this belongs to (1-based), if any. */
  cycle?: number;
  /** Consecutive body packets are folded into one event. */
  count?: number;
  text: string;
}

export interface SecretInfo {
  /** Requests that carried the secret attribute / did not. */
  present: number;
  absent: number;
  /** Distinct secrets on this connection, numbered across the capture (1 = first seen). */
  ids: number[];
  /** Only with --show-secrets. */
  values?: string[];
}

/** A connection's story and summary (`capture.connections[]`). */
export interface AjpConnection {
  /** Wireshark tcp.stream. */
  stream: number;
  webServer: Endpoint;
  container: Endpoint;
  detectedBy: 'port' | 'content';
  /** Whether the stream was seen from its SYN (false: the capture started mid-stream). */
  fromStart: boolean;
  startTs: number;
  lastTs: number;
  duration: number;
  firstFrame: number;
  lastFrame: number;
  end: StreamEnd | 'active';
  requests: number;
  cpings: number;
  cpongs: number;
  cpingRtt: { min: number; avg: number; max: number } | null;
  /** END_RESPONSE with reuse≠0 / reuse=0. */
  reused: number;
  notReused: number;
  frames: FrameCounts;
  bytes: { webServer: number; container: number };
  secret: SecretInfo;
  errors: number;
  violations: CaptureEvidence[];
  violationsDropped: number;
  cycles: RequestCycle[];
  cyclesDropped: number;
  events: TimelineEvent[];
  eventsDropped: number;
  /** True once the connection closed and its detail lists were trimmed. */
  released: boolean;
  /** TCP-level facts the capture detectors (detect/) read. */
  facts: ConnectionFacts;
}

export interface ConnectionFacts {
  syn: boolean;
  synAck: boolean;
  /** Frames of the web server's SYN and its retransmissions (at most 16). */
  synFrames: number[];
  /** Who sent the first FIN / RST. */
  finBy: AjpSide | null;
  rstBy: AjpSide | null;
  /** The container closed (FIN/RST) while no request cycle was open and no reuse=0 preceded it. */
  closedIdleBy: { side: AjpSide; how: 'fin' | 'rst'; frame: number; ts: number; idle: number | null } | null;
  /**
   * The web server used the connection after a silence (CPING or FORWARD_REQUEST), and the container
   * never answered anything after that; retransmissions counts the web server's re-sends since.
   */
  unansweredAfterIdle: { frames: number[]; ts: number; idle: number; type: string; retransmissions: number } | null;
}

/** One row of the capture-wide request table. */
export interface RequestRow {
  ts: number;
  stream: number;
  cycle: number;
  frames: number[];
  method: string | null;
  uri: string | null;
  query: string | null;
  status: number | null;
  requestBytes: number;
  responseBytes: number;
  latency: number | null;
  outcome: RequestCycle['outcome'];
}

/** What `AjpAnalyzer.result()` returns; maps onto the report's `capture.ajp` and `capture.connections`. */
export interface AjpResult {
  connections: number;
  requests: number;
  frames: FrameCounts;
  /** Distinct AJP secrets seen across connections (0 = none sent). */
  distinctSecrets: number;
  /** The first connections of the capture (AjpAnalyzerOptions.connectionLimit), by stream. */
  connectionList: AjpConnection[];
  /** Connections not in connectionList (counted in `connections`). */
  connectionsDropped: number;
  /** The container ports of every AJP connection, listed or not, ascending. */
  containerPorts: number[];
  requestList: RequestRow[];
  requestsDropped: number;
  violations: CaptureEvidence[];
  violationsDropped: number;
  violationCounts: Record<string, number>;
  /** Largest AJP packet seen, header included (0: none). */
  largestPacket: number;
  /** The packet size the analysis assumed (--packet-size). */
  packetSize: number;
}

/**
 * A streaming consumer of what the analyzer sees, before any display cap: every violation, every
 * request cycle as it ends, every connection as it ends. The capture detectors (detect/) are one;
 * what they find therefore never depends on how many violations, cycles or connections are kept
 * for display.
 */
export interface AjpEventSink {
  /** A violation (with its request context in `fields`, its connection in `stream`), in capture order. */
  violation(ev: CaptureEvidence): void;
  /**
   * A request cycle of connection `stream` (whose web server has the address `webServerAddr`) has ended
   * (END_RESPONSE, superseded, or the connection ended with it open). No AjpConnection is passed
   * while a connection is open: an open connection is a row of columns, not an object (conn-table.ts).
   */
  cycleEnd(stream: number, webServerAddr: string, cycle: RequestCycle): void;
  /**
   * The packet that ended `cycle` has been handled, with its violations: nothing refers to the
   * cycle from now on (a consumer may drop what it held for it).
   */
  cycleDone?(stream: number, cycle: RequestCycle): void;
  /** A connection has ended: its summary and facts are final (its lists may be capped). */
  connectionEnd(conn: AjpConnection): void;
}
