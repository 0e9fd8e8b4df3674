/** util/scrub-deep.ts: every string of a renderer's input scrubbed, copying only what changed (fuzz log:8838). */
import { describe, expect, it } from 'vitest';
import { scrubDeep } from '../../src/util/scrub-deep.js';

const scrub = (s: string): string => s.replaceAll('s3cret-value', '[redacted]');

describe('scrubDeep', () => {
  it('reaches strings in objects, arrays, Maps and Sets at any depth, keys of Maps too', () => {
    const v = { a: ['x s3cret-value y', { b: 's3cret-value' }], m: new Map([['s3cret-value', 1]]), s: new Set(['s3cret-value']), n: 3, u: undefined };
    const out = scrubDeep(v, scrub);
    expect(out.a[0]).toBe('x [redacted] y');
    expect(out.a[1]).toEqual({ b: '[redacted]' });
    expect([...out.m.keys()]).toEqual(['[redacted]']);
    expect([...out.s]).toEqual(['[redacted]']);
    expect(out.n).toBe(3);
    // the input is not changed: a report object may be used again (JSON written after text)
    expect(v.a[0]).toBe('x s3cret-value y');
  });
  it('copies only what changed: an untouched branch is the same object', () => {
    const clean = { deep: { list: ['a', 'b'] } };
    const v = { clean, dirty: { t: 's3cret-value' } };
    const out = scrubDeep(v, scrub);
    expect(out.clean).toBe(clean);
    expect(out).not.toBe(v);
    const none = { x: ['nothing here'] };
    expect(scrubDeep(none, scrub)).toBe(none);
  });
  it('class instances are left as they are, and a cycle does not loop', () => {
    const bytes = new Uint8Array([1, 2]);
    const c: { self?: unknown; t: string; bytes: Uint8Array } = { t: 's3cret-value', bytes };
    c.self = c;
    const out = scrubDeep(c, scrub);
    expect(out.t).toBe('[redacted]');
    expect(out.bytes).toBe(bytes);
  });
  it('a value met twice: copied once when changed, the same object when not', () => {
    const dirty = { t: 's3cret-value' };
    const clean = { t: 'plain' };
    const v = { a: dirty, b: [dirty, clean], c: clean };
    const out = scrubDeep(v, scrub);
    expect(out.a).toEqual({ t: '[redacted]' });
    expect(out.b[0]).toBe(out.a);
    expect(out.b[1]).toBe(clean);
    expect(out.c).toBe(clean);
    expect(dirty.t).toBe('s3cret-value');
  });
  it('a cycle through a changed object ends: the copy refers to the original there, as before', () => {
    const c: { t: string; kids: unknown[] } = { t: 's3cret-value', kids: [] };
    c.kids.push({ up: c, t: 'x s3cret-value' });
    const out = scrubDeep(c, scrub);
    expect(out.t).toBe('[redacted]');
    expect(out.kids[0]).toEqual({ up: c, t: 'x [redacted]' });
  });
  it('plain data with shared branches: the same as a JSON round trip with every string scrubbed', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const words = ['a', 's3cret-value', 'b s3cret-value c', 'plain text', ''];
    const pool: unknown[] = [];
    const make = (depth: number): unknown => {
      const r = rnd(10);
      if (depth > 4 || r < 3) return r === 0 ? rnd(100) : r === 1 ? null : words[rnd(words.length)];
      if (r === 3 && pool.length > 0) return pool[rnd(pool.length)];
      const x: unknown = r < 7 ? Array.from({ length: rnd(5) }, () => make(depth + 1)) : Object.fromEntries(Array.from({ length: rnd(5) }, (_, i) => [`k${i}`, make(depth + 1)]));
      pool.push(x);
      return x;
    };
    for (let i = 0; i < 300; i++) {
      const v = make(0);
      const before = JSON.stringify(v);
      const want = JSON.parse(before, (_k, x: unknown) => (typeof x === 'string' ? scrub(x) : x)) as unknown;
      expect(scrubDeep(v, scrub)).toEqual(want);
      expect(JSON.stringify(v)).toBe(before);
    }
  });
});
