/** A TCP segment as decoded from one captured packet (link → IP → TCP). */
export interface Segment {
  frame: number;
  ts: number;
  /** Printable addresses: dotted IPv4 or compressed IPv6 (as Wireshark prints them). */
  srcAddr: string;
  dstAddr: string;
  /**
   * A number equal for equal addresses (IPv4: the address; IPv6: its 16 bytes folded into 32
   * bits), for tables to hash the whole 4-tuple on without hashing text. Only a hash: different
   * addresses may share one, so tables still compare srcAddr / dstAddr.
   */
  srcKey: number;
  dstKey: number;
  srcPort: number;
  dstPort: number;
  ipVersion: 4 | 6;
  seq: number;
  ack: number;
  /** TCP flag bits, see TcpFlags. */
  flags: number;
  window: number;
  /** Window scale shift from a SYN's option, when present on this segment. */
  windowScale?: number;
  /** TCP payload; a view into the packet data (copy to keep). */
  payload: Buffer;
  /**
   * Set by decodeTcp when it fills a Segment of newSegment(): the captured payload is
   * `bytes[payloadStart, payloadEnd)`, in place in the reader's buffer, and `payload` is made only
   * when read. The flow table reads the bytes in place: a Buffer view per data packet was one of
   * the capture path's largest allocations (issue 14).
   */
  bytes?: Buffer;
  payloadStart?: number;
  payloadEnd?: number;
  /** Payload length announced by the IP header (> payload.length when the snaplen cut the packet). */
  payloadLenOnWire: number;
}

export const TcpFlags = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;
