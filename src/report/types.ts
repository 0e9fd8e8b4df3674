export type { Finding, Severity, Confidence } from '../rules/finding.js';
import type { Finding } from '../rules/finding.js';
import type { Verdict } from './verdict.js';

export interface InputRef {
  path: string;
  kind: 'capture' | 'log' | 'config';
  format: string;
  /** A configuration quoted in a text read as a log (a paste): its first and last line there. */
  quotedLines?: [number, number];
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
