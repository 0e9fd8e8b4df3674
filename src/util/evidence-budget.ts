/** The capture evidence items kept for the rules: a bound per kind, the rest counted (issue 14). */

/**
 * Evidence items kept for the rules of each kind (~1 KB each, with their fields and detail): a
 * capture of hours of a broken backend makes one per connection (detect/), a day of a failing
 * node's STATUS one per exchange (mcmp/), and memory must not grow with that. Past it an item is
 * counted, not kept (EvidenceUnread): the rules read each kind's first items, their counts stop
 * there, and every command says so, as the log rules do past their own bound (rules/intake.ts
 * MAX_LEAN_SIGNALS). A bound per kind, not in all: a kind whose connections
 * end last (a reply timeout on a connection left half-open) must not find the room taken by others.
 */
export const MAX_EVIDENCE_PER_KIND = 40_000;

/** Items of a kind counted past the evidence bound, not kept (`kept`: those the rules read). */
export interface EvidenceUnread {
  kind: string;
  items: number;
  kept: number;
}

/** What a stage keeps of its evidence items: each kind's first `perKind`. */
export class EvidenceBudget {
  private readonly kept = new Map<string, number>();
  private readonly over = new Map<string, number>();

  constructor(private readonly perKind: number) {}

  /** Whether an item of `kind` is kept (counted either way). */
  take(kind: string): boolean {
    const k = this.kept.get(kind) ?? 0;
    if (k < this.perKind) {
      this.kept.set(kind, k + 1);
      return true;
    }
    this.over.set(kind, (this.over.get(kind) ?? 0) + 1);
    return false;
  }

  /** `n` items of `kind` counted and not kept (a stage that never made them: mcmp/ MAX_UNANSWERED_LISTED). */
  skip(kind: string, n: number): void {
    if (n > 0) this.over.set(kind, (this.over.get(kind) ?? 0) + n);
  }

  unread(): EvidenceUnread[] {
    return [...this.over].map(([kind, items]) => ({ kind, items, kept: this.kept.get(kind) ?? 0 }));
  }
}
