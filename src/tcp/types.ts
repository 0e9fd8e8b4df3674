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
  roleFrom: 'handshake' | 'port' | 'first-packet';
  /** Frame and time of the first packet of the stream. */
  firstFrame: number;
  startTs: number;
}

export interface StreamData {
  stream: number;
  dir: Direction;
  /** In-order bytes (after reassembly); a copy owned by the receiver. */
  data: Buffer;
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
  lastTs: number;
  lastFrame: number;
  end: StreamEnd;
  counts: Partial<Record<TcpEventKind, number>>;
}

/** What the TCP layer pushes to. All callbacks are synchronous. */
export interface TcpSink {
  onStreamStart?(info: StreamInfo): void;
  onData?(chunk: StreamData): void;
  onEvent?(event: TcpEvent): void;
  /** Called when a stream is finished (FIN both ways + ack, RST, new SYN on the 4-tuple) or at end of capture. */
  onStreamEnd?(summary: StreamSummary): void;
}
