/**
 * The order findings are shown in, as a tree: the rules engine returns them in causal order (a root
 * cause, then depth first what it explains: `Finding.causedBy` / `explains`), and `causalDepths`
 * (rules/finding.ts) says how deep each one is. Every renderer that nests consequences under their
 * cause reads this instead of re-deriving it, with the labels the text report prints (1, 1.1, 2).
 */
import { causalDepths, type Finding } from '../rules/finding.js';

export interface FindingNode {
  finding: Finding;
  /** 0-based position in the engine's order (page anchors: finding-<index+1>). */
  index: number;
  /** The text report's label: 1, 2 for root causes, 1.1 for what 1 explains. */
  label: string;
  depth: number;
  /** Findings this one explains, in the engine's order. */
  consequences: FindingNode[];
}

/** Labels as the text report numbers findings (renderFindingsText). */
export function findingLabels(findings: readonly Finding[]): string[] {
  const counters: number[] = [];
  return causalDepths(findings).map((d) => {
    counters.length = d + 1;
    counters[d] = (counters[d] ?? 0) + 1;
    return counters.join('.');
  });
}

/** Root causes in the engine's order, each with the consequences listed under it. */
export function findingTree(findings: readonly Finding[]): FindingNode[] {
  const depths = causalDepths(findings);
  const labels = findingLabels(findings);
  const roots: FindingNode[] = [];
  const stack: FindingNode[] = [];
  findings.forEach((finding, index) => {
    const node: FindingNode = { finding, index, label: labels[index]!, depth: depths[index]!, consequences: [] };
    while (stack.length > node.depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (node.depth > 0 && parent !== undefined) parent.consequences.push(node);
    else roots.push(node);
    stack.push(node);
  });
  return roots;
}
