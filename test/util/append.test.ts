/** util/append.ts: what replaced `push(...items)` where items can be many (fuzz log:4018). */
import { describe, expect, it } from 'vitest';
import { append, maxOf, minOf } from '../../src/util/append.js';

describe('append', () => {
  it('appends 1,000,000 items, where a spread throws "Maximum call stack size exceeded"', () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [0].push(...items)).toThrow(RangeError);
    const out = append([-1], items);
    expect(out).toHaveLength(1_000_001);
    expect(out[0]).toBe(-1);
    expect(out[1_000_000]).toBe(999_999);
  });
});

describe('minOf / maxOf', () => {
  it('answer as Math.min / Math.max of the spread list', () => {
    const cases: number[][] = [[], [3], [2, -1, 7.5], [0, -0], [-0, 0], [1, Number.NaN, 2], [Infinity, -Infinity]];
    for (const xs of cases) {
      expect(Object.is(minOf(xs), Math.min(...xs)), JSON.stringify(xs)).toBe(true);
      expect(Object.is(maxOf(xs), Math.max(...xs)), JSON.stringify(xs)).toBe(true);
    }
  });
  it('take 500,000 values (a spread of them throws RangeError)', () => {
    const xs = Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 500_000);
    expect(() => Math.max(...xs)).toThrow(RangeError);
    expect(minOf(xs)).toBe(0);
    expect(maxOf(xs)).toBe(499_999);
  });
});
