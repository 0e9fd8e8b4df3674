/**
 * Ambient types for `pcap-parser` 0.2.1 (CommonJS, ships no types; lib/pcap-parser.js read from the
 * tarball). Only what src/capture/pcap.ts uses.
 */
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';

  export interface PcapGlobalHeader {
    magicNumber: number;
    majorVersion: number;
    minorVersion: number;
    gmtOffset: number;
    timestampAccuracy: number;
    snapshotLength: number;
    linkLayerType: number;
  }

  export interface PcapPacketHeader {
    timestampSeconds: number;
    /** Microseconds, or nanoseconds when the file's magic said so (pcap-parser does not know). */
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  }

  export interface PcapParser extends EventEmitter {
    on(event: 'globalHeader', fn: (h: PcapGlobalHeader) => void): this;
    on(event: 'packetHeader', fn: (h: PcapPacketHeader) => void): this;
    on(event: 'packet', fn: (p: { header: PcapPacketHeader; data: Buffer }) => void): this;
    on(event: 'end', fn: () => void): this;
    on(event: 'error', fn: (err: Error) => void): this;
  }

  export function parse(input: string | Readable): PcapParser;
}
