import { describe, expect, it } from 'vitest';
import { heapPop, heapPush } from '../../src/util/min-heap.js';
import { rng } from '../fuzz/mutate.js';

interface Item {
  key: number;
  n: number;
}
const before = (a: Item, b: Item): boolean => a.key < b.key || (a.key === b.key && a.n < b.n);

describe('heapPush / heapPop', () => {
  it('gives items in the order of a stable sort, pushes and pops interleaved', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = rng(seed);
      const heap: Item[] = [];
      const model: Item[] = [];
      const got: Item[] = [];
      const want: Item[] = [];
      let n = 0;
      for (let step = 0; step < 400; step++) {
        if (r() < 0.6) {
          // Few distinct keys, so ties are common and the tie-break is exercised.
          const item = { key: Math.floor(r() * 8), n: n++ };
          heapPush(heap, item, before);
          model.push(item);
        } else {
          got.push(heapPop(heap, before) as Item);
          model.sort((a, b) => a.key - b.key || a.n - b.n);
          want.push(model.shift() as Item);
        }
      }
      for (let it = heapPop(heap, before); it !== undefined; it = heapPop(heap, before)) got.push(it);
      model.sort((a, b) => a.key - b.key || a.n - b.n);
      want.push(...model);
      expect(got.filter((x) => x !== undefined)).toEqual(want.filter((x) => x !== undefined));
      expect(heap).toHaveLength(0);
    }
  });

  it('pops undefined from an empty heap', () => {
    expect(heapPop<Item>([], before)).toBeUndefined();
  });
});
