import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamedList, writeJson, writeJsonAt } from '../../src/util/json-stream.js';

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

  it('a long list one level above the walked depth (capture.streams at 3) comes in pieces of several items, the same text; a list of long lists still in pieces of items', () => {
    const stream = (i: number): unknown => ({ id: i, client: `10.0.0.${i % 255}:${40000 + i}`, events: { syn: 1, fin: 2 }, u: undefined, frames: Array.from({ length: 20 }, (_, k) => i + k) });
    const v = { capture: { streams: Array.from({ length: 3000 }, (_, i) => stream(i)), lists: Array.from({ length: 20 }, (_, i) => Array.from({ length: 400 }, (_, k) => ({ i, k, s: 'x'.repeat(k % 7) }))) } };
    const parts: string[] = [];
    writeJson(v, (t) => parts.push(t), 3, 4096);
    expect(parts.join('')).toBe(native(v));
    expect(parts.length).toBeGreaterThan(40);
    // (a list of 400 items stringified whole would be one piece of ~40,000 characters)
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(4096 + 1024);
  });

  it('random values with long lists (holes, undefined, functions, toJSON, nested lists) at every depth and chunk size', () => {
    let seed = 20261205;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const value = (d: number): unknown => {
      const k = rnd(d > 3 ? 5 : 9);
      if (k === 0) return rnd(1000) - 500;
      if (k === 1) return `s${rnd(100)}"\n\u2028é`;
      if (k === 2) return [undefined, null, true, () => 1][rnd(4)];
      if (k === 3) {
        const t = rnd(5);
        return { toJSON: () => ({ t }) };
      }
      if (k === 4) return null;
      if (k <= 6) {
        const a: unknown[] = Array.from({ length: d < 3 && rnd(3) === 0 ? 17 + rnd(60) : rnd(5) }, () => value(d + 1));
        if (a.length > 20 && rnd(2) === 0) delete a[rnd(a.length)]; // a hole
        return a;
      }
      return Object.fromEntries(Array.from({ length: rnd(5) }, (_, i) => [`k${i}`, value(d + 1)]));
    };
    for (let t = 0; t < 200; t++) {
      const v = { top: value(0), list: Array.from({ length: 17 + rnd(60) }, () => value(2)) };
      const want = native(v);
      for (const [depth, chunk] of [[0, 64], [1, 256], [3, 1 << 16], [5, 1024]] as const) expect(streamed(v, depth, chunk).text).toBe(want);
    }
  });

  it('a real report (samples/mcmp/expected.json) round-trips unchanged', () => {
    const v: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'samples', 'mcmp', 'expected.json'), 'utf8'));
    expect(streamed(v).text).toBe(native(v));
  });
});

describe('writeJsonAt: a value as JSON.stringify(v, null, 2) writes it inside a document, in pieces', () => {
  it('is the value stringified with its lines indented, byte for byte, at every indent, depth and chunk size', () => {
    const v: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'samples', 'mcmp', 'expected.json'), 'utf8'));
    const values: unknown[] = [v, { a: [1, { b: 'x\ny' }], c: [] }, [], {}, 'text', 3, null];
    for (const x of values)
      for (const indent of ['', '  ', '    ', '      '])
        for (const [depth, chunk] of [[0, 64], [3, 1 << 16], [5, 256]] as const) {
          const parts: string[] = [];
          writeJsonAt(x, indent, (t) => parts.push(t), depth, chunk);
          expect(parts.join('')).toBe(JSON.stringify(x, null, 2).replace(/\n/g, `\n${indent}`));
        }
  });

  it('a large value never comes as one string: no piece much bigger than the chunk', () => {
    // (timeline -T json: one pooled connection of 9,000 requests with big headers was more than a string holds)
    const big = { stream: 0, cycles: Array.from({ length: 3000 }, (_, i) => ({ index: i, headers: Array.from({ length: 8 }, (_, h) => ({ name: `h${h}`, value: 'v'.repeat(300) })) })) };
    const parts: string[] = [];
    writeJsonAt(big, '    ', (t) => parts.push(t), 3, 1 << 14);
    expect(parts.join('')).toBe(JSON.stringify(big, null, 2).replace(/\n/g, '\n    '));
    expect(parts.length).toBeGreaterThan(100);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(3 * (1 << 14));
  });
});

describe('StreamedList: a list made as it is written', () => {
  it('is written as the array of its items would be, at any depth and indent, empty or not', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ i, s: `x"${i}\n`, deep: { list: Array.from({ length: i % 20 }, (_, k) => k), u: undefined }, f: i % 3 === 0 ? undefined : i / 7 }));
    for (const n of [0, 1, 2, 17, 40]) {
      for (const depth of [0, 1, 2, 3, 5]) {
        for (const indent of ['', '    ']) {
          const value = { a: 1, list: items(n), z: [undefined, 2] };
          const streamed = { a: 1, list: new StreamedList(n, () => items(n)), z: [undefined, 2] };
          const want: string[] = [];
          const got: string[] = [];
          writeJsonAt(value, indent, (t) => want.push(t), depth, 64);
          writeJsonAt(streamed, indent, (t) => got.push(t), depth, 64);
          expect(got.join('')).toBe(want.join(''));
          if (indent === '') expect(got.join('')).toBe(JSON.stringify(value, null, 2));
        }
      }
    }
  });

  it('asks for its items only when it is written, once', () => {
    let made = 0;
    const list = new StreamedList(2, function* () {
      made++;
      yield 1;
      yield 2;
    });
    expect(made).toBe(0);
    const parts: string[] = [];
    writeJsonAt({ list }, '', (t) => parts.push(t));
    expect(made).toBe(1);
    expect(parts.join('')).toBe(JSON.stringify({ list: [1, 2] }, null, 2));
  });
});
