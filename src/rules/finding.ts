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
  /**
   * Set on a consequence (lb-all-members-failed, the refused connects inside a restart) when another
   * finding explains it: that finding's id. Findings come in causal order: a cause, then (depth
   * first) what it explains, so the nearest earlier finding with this id is the cause.
   */
  causedBy?: string;
  /** On a cause: the ids of the findings it explains (listed right after it). */
  explains?: string[];
}

/** Depth of each finding in the causal order (0 = a root cause), from `causedBy` and the order. */
export function causalDepths(findings: readonly Finding[]): number[] {
  const depth: number[] = [];
  findings.forEach((f, i) => {
    let d = 0;
    if (f.causedBy !== undefined)
      for (let j = i - 1; j >= 0; j--)
        if (findings[j].id === f.causedBy) {
          d = depth[j] + 1;
          break;
        }
    depth.push(d);
  });
  return depth;
}

/** The one exit-code policy of every command: true when a finding is at or above `failOn`. */
export function failsOn(findings: readonly Finding[], failOn: Severity): boolean {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
}
