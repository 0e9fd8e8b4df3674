/**
 * util/secrets.ts SecretValues.scrub: the folded and pending regexes answer as one pass of a regex of
 * every value collected so far did (the reference below), whatever the order of adds and scrubs.
 */
import { describe, expect, it } from 'vitest';
import { SecretValues } from '../../src/util/secrets.js';
import { trieSource } from '../../src/util/trie-regex.js';

describe('SecretValues.scrub', () => {
  let seed = 20261209;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  // few letters: values overlap, nest and share prefixes often
  const word = (min: number, max: number): string => Array.from({ length: min + rand(max - min + 1) }, () => 'ab1"\\'[rand(5)]).join('');

  it('scrubs as one regex of every value did, on 80 runs of adds and scrubs (values nested and overlapping)', () => {
    let redactions = 0;
    for (let t = 0; t < 80; t++) {
      const sv = new SecretValues();
      const all: string[] = [];
      for (let step = 0; step < 250; step++) {
        if (rand(3) === 0) {
          const v = word(6, 14);
          sv.add(v);
          // what add keeps: the value and its JSON form, when worth keeping (6 characters or more, not a plain word)
          if (v.length >= 6 && !/^(?:[A-Za-z]+|[0-9]+)$/.test(v) && all.length < 5000 && !all.includes(v)) {
            all.push(v);
            const json = JSON.stringify(v).slice(1, -1);
            if (json !== v && !all.includes(json)) all.push(json);
          }
        } else {
          const text = Array.from({ length: 1 + rand(4) }, () => (rand(2) && all.length ? all[rand(all.length)] : word(1, 10))).join(rand(2) ? ' ' : '');
          const want = all.length ? text.replace(new RegExp(trieSource(all), 'g'), '[redacted]') : text;
          expect(sv.scrub(text), `run ${t} step ${step}: ${JSON.stringify(text)}`).toBe(want);
          if (want !== text) redactions++;
        }
      }
    }
    expect(redactions).toBeGreaterThan(2_000);
  });

  it('compiles each value into a regex a few times only, while a value is added before each line that shows it (frames of requests with their own cookies)', () => {
    const sv = new SecretValues();
    const Real = RegExp;
    let compiled = 0;
    // the length of every regex source made from here on
    globalThis.RegExp = function (...a: ConstructorParameters<typeof RegExp>) {
      compiled += String(a[0]).length;
      return new Real(...a);
    } as unknown as RegExpConstructor;
    let last = '';
    try {
      for (let i = 0; i < 3000; i++) {
        const v = `sid${String(i).padStart(6, '0')}x`;
        sv.add(v);
        expect(sv.scrub(`Cookie: JSESSIONID=${v}`)).toBe('Cookie: JSESSIONID=[redacted]');
      }
      last = trieSource(Array.from({ length: 3000 }, (_, i) => `sid${String(i).padStart(6, '0')}x`));
    } finally {
      globalThis.RegExp = Real;
    }
    // one regex of every value per line (as before) compiled ~1,500 times the final one; a tenth of that at most
    expect(compiled).toBeLessThan((last.length * 3000) / 2 / 10);
  });
});
