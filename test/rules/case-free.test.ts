/**
 * The intake tries a signal's pattern regardless of case after it failed as written, unless the `i`
 * flag would change nothing (rules/intake.ts caseFree: the 5xx signal's `\b(5\d\d)\b`, as it was, ran
 * twice on every access log line). Whatever caseFree says yes for must match exactly as its `i` twin does.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caseFree } from '../../src/rules/intake.js';

describe('caseFree', () => {
  it('says yes for a status pattern, no for letters, named characters, back references and ranges', () => {
    expect(caseFree(String.raw`\b(5\d\d)\b`)).toBe(true);
    expect(caseFree(String.raw`\s+\d{3}\.`)).toBe(true);
    for (const s of ['a', String.raw`\x41`, String.raw`\u0041`, String.raw`\cJ`, String.raw`(\w)\1`, '[@-\\[]', String.raw`\\a`, '(?<n>1)', 'é']) expect(caseFree(s), s).toBe(false);
  });

  it('a source it says yes for matches every text as its `i` twin does', () => {
    const pieces = ['\\b', '\\B', '\\d', '\\D', '\\w', '\\W', '\\s', '5', '0', '(', ')', '[', ']', '^', '-', '@', '\\[', '\\]', 'a', 'K', '\\1', '+', '*', '?', '.', ' ', '\\x4b', '|', '\\\\', '_'];
    const texts = fc.array(fc.constantFrom('a', 'A', 'k', 'K', '\u212a', '\u017f', 's', 'S', '5', '0', ' ', '_', '[', '\\', '@', '-', 'é', 'É'), { maxLength: 12 }).map((a) => a.join(''));
    let free = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }), fc.array(texts, { minLength: 1, maxLength: 8 }), (parts, ts) => {
        const src = parts.join('');
        let re: RegExp;
        try {
          re = new RegExp(src);
        } catch {
          return;
        }
        if (!caseFree(src)) return;
        free++;
        const ci = new RegExp(src, 'i');
        for (const t of ts) expect(ci.exec(t)?.[0], `${src} on ${JSON.stringify(t)}`).toBe(re.exec(t)?.[0]);
      }),
      { numRuns: 20000, seed: 14 },
    );
    expect(free).toBeGreaterThan(1000);
  });
});
