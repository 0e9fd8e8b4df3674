/**
 * capture/ — public surface. Reads pcap (µs and ns, both byte orders; our direct loop by default,
 * or pcap-parser behind an adapter), pcapng (our block reader) and either of them gzip-compressed,
 * from a file or stdin.
 *
 * ```ts
 * const reader = await openCapture('x.pcap.gz');          // or '-' for stdin
 * reader.info;                                           // { format: 'pcap', gzip: true, linkTypes: [1], ... }
 * await reader.read((p) => { ... });                     // push form: every Packet, frame numbers from 1
 * reader.warnings;                                       // e.g. [{ code: 'truncated', ... }]
 * ```
 * Not a capture / corrupt record → CaptureFormatError (message names the input and what was found).
 */
export type { Packet, CaptureFormat, CaptureInfo, CaptureWarning } from './types.js';
export { CaptureFormatError } from './types.js';
export { openCapture, CHUNK_SIZE, DEFAULT_PCAP_ENGINE, type CaptureReader, type OpenCaptureOptions } from './reader.js';
export { sniff, type Sniffed } from './sniff.js';
export { PcapngFramer } from './pcapng.js';
export { PcapFramer, parsePcapHeader, maxRecordLength, type PcapHeader } from './pcap.js';
