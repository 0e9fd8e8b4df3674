/**
 * mcmp/analyzer.ts plainMethodAt: a request line's method compared by bytes gives what the method's
 * text upper-cased did (`toString('latin1').toUpperCase()` in the standard set but OPTIONS and the
 * MCMP methods), for any bytes.
 */
import { describe, expect, it } from 'vitest';
import { plainMethodAt } from '../../src/mcmp/analyzer.js';
import { HTTP_METHODS, MCMP_METHODS } from '../../src/mcmp/methods.js';

/** The answer as it was given from the method's text. */
function byText(bytes: Uint8Array, start: number, n: number): boolean {
  const m = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, start + n).toUpperCase();
  return m !== 'OPTIONS' && HTTP_METHODS.has(m) && !MCMP_METHODS.has(m);
}

describe('plainMethodAt', () => {
  it('rests on Latin-1: only ASCII letters and ß upper-case to ASCII, and no method holds "SS"', () => {
    for (let b = 0; b < 256; b++) {
      const up = String.fromCharCode(b).toUpperCase();
      const ascii = [...up].every((c) => c.charCodeAt(0) < 0x80);
      expect(ascii, `byte ${b}`).toBe(b < 0x80 || b === 0xdf);
      if (b < 0x80) expect(up).toBe(b >= 0x61 && b <= 0x7a ? String.fromCharCode(b - 0x20) : String.fromCharCode(b));
    }
    for (const m of [...HTTP_METHODS, ...MCMP_METHODS]) expect(m).not.toContain('SS');
  });

  it('answers as the upper-cased text for every method in mixed case, damaged bytes, and random bytes', () => {
    let seed = 20261205;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const methods = [...HTTP_METHODS, ...MCMP_METHODS, 'OPTIONS', 'GETS', 'GE', 'CLASS', 'PO5T'];
    const odd = [0x00, 0x20, 0x2d, 0x40, 0x5b, 0x60, 0x7b, 0x7f, 0x80, 0xb5, 0xc0, 0xdf, 0xe0, 0xf7, 0xff];
    let trues = 0;
    for (let round = 0; round < 20000; round++) {
      let bytes: number[];
      if (rnd(4) === 0) bytes = Array.from({ length: 1 + rnd(16) }, () => (rnd(2) === 0 ? odd[rnd(odd.length)]! : 0x41 + rnd(58)));
      else {
        bytes = [...methods[rnd(methods.length)]!].map((c) => (rnd(2) === 0 ? c.toLowerCase() : c).charCodeAt(0));
        if (rnd(3) === 0) bytes[rnd(bytes.length)] = odd[rnd(odd.length)]!;
      }
      // somewhere inside a larger buffer, as the flow table hands a chunk in place
      const pad = rnd(5);
      const buf = new Uint8Array(pad + bytes.length + 3);
      buf.set(bytes, pad);
      const want = byText(buf, pad, bytes.length);
      if (want) trues++;
      expect(plainMethodAt(buf, pad, bytes.length), JSON.stringify(bytes)).toBe(want);
    }
    expect(trues).toBeGreaterThan(1000);
  });
});
