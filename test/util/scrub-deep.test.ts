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
});
