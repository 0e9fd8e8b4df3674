/**
 * Output of the TCP layer: per-stream ordered byte chunks and TCP events, pushed to a sink.
 * Stream ids are numbered from 0 in order of first appearance, as Wireshark's `tcp.stream`.
 */
export type Direction = 'c2s' | 's2c';

export interface Endpoint {
  addr: string;
  port: number;
}

export interface StreamInfo {
  id: number;
  client: Endpoint;
  server: Endpoint;
  /** How client/server were decided. */
  roleFrom: 'handshake' | 'port' | 'content' | 'first-packet';
  /** Frame and time of the first packet of the stream. */
  firstFrame: number;
  startTs: number;
}

export interface StreamData {
  stream: number;
  dir: Direction;
  /**
   * In-order bytes (after reassembly). A view, valid only during the onData call: usually into the
   * capture reader's read buffer, which is reused for later reads. A sink that keeps bytes past the
   * call (an incomplete message, bytes held until a decision) must copy them. Not copying every chunk
   * for every sink was a third of the capture layer's cost.
   */
  data: Buffer;
  /**
   * Set by the flow table: the same bytes in place, `bytes[start, end)` (valid, as `data`, only
   * during the call), so that a sink that reads by offsets makes no view (`data` is then made only
   * when read; the StreamData object itself is the table's one, refilled for every chunk). A copy
   * of a chunk kept past the call gives `data` only.
   */
  bytes?: Buffer;
  start?: number;
  end?: number;
  /** Frame numbers of the segments that delivered these bytes (in order, no duplicates). */
  frames: number[];
  /** Capture time of the last segment contributing to this chunk. */
  ts: number;
  /** Offset of data[0] in this direction's byte stream (0 = first byte after the SYN or first byte seen). */
  offset: number;
}

export type TcpEventKind =
  | 'syn'
  | 'syn-ack'
  | 'fin'
  | 'rst'
  | 'keep-alive'
  | 'zero-window'
  | 'retransmission'
  | 'out-of-order'
  | 'gap'
  | 'idle'
  | 'buffer-limit';

export interface TcpEvent {
  stream: number;
  /** Direction of the segment that caused it (for idle: direction of the packet ending the idle period). */
  dir: Direction;
  kind: TcpEventKind;
  frame: number;
  ts: number;
  /** gap: missing byte count; idle: seconds; retransmission: bytes re-sent. */
  value?: number;
  detail?: string;
}

export type StreamEnd = 'fin' | 'rst' | 'open' | 'timeout';

export interface StreamSummary {
  info: StreamInfo;
  packets: { c2s: number; s2c: number };
  /** Payload bytes as tshark's `-z conv,tcp` / sum of tcp.len per direction (retransmissions included). */
  payloadBytes: { c2s: number; s2c: number };
  /** Bytes delivered in order to the sink (retransmitted duplicates excluded). */
  deliveredBytes: { c2s: number; s2c: number };
  /** Frame bytes (frame.len, on-wire length of the whole packet) per direction, as `-z conv,tcp` "Bytes"; 0 when the caller gave none. */
  frameBytes: { c2s: number; s2c: number };
  /** Bytes declared lost by gap events (mid-stream starts not included: their size is unknown). */
  gapBytes: { c2s: number; s2c: number };
  lastTs: number;
  lastFrame: number;
  end: StreamEnd;
  /** rst: who sent the (first) RST; fin: who sent the first FIN (the closing initiator). */
  endBy?: Direction;
  /** True when a direction's first packet was not its SYN / SYN-ACK (capture began mid-connection or lost them). */
  midStream: boolean;
  counts: Partial<Record<TcpEventKind, number>>;
}

/** What the TCP layer pushes to. All callbacks are synchronous. */
export interface TcpSink {
  onStreamStart?(info: StreamInfo): void;
  onData?(chunk: StreamData): void;
  /**
   * A TCP event. The object is the table's own, refilled for every event and valid only during the
   * call (as StreamData): a sink that keeps it keeps a copy (copyTcpEvent).
   */
  onEvent?(event: TcpEvent): void;
  /**
   * Called when a stream is finished (FIN both ways, RST, new SYN on the 4-tuple) or at end of capture.
   * Packets that still arrive on the 4-tuple afterwards (the last ACK, a retransmitted FIN) belong to the
   * same stream, as in Wireshark: they are not decoded, but they are still counted into this same
   * summary object (packets, payloadBytes, frameBytes, lastTs, counts), so holders of the object see
   * final figures. A sink that keeps the object returns true; when none does, the table does not keep
   * it either (a finished flow's tombstone then holds no object: memory of pooled captures, issue 14)
   * and refills the same object (its info, endpoints and direction pairs) for the next stream that
   * ends: a sink that returns no true keeps nothing of it past the call.
   */
  onStreamEnd?(summary: StreamSummary): boolean | void;
}
