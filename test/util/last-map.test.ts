import { describe, expect, it } from 'vitest';
import { LastMap } from '../../src/util/last-map.js';

describe('LastMap', () => {
  it('answers as a Map would through every order of lookups, sets and deletes on the last key', () => {
    const m = new LastMap<string>();
    const ref = new Map<number, string>();
    // A fixed walk over a few keys: every operation right after a lookup of the same key and of another.
    const ops: Array<['get' | 'set' | 'delete' | 'clear', number]> = [];
    for (const k of [1, 2, 1, 3]) for (const op of ['get', 'set', 'get', 'get', 'delete', 'get', 'set', 'get'] as const) ops.push([op, k]);
    ops.push(['get', 2], ['clear', 0], ['get', 2], ['set', 2], ['get', 2], ['get', 1]);
    let n = 0;
    for (const [op, k] of ops) {
      n++;
      if (op === 'get') expect(m.get(k), `op ${n}: get ${k}`).toBe(ref.get(k));
      else if (op === 'set') {
        m.set(k, `v${n}`);
        ref.set(k, `v${n}`);
      } else if (op === 'delete') expect(m.delete(k)).toBe(ref.delete(k));
      else {
        m.clear();
        ref.clear();
      }
      expect(m.size).toBe(ref.size);
    }
    expect([...m.keys()]).toEqual([...ref.keys()]);
    expect([...m.values()]).toEqual([...ref.values()]);
  });

  it('a miss remembered is not kept once the key is set', () => {
    const m = new LastMap<number>();
    expect(m.get(7)).toBeUndefined();
    m.set(7, 70);
    expect(m.get(7)).toBe(70);
    m.delete(7);
    expect(m.get(7)).toBeUndefined();
  });
});
