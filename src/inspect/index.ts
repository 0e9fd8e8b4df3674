/**
 * inspect/: the capture pipeline every capture command runs.
 *
 *   openCapture → decodeTcp (net/) → TcpFlowTable (tcp/) → our summary collector + the sinks given
 *
 * The AJP and MCMP analyzers are TcpSinks passed in `sinks`; this module knows nothing about them.
 * Streaming: one packet at a time, nothing but the flow table's bounded state and the (capped) list of
 * stream summaries is kept.
 */
import { openCapture, type CaptureInfo, type CaptureWarning } from '../capture/index.js';
import { decodeTcp, newNetCounters, newSegment, type NetCounters } from '../net/index.js';
import { TcpFlowTable, fanOut, type StreamSummary, type TcpSink } from '../tcp/index.js';

export interface InspectOptions {
  /** Analyzers fed with stream starts, in-order data, TCP events and stream ends. */
  sinks?: TcpSink[];
  /** Stream to read when the source is '-'. */
  stdin?: NodeJS.ReadableStream;
  /** Seconds of silence on a connection that make an `idle` event (default 30). */
  idleThreshold?: number;
  /** Per-direction reassembly buffer limit in bytes (default 4 MiB). */
  maxBufferPerFlow?: number;
  /** How many stream summaries to keep in the result (default 10000; the count is always exact). */
  maxStreams?: number;
  /** Called about every `progressEvery` packets with bytes read so far and the file size when known. */
  onProgress?: (bytesRead: number, sizeHint: number | undefined, packets: number) => void;
  progressEvery?: number;
  /** Name of the input in messages (default: the path, or 'stdin'). */
  name?: string;
  /** Classic pcap framing engine (see capture/ OpenCaptureOptions); default capture/'s. */
  pcapEngine?: 'pcap-parser' | 'direct';
}

export interface CaptureRun {
  source: string;
  info: CaptureInfo;
  warnings: CaptureWarning[];
  /** Frames in the file: frame.number of the last packet (pcapng custom blocks are numbered too, as in Wireshark). */
  packets: number;
  tcpPackets: number;
  /** Packets that are not TCP (other IP protocols, non-IP link payloads, fragments, malformed/truncated headers). */
  nonTcpPackets: number;
  /** Packets on a link type net/ does not decode. */
  unsupportedLinkPackets: number;
  net: NetCounters;
  /** Time of the first and last packet (seconds since the epoch); undefined for an empty capture. */
  firstTs?: number;
  lastTs?: number;
  /** Number of TCP streams (Wireshark's tcp.stream count). */
  tcpStreams: number;
  /** Stream summaries sorted by id, at most maxStreams of them (the first ones to end). */
  streams: StreamSummary[];
  streamsTruncated: boolean;
}

/** Read a capture and run it through net/ and tcp/, feeding `sinks`. */
export async function inspectCapture(source: string, opts: InspectOptions = {}): Promise<CaptureRun> {
  const openOpts: { stdin?: NodeJS.ReadableStream; name?: string; pcapEngine?: 'pcap-parser' | 'direct' } = {};
  if (opts.pcapEngine !== undefined) openOpts.pcapEngine = opts.pcapEngine;
  if (opts.stdin !== undefined) openOpts.stdin = opts.stdin;
  if (opts.name !== undefined) openOpts.name = opts.name;
  const reader = await openCapture(source, openOpts);
  const maxStreams = opts.maxStreams ?? 10000;
  const streams: StreamSummary[] = [];
  let streamsTruncated = false;
  const collector: TcpSink = {
    onStreamEnd(s) {
      if (streams.length < maxStreams) streams.push(s);
      else streamsTruncated = true;
    },
  };
  const tableOpts: { idleThreshold?: number; maxBufferPerFlow?: number } = {};
  if (opts.idleThreshold !== undefined) tableOpts.idleThreshold = opts.idleThreshold;
  if (opts.maxBufferPerFlow !== undefined) tableOpts.maxBufferPerFlow = opts.maxBufferPerFlow;
  const table = new TcpFlowTable(fanOut([collector, ...(opts.sinks ?? [])]), tableOpts);
  const counters = newNetCounters();
  // One Segment filled per packet: the flow table keeps nothing of it (it copies what it buffers).
  const segment = newSegment();
  let packets = 0;
  let firstTs: number | undefined;
  let lastTs = 0;
  const onProgress = opts.onProgress;
  const every = opts.progressEvery ?? 100000;
  let nextProgress = every;
  try {
    await reader.read((p) => {
      if (firstTs === undefined) firstTs = p.ts;
      lastTs = p.ts;
      const seg = decodeTcp(p, counters, segment);
      if (seg !== null) table.push(seg, p.origLen);
      if (onProgress !== undefined && counters.packets >= nextProgress) {
        nextProgress += every;
        onProgress(reader.bytesRead, reader.sizeHint, counters.packets);
      }
    });
  } finally {
    reader.close();
  }
  // frame.number, not a count of packets: pcapng custom / journal blocks take a frame number too,
  // including ones after the last packet.
  packets = reader.frames;
  table.finish();
  streams.sort((a, b) => a.info.id - b.info.id);
  const run: CaptureRun = {
    source,
    info: reader.info,
    warnings: reader.warnings,
    packets,
    tcpPackets: counters.tcp,
    nonTcpPackets: packets - counters.tcp - counters.unsupportedLink,
    unsupportedLinkPackets: counters.unsupportedLink,
    net: counters,
    tcpStreams: table.streamCount,
    streams,
    streamsTruncated,
  };
  if (firstTs !== undefined) {
    run.firstTs = firstTs;
    run.lastTs = lastTs;
  }
  return run;
}

/**
 * A capture analyzer run by the capture commands: a TcpSink fed during the pass, then asked to add
 * its sections (e.g. `capture.ajp`, `capture.mcmp`, `capture.connections`, findings) to the report.
 * The report type is kept structural here so this stage does not depend on report/.
 */
export interface CaptureAnalyzer<R = unknown> {
  sink: TcpSink;
  /** Called once after the capture has been read (all streams ended). */
  addTo(report: R, run: CaptureRun): void;
}
