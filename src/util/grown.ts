/** The typed arrays the struct-of-arrays tables (tcp/slots.ts, tcp/parked.ts, timeline/conn-table.ts) keep their columns in. */
export type Column = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/** A copy of a typed array with room for `n` elements (a table's columns grow together). */
export function grown<T extends Column>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
