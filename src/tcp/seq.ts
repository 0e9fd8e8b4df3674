/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers are kept as
 * unsigned 32-bit values in plain numbers; comparisons go through the signed 32-bit difference,
 * which is right as long as the two numbers are less than 2^31 apart (always true inside one window).
 */

/** a - b as a signed 32-bit number: > 0 when a is after b, < 0 when before. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a + n modulo 2^32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
