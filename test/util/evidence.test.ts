/** util/evidence.ts wiresharkFilter: the frames as a Wireshark set, in order, each once. */
import { describe, expect, it } from 'vitest';
import { wiresharkFilter } from '../../src/util/evidence.js';

/** The filter as it was written before its in-order shortcut (frozen here as the oracle). */
const bySetAndSort = (frames: readonly number[]): string => `frame.number in {${[...new Set(frames)].sort((a, b) => a - b).join(' ')}}`;

describe('wiresharkFilter', () => {
  it('sorts, drops repeats, and writes an ordered list as it is', () => {
    expect(wiresharkFilter([3, 1, 3, 2])).toBe('frame.number in {1 2 3}');
    expect(wiresharkFilter([7, 12, 400])).toBe('frame.number in {7 12 400}');
    expect(wiresharkFilter([5, 5])).toBe('frame.number in {5}');
    expect(wiresharkFilter([])).toBe('frame.number in {}');
  });

  it('gives what the Set and the sort gave, on random lists (ordered, repeated, reversed, -0, NaN)', () => {
    let seed = 20261205;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    for (let round = 0; round < 5000; round++) {
      const n = rnd(6);
      let frames = Array.from({ length: n }, () => rnd(20));
      const shape = rnd(4);
      if (shape === 0) frames.sort((a, b) => a - b);
      if (shape === 1) frames = [...new Set(frames)].sort((a, b) => a - b);
      if (shape === 2 && n > 0) frames.push(frames[n - 1]!);
      if (round % 97 === 0) frames.unshift(-0);
      if (round % 331 === 0) frames.push(Number.NaN);
      expect(wiresharkFilter(frames), JSON.stringify(frames)).toBe(bySetAndSort(frames));
    }
  });
});
