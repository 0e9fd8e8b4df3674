/** rules/helpers.ts withRepeat against the filter per signal it replaced (quadratic): the same signals. */
import { describe, expect, it } from 'vitest';
import { around, SECOND, withRepeat } from '../../src/rules/helpers.js';
import type { Signal } from '../../src/rules/types.js';

describe('withRepeat', () => {
  let seed = 20261207;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  it('keeps the signals the filter of the others of their key kept, on 3,000 lists (stamped or not, two files)', () => {
    let mixed = 0;
    for (let t = 0; t < 3000; t++) {
      const list: Signal[] = [];
      let line = 0;
      for (let i = 0, n = rand(14); i < n; i++) {
        line += 1 + rand(40);
        const ts = rand(5) === 0 ? undefined : rand(30) * 2 * SECOND;
        list.push({ kind: 'httpd-cping-failed', seq: line, d: { backend: `h${rand(3)}:8009` }, ev: { path: rand(4) ? 'error_log' : 'ssl_error_log', line, text: '', message: '', dialect: 'httpd', fields: {}, ...(ts === undefined ? {} : { ts }) } });
      }
      const key = (s: Signal): unknown => s.d.backend;
      const byKey = list.filter((s) => around(s, list.filter((x) => x !== s && key(x) === key(s)), 10 * SECOND));
      const all = list.filter((s) => around(s, list.filter((x) => x !== s), 10 * SECOND));
      expect(withRepeat(list, 10 * SECOND, key), `case ${t}`).toEqual(byKey);
      expect(withRepeat(list, 10 * SECOND), `case ${t}`).toEqual(all);
      if (byKey.length > 0 && byKey.length < all.length) mixed++;
    }
    // the key decided in many cases (a repeat of another backend is not one)
    expect(mixed).toBeGreaterThan(300);
  });
});
