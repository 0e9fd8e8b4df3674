/**
 * The capture part of the JSON report (docs/report.md), built from a CaptureRun by pure functions.
 * Other stages add their sections (`capture.ajp`, `capture.mcmp`, `capture.connections`, `findings`)
 * to the same plain object: see buildReport.
 */
import type { CaptureRun } from '../inspect/index.js';
import type { Endpoint, StreamSummary } from '../tcp/index.js';
import { linkTypeName } from '../net/index.js';
import { TOOL_VERSION } from '../version.js';
import type { Finding, InputRef, Report } from './types.js';
import { verdictOf } from './verdict.js';

export interface StreamReport {
  id: number;
  client: string;
  server: string;
  roleFrom: 'handshake' | 'port' | 'content' | 'first-packet';
  firstFrame: number;
  lastFrame: number;
  /** Seconds since the epoch. */
  startTs: number;
  /** Seconds from the first packet of the capture. */
  start: number;
  duration: number;
  end: 'fin' | 'rst' | 'open' | 'timeout';
  endBy?: 'client' | 'server';
  midStream: boolean;
  packets: { c2s: number; s2c: number };
  payloadBytes: { c2s: number; s2c: number };
  frameBytes: { c2s: number; s2c: number };
  deliveredBytes: { c2s: number; s2c: number };
  gapBytes: { c2s: number; s2c: number };
  /** Number of TCP events of each kind (syn, fin, rst, retransmission, gap, keep-alive, ...). */
  events: Record<string, number>;
}

export interface CaptureSection {
  [key: string]: unknown;
  file: string;
  format: string;
  gzip: boolean;
  byteOrder: 'little' | 'big';
  linkTypes: { id: number; name: string }[];
  packets: number;
  tcpPackets: number;
  nonTcpPackets: number;
  unsupportedLinkPackets: number;
  firstTs?: number;
  lastTs?: number;
  durationSeconds: number;
  tcpStreams: number;
  /** True when `streams` lists fewer streams than `tcpStreams`. */
  streamsTruncated: boolean;
  streams: StreamReport[];
}

/** host:port, with IPv6 addresses in brackets. */
export function formatEndpoint(e: Endpoint): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function streamReport(s: StreamSummary, captureStart: number): StreamReport {
  const r: StreamReport = {
    id: s.info.id,
    client: formatEndpoint(s.info.client),
    server: formatEndpoint(s.info.server),
    roleFrom: s.info.roleFrom,
    firstFrame: s.info.firstFrame,
    lastFrame: s.lastFrame,
    startTs: s.info.startTs,
    // Times that go backwards (a damaged record, a merged or re-clocked capture) never make a
    // negative start or duration: counted from where they are, at least 0.
    start: nonNegative(s.info.startTs - captureStart),
    duration: nonNegative(s.lastTs - s.info.startTs),
    end: s.end,
    midStream: s.midStream,
    packets: { ...s.packets },
    payloadBytes: { ...s.payloadBytes },
    frameBytes: { ...s.frameBytes },
    deliveredBytes: { ...s.deliveredBytes },
    gapBytes: { ...s.gapBytes },
    events: { ...s.counts } as Record<string, number>,
  };
  if (s.endBy !== undefined) r.endBy = s.endBy === 'c2s' ? 'client' : 'server';
  return r;
}

/** A span in seconds, rounded to the microsecond; 0 when the times go backwards or are out of range. */
function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? round6(x) : 0;
}

export function captureSection(run: CaptureRun, file: string): CaptureSection {
  const start = run.firstTs ?? 0;
  const sec: CaptureSection = {
    file,
    format: run.info.format,
    gzip: run.info.gzip,
    byteOrder: run.info.byteOrder,
    linkTypes: run.info.linkTypes.map((id) => ({ id, name: linkTypeName(id) })),
    packets: run.packets,
    tcpPackets: run.tcpPackets,
    nonTcpPackets: run.nonTcpPackets,
    unsupportedLinkPackets: run.unsupportedLinkPackets,
    durationSeconds: run.firstTs !== undefined && run.lastTs !== undefined ? nonNegative(run.lastTs - run.firstTs) : 0,
    tcpStreams: run.tcpStreams,
    streamsTruncated: run.streamsTruncated,
    streams: run.streams.map((s) => streamReport(s, start)),
  };
  if (run.firstTs !== undefined) sec.firstTs = run.firstTs;
  if (run.lastTs !== undefined) sec.lastTs = run.lastTs;
  return sec;
}

export function captureInput(run: CaptureRun, path: string): InputRef {
  return { path, kind: 'capture', format: run.info.format === 'pcapng' ? 'pcapng' : 'pcap' };
}

export interface ReportParts {
  inputs: InputRef[];
  warnings?: string[];
  capture?: CaptureSection;
  logs?: Record<string, unknown>;
  findings?: Finding[];
  generatedAt?: string;
}

/** The report core: a plain object; later stages add optional sections to `capture` and `findings`. */
export function buildReport(parts: ReportParts): Report {
  const report: Report = {
    schema: 'ajp-inspect/report',
    schemaVersion: 1,
    tool: { name: 'ajp-inspect', version: TOOL_VERSION },
    inputs: parts.inputs,
  };
  if (parts.generatedAt !== undefined) report.generatedAt = parts.generatedAt;
  if (parts.warnings !== undefined && parts.warnings.length > 0) report.warnings = parts.warnings;
  if (parts.capture !== undefined) report.capture = parts.capture;
  if (parts.logs !== undefined) report.logs = parts.logs;
  if (parts.findings !== undefined) {
    report.verdict = verdictOf(parts.findings) ?? null;
    report.findings = parts.findings;
  }
  return report;
}
