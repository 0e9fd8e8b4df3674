/**
 * Lists by key, for looking up the items of a key instead of filtering the whole list per lookup
 * (a filter per worker, per backend or per directive was quadratic in them: issue 14).
 */

/** The items by their key as it is (undefined a key of its own), each list in the items' order. */
export function indexBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const arr = out.get(k);
    if (arr === undefined) out.set(k, [it]);
    else arr.push(it);
  }
  return out;
}

/**
 * An index of a list that only grows, made once per list and made again when it has grown (the
 * configuration stage appends while it reads Includes): `cache` holds one per list.
 */
export function indexOfList<T, I>(cache: WeakMap<readonly T[], { length: number; index: I }>, list: readonly T[], build: (list: readonly T[]) => I): I {
  let held = cache.get(list);
  if (held === undefined || held.length !== list.length) cache.set(list, (held = { length: list.length, index: build(list) }));
  return held.index;
}
