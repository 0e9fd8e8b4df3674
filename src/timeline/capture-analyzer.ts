/**
 * The AJP part of a capture run for library users: a TcpSink during the pass, then `addTo(report)`
 * fills `capture.ajp` (connection and request counts, frame counts by type, the request list and
 * every violation with a Wireshark filter) and `capture.connections` (the timelines). The CLI uses
 * the AJP vertical of the analysis seam (src/analyze/verticals/ajp.ts), which writes the same
 * section with `ajpReportSection`.
 */
import { wiresharkFilter } from '../util/evidence.js';
import { AjpAnalyzer, type AjpAnalyzerOptions } from './analyzer.js';
import type { AjpResult } from './types.js';

/** The JSON section written under `capture.ajp`. */
export function ajpReportSection(r: AjpResult): Record<string, unknown> {
  return {
    connections: r.connections,
    requests: r.requests,
    frames: r.frames,
    distinctSecrets: r.distinctSecrets,
    violationCounts: r.violationCounts,
    violations: r.violations.map((v) => ({ ...v, filter: wiresharkFilter(v.frames) })),
    violationsDropped: r.violationsDropped,
    requestList: r.requestList,
    requestsDropped: r.requestsDropped,
    connectionsDropped: r.connectionsDropped,
  };
}

export class AjpCaptureAnalyzer {
  readonly sink: AjpAnalyzer;
  private cached: AjpResult | null = null;

  constructor(opts: AjpAnalyzerOptions = {}) {
    this.sink = new AjpAnalyzer(opts);
  }

  result(): AjpResult {
    this.cached ??= this.sink.result();
    return this.cached;
  }

  /** Adds `capture.ajp` and `capture.connections` to a report object. */
  addTo(report: { capture?: Record<string, unknown> }, _run?: unknown): void {
    const r = this.result();
    if (report.capture === undefined) return;
    report.capture.ajp = ajpReportSection(r);
    report.capture.connections = r.connectionList;
  }
}
