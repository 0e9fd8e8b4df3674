/**
 * A binary min-heap over a plain array, ordered by a caller's `before(a, b)`: push and pop cost
 * O(log n). Two users: TCP's out-of-order segments (`tcp/pending.ts`, by stream offset then
 * arrival) and the log merge's lanes (`logs/read.ts` `mergeLanes`, by head stamp then source).
 * Both need a stable tie-break, which is their comparator's business, not the heap's.
 */

/** Whether `a` comes out before `b`. Must be a strict order (false for equal items). */
export type Before<T> = (a: T, b: T) => boolean;

/** Adds `item` to `heap`. */
export function heapPush<T>(heap: T[], item: T, before: Before<T>): void {
  let i = heap.length;
  heap.push(item);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(item, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = item;
}

/** Takes the first item off `heap` (undefined when it is empty). */
export function heapPop<T>(heap: T[], before: Before<T>): T | undefined {
  if (heap.length === 0) return undefined;
  const top = heap[0];
  const last = heap.pop() as T;
  const n = heap.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[c], last)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }
  return top;
}
