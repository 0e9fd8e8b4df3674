/** util/index-by.ts: lists by key, and an index of a growing list made again when it has grown. */
import { describe, expect, it } from 'vitest';
import { indexBy, indexOfList } from '../../src/util/index-by.js';

describe('indexBy / indexOfList', () => {
  it('keys as they are (undefined its own, not folded into another), each list in order', () => {
    const m = indexBy([{ k: 'a', i: 1 }, { k: undefined, i: 2 }, { k: 'a', i: 3 }, { k: '', i: 4 }], (x) => x.k);
    expect([...m].map(([k, v]) => [k, v.map((x) => x.i)])).toEqual([['a', [1, 3]], [undefined, [2]], ['', [4]]]);
  });
  it('built once per list, again when the list has grown', () => {
    const cache = new WeakMap<readonly number[], { length: number; index: number }>();
    const list = [1, 2];
    let builds = 0;
    const sum = (): number => indexOfList(cache, list, (l) => (builds++, l.reduce((a, b) => a + b, 0)));
    expect([sum(), sum()]).toEqual([3, 3]);
    list.push(4);
    expect(sum()).toBe(7);
    expect(builds).toBe(2);
  });
});
