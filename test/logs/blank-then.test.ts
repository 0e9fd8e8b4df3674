/**
 * blankThen (logs/dialects/common.ts) stands in for `text.indexOf(' ' + ch, from)` on the parsers'
 * hot paths (a search for one character instead of two): it must give the same index everywhere.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blankThen } from '../../src/logs/dialects/common.js';

describe('blankThen', () => {
  it('is indexOf of a blank and the character, from any start', () => {
    for (const [t, ch] of [['2026/11/21 08:00:00 [warn] 1234#1234: x', '['], ['10.1.0.0 - - [21/Nov/2026:08:00:00 +0000] "GET / HTTP/1.1" 200 5', '"'], ['[x', '['], [' [', '['], ['', '['], ['a"b "c', '"']] as const) {
      expect(blankThen(t, ch), t).toBe(t.indexOf(` ${ch}`));
    }
    const text = fc.array(fc.constantFrom(' ', '[', '"', '(', 'a', '\t', 'é'), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom('[', '"', '('), fc.nat(32), (t, ch, from) => {
        expect(blankThen(t, ch, from), JSON.stringify([t, from])).toBe(t.indexOf(` ${ch}`, from));
      }),
      { numRuns: 5000, seed: 14 },
    );
  });
});
