import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/util/json-stream.js';

/** What writeJson hands out, joined, and how many pieces it came in. */
function streamed(v: unknown, depth?: number, chunk?: number): { text: string; pieces: number } {
  const parts: string[] = [];
  writeJson(v, (t) => parts.push(t), depth, chunk);
  return { text: parts.join(''), pieces: parts.length };
}

// The golden is JSON.stringify itself (the platform's serializer, not the code under test).
const native = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

describe('writeJson: JSON.stringify(v, null, 2) + "\\n", byte for byte, in pieces', () => {
  it('nested objects and arrays, empty ones, strings with line breaks and quotes, unicode', () => {
    const v = {
      a: [],
      b: {},
      c: [1, 'two\nlines "q"', null, true, { d: [{ e: [] }, [], [[1, 2], {}]] }],
      é: 'ünïcode \u2028 \u0007',
      n: -0.5,
    };
    for (const depth of [0, 1, 2, 3, 4, 8]) expect(streamed(v, depth).text).toBe(native(v));
  });

  it('undefined, functions and symbols: left out of objects, null in arrays; toJSON honoured; NaN is null', () => {
    const v = {
      u: undefined,
      f: () => 1,
      s: Symbol('x'),
      arr: [undefined, () => 1, Symbol('y'), Number.NaN, Infinity],
      when: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      custom: { toJSON: () => ({ x: [1, { y: 2 }] }) },
      inner: { only: undefined },
    };
    for (const depth of [1, 2, 4, 8]) expect(streamed(v, depth).text).toBe(native(v));
  });

  it('top-level scalars and arrays', () => {
    for (const v of [1, 'x', null, true, [], {}, [[]], [{}]]) expect(streamed(v).text).toBe(native(v));
  });

  it('a large list comes in several pieces, none much bigger than the chunk size', () => {
    const v = { list: Array.from({ length: 5000 }, (_, i) => ({ i, name: `item ${i}`, tags: ['a', 'b'] })) };
    const parts: string[] = [];
    writeJson(v, (t) => parts.push(t), 4, 4096);
    expect(parts.join('')).toBe(native(v));
    expect(parts.length).toBeGreaterThan(20);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(4096 + 1024);
  });

  it('a long list at the walked depth (capture.ajp.violations at the default 3) is still written item by item: no megabyte string for it', () => {
    const item = (i: number): unknown => ({ i, detail: `violation ${i} "q"\n`, frames: [i, i + 1], fields: { u: undefined, list: Array.from({ length: 20 }, (_, k) => k) } });
    const v = { capture: { ajp: { violations: Array.from({ length: 3000 }, (_, i) => item(i)), mixed: [undefined, () => 1, ...Array.from({ length: 20 }, (_, i) => i)], short: [1, [2, 3]] } } };
    const parts: string[] = [];
    writeJson(v, (t) => parts.push(t), 3, 4096);
    expect(parts.join('')).toBe(native(v));
    expect(parts.length).toBeGreaterThan(20);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(4096 + 1024);
  });

  it('a real report (samples/mcmp/expected.json) round-trips unchanged', () => {
    const v: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'samples', 'mcmp', 'expected.json'), 'utf8'));
    expect(streamed(v).text).toBe(native(v));
  });
});
