/**
 * The shapes of the analysis seam: the options every capture command passes (declared once in
 * cli/, read here), a protocol vertical, and what one analysis of a capture gives.
 */
import type { CaptureRun } from '../inspect/index.js';
import type { TcpSink } from '../tcp/index.js';
import type { AjpAnalyzerOptions } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';

/** What the user said about the capture; every vertical reads the part it needs. */
export interface AnalysisOptions {
  /** Ports that carry AJP (AJP elsewhere is found by content). */
  ajpPorts: number[];
  /** Ports whose requests with unknown methods are taken as MCMP (MCMP methods are found on any port). */
  mcmpPorts: number[];
  /** The packet size the user says both AJP sides use; the wire wins where it disagrees. */
  packetSize: number;
  /** Cookie, Authorization and the AJP secret shown instead of redacted. */
  showSecrets: boolean;
  /** Seconds of silence on a connection reported as an idle period (TCP table). */
  idle: number;
  /**
   * What a command shows of the AJP connections (stories kept, a callback per message, caps).
   * These change what is kept for display, never what is detected.
   */
  ajp?: Partial<Pick<AjpAnalyzerOptions, 'story' | 'storyConnections' | 'onMessage' | 'onConnectionEnd' | 'storySink' | 'eventLimit' | 'cycleLimit' | 'releasedCycleLimit' | 'requestLimit' | 'violationLimit' | 'connectionLimit' | 'cycleBudget' | 'storyEventBudget'>>;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = { ajpPorts: [8009], mcmpPorts: [], packetSize: 8192, showSecrets: false, idle: 30 };

/** Something the analysis wants the user to know about the input itself (not a root cause). */
export interface Notice {
  /** Stable name: `no-ajp`, `ajp-port-elsewhere`, `packet-size-exceeded`. */
  kind: string;
  text: string;
}

export interface VerticalResult<S> {
  /** The typed section this protocol adds to the report. */
  section: S;
  /** Rule-level evidence (the kinds rules/causes/* read in `needs.capture`). */
  evidence: CaptureEvidence[];
  notices: Notice[];
}

/** One analysis run of a vertical: a TcpSink during the pass, then its results. */
export interface VerticalRun<S> {
  sink: TcpSink;
  /** Called once, after the capture has been read and every stream ended. */
  finish(run: CaptureRun): VerticalResult<S>;
}

export interface TextContext {
  color: boolean;
  /** Capture start (seconds since the epoch), for relative times. */
  t0?: number;
  width?: number;
}

/**
 * A protocol vertical: detection, decoding, state, detectors, and its report section. Registered
 * with one line in verticals/index.ts; the seam and the renderers never name a protocol.
 */
export interface ProtocolVertical<S> {
  name: string;
  createSink(options: AnalysisOptions): VerticalRun<S>;
  /** The entries this section adds under `capture` in the JSON report (docs/report.md). */
  json(section: S, run: CaptureRun): Record<string, unknown>;
  /** Its part of the text report ('' when there is nothing of this protocol). */
  text(section: S, ctx: TextContext): string;
}
