/**
 * What every capture reader (pcap, pcapng, gzip-wrapped, stdin) yields.
 * Readers never throw on bad bytes inside a file they recognised: they stop and report a
 * `CaptureWarning` (truncation) or raise `CaptureFormatError` (not a capture / impossible record),
 * which the CLI turns into one line and exit code 2.
 */
export interface Packet {
  /** 1-based, as Wireshark's `frame.number`: counts every packet record in file order, whatever its link type. */
  frame: number;
  /** Capture time in seconds since the epoch (float; sub-microsecond digits of ns captures are approximate). */
  ts: number;
  /** DLT / LINKTYPE number of the interface this packet was captured on. */
  linkType: number;
  /**
   * Captured bytes. May be a view into a reader's chunk, reused after the callback (and the Packet
   * object itself may be reused by CaptureReader.read): consumers copy what they keep.
   */
  data: Buffer;
  /** Length on the wire (>= data.length when the snaplen cut it). */
  origLen: number;
  /**
   * Set by a reader that hands its packets over in place (the pcap record loop, PcapFramer with
   * reusePacket): the captured bytes are `bytes[start, start + caplen)`, the same bytes as `data`,
   * whose Buffer view is then made only when `data` is read. decodeTcp reads them in place: a view
   * per packet (a FastBuffer, ~60 ns and 100 bytes of garbage) was the largest single cost of the
   * record loop (issue 14).
   */
  bytes?: Buffer;
  start?: number;
  caplen?: number;
}

export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng';

export interface CaptureInfo {
  format: CaptureFormat;
  /** True when the bytes were gzip-compressed on disk / on stdin. */
  gzip: boolean;
  /** Byte order of the (first) header. */
  byteOrder: 'little' | 'big';
  /** Link types seen in the file headers (pcap: one; pcapng: one per interface). */
  linkTypes: number[];
  snaplen?: number;
  /** pcapng: number of sections (SHBs) seen so far. */
  sections?: number;
}

export interface CaptureWarning {
  code: 'truncated' | 'bad-block' | 'unsupported-block' | string;
  message: string;
  /** File offset (in the decompressed stream) where the problem starts. */
  offset?: number;
}

/** Thrown when the input is not a capture we can read at all, or is corrupt beyond recovery. */
export class CaptureFormatError extends Error {
  constructor(message: string, readonly offset?: number) {
    super(message);
    this.name = 'CaptureFormatError';
  }
}
