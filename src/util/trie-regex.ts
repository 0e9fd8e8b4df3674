/**
 * One regular expression for a set of literal strings, shaped as a trie: `(?:Fail(?:ed to (?:start|init…)…)|…)`.
 * A flat alternation `a|b|c|…` of hundreds of literals makes the regex engine try every alternative at
 * every position of every line; the trie shape lets the first characters decide, so the cost per
 * position is one or two comparisons whatever the number of literals (several hundred needles of the
 * rules, with Tomcat's translations). At one position the longest literal wins (the branch that goes
 * on is tried before the one that ends), as with a flat alternation sorted longest first.
 *
 * The trie is never built as nodes: each level groups the literals by their next character (in the
 * order the characters first appear), and a run no literal branches from is one slice of a literal.
 * A node per character (a Map each) cost 9 MB and ~10 ms for the output guard's secret values, two
 * cookies of 10,000 characters each (issue 14).
 */

/** Regex syntax characters, escaped with a backslash (`/` too: the source may be shown as a literal). */
const SYNTAX = /[.*+?^${}()|[\]\\/]/g;

/** Code units of the character (code point) at `i`: 2 for a surrogate pair, else 1 (as `for…of` reads a string). */
function unitsAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/**
 * The source of the trie node reached by the common prefix `[0, at)` of `lits`, every one of which
 * goes on past `at` (the node's children).
 */
function source(lits: readonly string[], at: number): string {
  // The children, by the character at `at`, in the order of first appearance (a trie's insertion order).
  const groups = new Map<string, string[]>();
  for (const lit of lits) {
    const c = lit.slice(at, at + unitsAt(lit, at));
    const g = groups.get(c);
    if (g === undefined) groups.set(c, [lit]);
    else g.push(lit);
  }
  const branches: string[] = [];
  for (const [c, g] of groups) {
    // A chain without branching is written out as one literal run: on while no literal ends and
    // all go on with the same character.
    let end = at + c.length;
    const first = g[0]!;
    if (g.length === 1) end = first.length;
    else {
      chain: for (;;) {
        if (first.length === end) break;
        const u = unitsAt(first, end);
        for (const lit of g) {
          if (lit.length === end) break chain;
          if (lit.charCodeAt(end) !== first.charCodeAt(end) || (u === 2 && lit.charCodeAt(end + 1) !== first.charCodeAt(end + 1)) || unitsAt(lit, end) !== u) break chain;
        }
        end += u;
      }
    }
    const run = first.slice(at, end).replace(SYNTAX, '\\$&');
    const longer = g.length === 1 ? [] : g.filter((lit) => lit.length > end);
    const ends = longer.length < g.length;
    branches.push(run + (longer.length ? (ends ? `(?:${source(longer, end)})?` : source(longer, end)) : ''));
  }
  return branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
}

/** The trie-shaped source of a regex matching any of `literals` (none empty). */
export function trieSource(literals: readonly string[]): string {
  const lits = literals.filter((lit) => lit !== '');
  if (lits.length === 0) return '(?!)';
  // A branch may end where a longer one goes on: `(?:…)?` after it is greedy, so the longer is tried first.
  return source(lits, 0);
}
