/**
 * The order findings are shown in, as a tree: the rules engine already sorts them (most severe and
 * most certain first, a consequence after its cause: `Finding.consequenceOf`); every renderer that
 * nests consequences under their cause reads this instead of re-deriving it.
 */
import type { Finding } from '../rules/finding.js';

export interface FindingNode {
  finding: Finding;
  /** 1-based position in the engine's order (what the text report numbers it). */
  number: number;
  /** Findings that name this one as their cause, in the engine's order. */
  consequences: FindingNode[];
}

/** Root causes in the engine's order, each with its consequences; a consequence whose cause is absent stays a root. */
export function findingTree(findings: readonly Finding[]): FindingNode[] {
  const nodes = findings.map((finding, i) => ({ finding, number: i + 1, consequences: [] as FindingNode[] }));
  const byId = new Map<string, FindingNode>();
  for (const x of nodes) if (x.finding.consequenceOf === undefined && !byId.has(x.finding.id)) byId.set(x.finding.id, x);
  const roots: FindingNode[] = [];
  for (const x of nodes) {
    const cause = x.finding.consequenceOf === undefined ? undefined : byId.get(x.finding.consequenceOf);
    if (cause !== undefined && cause !== x) cause.consequences.push(x);
    else roots.push(x);
  }
  return roots;
}
