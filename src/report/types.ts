import type { Evidence } from '../util/evidence.js';

export type Severity = 'error' | 'warning' | 'info';
export type Confidence = 'confirmed' | 'likely' | 'possible';

export interface Finding {
  /** Root-cause id from the project's list (root-causes.md), e.g. `cping-desync-leftover-packets`. */
  id: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  /** Plain-words why, specific to this instance where possible. */
  explanation: string;
  /** Exact directives to change, with the versions that matter. */
  remedy: string;
  evidence: Evidence[];
  references?: string[];
  /** e.g. "raise JkLogLevel to debug to confirm ..." */
  notes?: string[];
  /** Group key values (worker, backend...) this finding is about. */
  subject?: Record<string, string>;
  /** Set on a consequence (e.g. lb-all-members-failed) when another finding names its cause: that finding's id. */
  consequenceOf?: string;
}

export interface InputRef {
  path: string;
  kind: 'capture' | 'log';
  format: string;
}

/** The JSON report core (see docs/report.md and docs/report.schema.json). */
export interface Report {
  schema: 'ajp-inspect/report';
  schemaVersion: 1;
  tool: { name: 'ajp-inspect'; version: string };
  generatedAt?: string;
  inputs: InputRef[];
  warnings?: string[];
  capture?: Record<string, unknown> & { packets: number; tcpStreams: number };
  logs?: Record<string, unknown>;
  findings?: Finding[];
}
