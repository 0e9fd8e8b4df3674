/**
 * At most MAX_FINDINGS_PER_RULE findings of one rule are reported, chosen while the rule makes them
 * (rules/engine.ts `ctx.finding`), so a rule that would make 200,000 (a generated or damaged
 * server.xml of 200,000 Connectors: one finding each) holds 100 and not 200,000 with their texts:
 * a finding that cannot be among the kept is never built (the rule gets a placeholder back), and a
 * kept one that a better-ranked one displaces is dropped. The kept are the ones a stable sort by
 * rank would put first: the most severe and confident, then the first made.
 */
import type { Finding, Severity } from './finding.js';

export const MAX_FINDINGS_PER_RULE = 100;

const SEVERITY: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const CONFIDENCE = { confirmed: 0, likely: 1, possible: 2 } as const;

/** Lower is better: severity first, then confidence (as the engine's byRank within one rule). */
export function rankOf(severity: Severity, confidence: Finding['confidence']): number {
  return SEVERITY[severity] * 3 + CONFIDENCE[confidence];
}

export class FindingBudget {
  /** Findings the rule asked for, kept or not. */
  made = 0;
  private readonly kept: { f: Finding; rank: number; seq: number }[] = [];
  private readonly keptSet = new Set<Finding>();
  /** What the rule gets back for a finding that is not built (a valid finding, never reported). */
  readonly placeholder: Finding;

  constructor(
    id: string,
    title: string,
    private readonly max = MAX_FINDINGS_PER_RULE,
  ) {
    this.placeholder = { id, title, severity: 'info', confidence: 'possible', explanation: '', remedy: '', evidence: [], references: [] };
  }

  /** Whether a finding of this rank would be kept (then build it and `keep` it). */
  admits(rank: number): boolean {
    this.made++;
    return this.kept.length < this.max || rank < this.worst().rank;
  }

  keep(f: Finding, rank: number): void {
    if (this.kept.length >= this.max) {
      const w = this.worst();
      this.kept.splice(this.kept.indexOf(w), 1);
      this.keptSet.delete(w.f);
    }
    this.kept.push({ f, rank, seq: this.made });
    this.keptSet.add(f);
  }

  /**
   * The rule's findings that are kept, in the rule's order (all of them when none was left out); the
   * last by rank says how many more there were.
   */
  select(out: readonly Finding[]): Finding[] {
    const sel = out.filter((f) => f !== this.placeholder && (this.made <= this.max || this.keptSet.has(f)));
    if (this.made > this.max && sel.length > 0) {
      const last = this.worst().f;
      last.notes = [...(last.notes ?? []), `${this.made - this.kept.length} more findings of this check not shown (${this.made} in all)`];
    }
    return sel;
  }

  /** The kept finding a sorted cut would drop first: the worst rank, and of those the last made. */
  private worst(): { f: Finding; rank: number; seq: number } {
    let w = this.kept[0]!;
    for (const k of this.kept) if (k.rank > w.rank || (k.rank === w.rank && k.seq > w.seq)) w = k;
    return w;
  }
}
