/**
 * Evidence shapes shared by the capture side (ajp/, mcmp/, tcp/ violations) and the log side
 * (logs/), consumed by rules/ and report/. Kept in util/ because both springs of the river produce it.
 */

/** A protocol violation or notable fact found in a capture, reported as data (Zeek's "weird"). */
export interface CaptureEvidence {
  source: 'capture';
  /** Stable kebab-case name, e.g. `cpong-expected`, `data-after-end-response`, `packet-too-big`. */
  kind: string;
  /** TCP stream id (Wireshark `tcp.stream`). */
  stream: number;
  /** Capture frame numbers (Wireshark `frame.number`). */
  frames: number[];
  ts: number;
  /** One line for humans. */
  detail: string;
  /** Structured facts (server endpoint, codes received, sizes…). */
  fields?: Record<string, string | number | boolean | null>;
  /** The Wireshark display filter for `frames`, added where evidence is written into a report. */
  filter?: string;
}

export interface LogEvidence {
  source: 'log';
  path: string;
  line: number;
  text: string;
  ts?: string;
}

/** A configuration line a finding is about (config/: workers.properties, httpd, server.xml…). */
export interface ConfigEvidence {
  source: 'config';
  path: string;
  line: number;
  /** The setting as written (`worker.node1.connection_pool_timeout=600`), or what is unset and its default. */
  text: string;
}

export type Evidence = CaptureEvidence | LogEvidence | ConfigEvidence;

/** `frame.number in {1 2 3}` — a display filter a Wireshark user can paste. */
export function wiresharkFilter(frames: readonly number[]): string {
  // Most lists are already in order without a repeat (one to three frames, as the analyzers collect
  // them): written as they are, without the Set and the sort (~0.9 % of a 500 MB capture's JSON
  // report, issue 14, for its ~7,500 evidence items).
  let ordered = true;
  for (let i = 1; i < frames.length; i++) {
    if (!(frames[i - 1]! < frames[i]!)) {
      ordered = false;
      break;
    }
  }
  return `frame.number in {${(ordered ? frames : [...new Set(frames)].sort((a, b) => a - b)).join(' ')}}`;
}
