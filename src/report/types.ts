export type { Finding, Severity, Confidence } from '../rules/finding.js';
import type { Finding } from '../rules/finding.js';
import type { Verdict } from './verdict.js';

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
  /** The primary root cause (null: none found); set wherever `findings` is. */
  verdict?: Verdict | null;
  findings?: Finding[];
}
