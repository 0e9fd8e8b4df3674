import type { FrameType } from './constants.js';

/** Which peer sent a packet. Follows from the magic: 0x1234 = web server, "AB" = container. */
export type AjpSide = 'web-server' | 'container';

/** A header as sent: `code` is the 0xA0xx value when the name was coded, absent for a string name. */
export interface AjpHeader {
  name: string;
  /** null only when a string name was sent as a null string (FF FF). */
  value: string | null;
  code?: number;
}

export interface AjpAttribute {
  code: number;
  /** Attribute name: `query_string`, `secret`, … or, for req_attribute (0x0A), the name sent on the wire. */
  name: string;
  /** ssl_key_size (0x0B) is the only integer attribute. */
  value: string | number | null;
  /** True for a req_attribute (0x0A) pair. */
  request?: boolean;
}

/** What every decoded AJP packet carries. */
interface MessageBase {
  type: FrameType;
  side: AjpSide;
  /** The two magic bytes as a number (0x1234, 0x4142, or something else for a bad packet). */
  magic: number;
  /** Payload length from the header (excluding the 4 header bytes). */
  length: number;
  /** Capture frame numbers of the segments the packet's bytes came from, ascending. */
  frames: number[];
  /** Capture time of the segment that completed the packet. */
  ts: number;
  /** Offset of the packet's first header byte in its direction's TCP byte stream. */
  offset: number;
  /** Non-fatal oddities (the packet still decoded). */
  issues?: string[];
}

/** What cut a packet short: a TCP gap (bytes missing from the capture), the sender closing the connection (FIN/RST) mid-packet, or the capture ending. */
export type CutBy = 'gap' | 'close' | 'capture-end';

export interface ForwardRequest extends MessageBase {
  type: 'FORWARD_REQUEST';
  methodCode: number;
  /** Name from the code table, or the stored_method attribute when the code is 0xFF; null when invalid. */
  method: string | null;
  protocol: string | null;
  uri: string | null;
  remoteAddr: string | null;
  remoteHost: string | null;
  serverName: string | null;
  serverPort: number;
  isSsl: boolean;
  headers: AjpHeader[];
  attributes: AjpAttribute[];
  /** Convenience copies of attributes. */
  query: string | null;
  /** Content-Length header (coded or string-named, as Tomcat reads it), or null when absent/unparseable. */
  contentLength: number | null;
  /** True when a Transfer-Encoding header says chunked (body length unknown up front). */
  chunked: boolean;
}

/** A web server → container packet read as request body (no prefix code). */
export interface DataPacket extends MessageBase {
  type: 'DATA';
  /** Chunk length field; null for the 0-length empty packet `12 34 00 00` (mod_jk). */
  chunkLength: number | null;
  /** True for either empty form (`12 34 00 00`, `12 34 00 02 00 00`): end of body. */
  empty: boolean;
}

export interface CodeOnly extends MessageBase {
  type: 'SHUTDOWN' | 'PING' | 'CPING' | 'CPONG';
}

export interface SendBodyChunk extends MessageBase {
  type: 'SEND_BODY_CHUNK';
  chunkLength: number;
  /** A zero-length chunk: Tomcat's flush packet `41 42 00 04 03 00 00 00`. */
  flush: boolean;
  /** Tomcat appends a NUL after the data (AjpProcessor.java); mod_proxy_ajp requires it. */
  trailingNul: boolean;
  /**
   * The connection ended (FIN/RST) before the whole packet was sent: an incomplete SEND_BODY_CHUNK,
   * `received` of its chunkLength data bytes on the wire (the peer reset the download, not the capture).
   */
  incomplete?: { received: number; cutBy: CutBy };
}

export interface SendHeaders extends MessageBase {
  type: 'SEND_HEADERS';
  status: number;
  message: string | null;
  headers: AjpHeader[];
}

export interface EndResponse extends MessageBase {
  type: 'END_RESPONSE';
  /** The reuse byte; null when missing (mod_jk treats that as an error). */
  reuse: number | null;
}

export interface GetBodyChunk extends MessageBase {
  type: 'GET_BODY_CHUNK';
  requestedLength: number;
}

export interface UnknownMessage extends MessageBase {
  type: 'UNKNOWN';
  code: number;
  /** AJP14 name when the code is one, else null. */
  name: string | null;
  reason: string;
}

export interface MalformedMessage extends MessageBase {
  type: 'MALFORMED';
  /** Prefix code when one was read. */
  code: number | null;
  reason: string;
  /** Cut short by a TCP gap or the end of the stream. */
  truncated?: boolean;
  cutBy?: CutBy;
}

export type AjpMessage =
  | ForwardRequest
  | DataPacket
  | CodeOnly
  | SendBodyChunk
  | SendHeaders
  | EndResponse
  | GetBodyChunk
  | UnknownMessage
  | MalformedMessage;

/** One AJP packet cut out of a byte stream, not yet interpreted. */
export interface RawPacket {
  magic: number;
  length: number;
  /** The payload (after the 4-byte header); may be shorter than `length` only if `truncated`. */
  payload: Buffer;
  frames: number[];
  ts: number;
  offset: number;
  /** Set when a TCP gap or the end of the stream cut the packet short. */
  truncated?: boolean;
  /** Why (set with truncated). */
  cutBy?: CutBy;
}
