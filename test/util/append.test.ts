/** util/append.ts: what replaced `push(...items)` where items can be many (fuzz log:4018). */
import { describe, expect, it } from 'vitest';
import { append } from '../../src/util/append.js';

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
