/**
 * One regular expression for a set of literal strings, shaped as a trie: `(?:Fail(?:ed to (?:start|init…)…)|…)`.
 * A flat alternation `a|b|c|…` of hundreds of literals makes the regex engine try every alternative at
 * every position of every line; the trie shape lets the first characters decide, so the cost per
 * position is one or two comparisons whatever the number of literals (several hundred needles of the
 * rules, with Tomcat's translations). At one position the longest literal wins (the branch that goes
 * on is tried before the one that ends), as with a flat alternation sorted longest first.
 */
interface Node {
  next: Map<string, Node>;
  end: boolean;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function source(node: Node): string {
  const branches: string[] = [];
  for (const [c, child] of node.next) {
    // a chain without branching is written out as one literal run
    let run = escapeChar(c);
    let n = child;
    while (n.next.size === 1 && !n.end) {
      const [c2, n2] = n.next.entries().next().value as [string, Node];
      run += escapeChar(c2);
      n = n2;
    }
    branches.push(run + (n.next.size ? (n.end ? `(?:${source(n)})?` : source(n)) : ''));
  }
  return branches.length === 1 ? branches[0] : `(?:${branches.join('|')})`;
}

/** The trie-shaped source of a regex matching any of `literals` (none empty). */
export function trieSource(literals: readonly string[]): string {
  const root: Node = { next: new Map(), end: false };
  for (const lit of literals) {
    if (lit === '') continue;
    let n = root;
    for (const c of lit) {
      let child = n.next.get(c);
      if (!child) n.next.set(c, (child = { next: new Map(), end: false }));
      n = child;
    }
    n.end = true;
  }
  if (root.next.size === 0) return '(?!)';
  // A branch may end where a longer one goes on: `(?:…)?` after it is greedy, so the longer is tried first.
  return source(root);
}
