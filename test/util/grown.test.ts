/** util/grown.ts: a table's columns grown, alone or in one growth's ColumnBlock (issue 14, heap holes). */
import { describe, expect, it } from 'vitest';
import { ColumnBlock, grown } from '../../src/util/grown.js';

describe('grown', () => {
  it('copies the elements and leaves zeros after them, with or without a block', () => {
    const a = Float64Array.from([1.5, -2, 3]);
    for (const block of [undefined, new ColumnBlock()]) {
      const b = grown(a, 20_000, block);
      expect(b).toBeInstanceOf(Float64Array);
      expect(b.length).toBe(20_000);
      expect([...b.subarray(0, 4)]).toEqual([1.5, -2, 3, 0]);
      expect(b.every((x, i) => i < 3 || x === 0)).toBe(true);
      b[0] = 9;
      expect(a[0]).toBe(1.5);
    }
  });

  it('large columns of one growth share a block of at least 32 MiB without overlapping; small ones stand alone', () => {
    const block = new ColumnBlock();
    const n = 100_000;
    const u8 = grown(new Uint8Array(0), n, block);
    const f64 = grown(new Float64Array(0), n, block);
    const u16 = grown(new Uint16Array(0), n, block);
    const small = grown(new Int32Array(0), 1000, block);
    expect(u8.buffer).toBe(f64.buffer);
    expect(u16.buffer).toBe(f64.buffer);
    expect(f64.buffer.byteLength).toBeGreaterThanOrEqual(32 * 1024 * 1024);
    expect(f64.byteOffset % 8).toBe(0);
    expect(small.buffer).not.toBe(f64.buffer);
    expect(small.buffer.byteLength).toBe(4000);
    u8.fill(0xff);
    f64.fill(-1);
    u16.fill(0xabcd);
    expect(u8.every((x) => x === 0xff)).toBe(true);
    expect(f64.every((x) => x === -1)).toBe(true);
    expect(u16.every((x) => x === 0xabcd)).toBe(true);
  });

  it('a column that does not fit in the block starts a new one; another growth never shares a block', () => {
    const block = new ColumnBlock();
    const first = grown(new Float64Array(0), 3_000_000, block); // 24 MB
    const second = grown(new Float64Array(0), 3_000_000, block); // does not fit beside it
    expect(second.buffer).not.toBe(first.buffer);
    second.fill(2);
    expect(first.every((x) => x === 0)).toBe(true);
    const later = grown(first, 6_000_000, new ColumnBlock());
    expect(later.buffer).not.toBe(first.buffer);
    expect(later.buffer).not.toBe(second.buffer);
  });
});
