/**
 * A finding: what the rules conclude, with its evidence. It lives with the rules (the stage that
 * makes it); report/ carries findings and renderers show them, reading this type only.
 */
import type { Evidence } from '../util/evidence.js';

export type Severity = 'error' | 'warning' | 'info';
export type Confidence = 'confirmed' | 'likely' | 'possible';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface Finding {
  /** Root-cause id (rules/causes/<id>.ts), e.g. `cping-desync-leftover-packets`. */
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

/** The one exit-code policy of every command: true when a finding is at or above `failOn`. */
export function failsOn(findings: readonly Finding[], failOn: Severity): boolean {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}
