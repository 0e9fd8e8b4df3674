/**
 * "Did you mean": the nearest known name to a mistyped command, option or value. Damerau-style
 * edit distance (a swap of two neighbouring letters counts as one edit, as typing slips do), and a
 * limit that grows with the word so `frmes` → `frames` is offered but `x.pcap` → `rules` is not.
 */

/** Edit distance with insertions, deletions, substitutions and adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  // Three rows suffice: the current one, the previous one, and the one before for transpositions.
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/**
 * The known name closest to `typed`, or undefined when none is close enough: at most 1 edit for
 * names up to 4 letters, 2 up to 8, 3 beyond; a typed prefix of a longer name (`--pack` →
 * `--packet-size`) counts as close. Ties go to the earlier name in `known`.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  if (t === '') return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    if (kl === t) return k;
    const limit = kl.length <= 4 ? 1 : kl.length <= 8 ? 2 : 3;
    let d = editDistance(t, kl);
    if (t.length >= 3 && kl.startsWith(t)) d = Math.min(d, 1);
    // Nothing in common (`x` → `r`) is no suggestion.
    if (d <= limit && d < t.length && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}
