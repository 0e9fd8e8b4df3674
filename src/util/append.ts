/**
 * `target.push(...items)` without the spread: a spread passes every item as an argument, and past
 * about 100,000 of them (a 38 MB server.xml of Connectors, a flood of log lines of one kind) it
 * throws "Maximum call stack size exceeded" (fuzz log:4018).
 */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const x of items) target.push(x);
  return target;
}

/**
 * `Math.min(...xs)` / `Math.max(...xs)` without the spread (the same answers: Infinity / -Infinity
 * for none, NaN when one is NaN), for lists that grow with the input: one value per signal or
 * capture item, past ~100,000 of them a spread throws "Maximum call stack size exceeded".
 */
export function minOf(xs: Iterable<number>): number {
  let m = Infinity;
  for (const x of xs) m = Math.min(m, x);
  return m;
}

export function maxOf(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const x of xs) m = Math.max(m, x);
  return m;
}
