/** The typed arrays the struct-of-arrays tables (tcp/slots.ts, tcp/parked.ts, timeline/conn-table.ts) keep their columns in. */
export type Column = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

type ColumnClass<T extends Column> = (new (n: number) => T) & (new (buffer: ArrayBuffer, offset: number, n: number) => T) & { BYTES_PER_ELEMENT: number };

/**
 * Glibc's malloc maps a block of its own for an allocation over its threshold (128 KiB at first)
 * and gives it back when freed, but each such free raises the threshold to the freed size, up to
 * 32 MiB on 64-bit (malloc.c DEFAULT_MMAP_THRESHOLD_MAX). A table that doubled its columns one by
 * one soon had them carved from the heap, and each doubling left the freed copies there as holes
 * that stay resident: ~20 MB of the pooled 2 GB capture's peak RSS, ~30 MB with 200,000 open
 * connections (measured by running with MALLOC_MMAP_THRESHOLD_=131072, which pins the threshold).
 */
const MIN_BLOCK = 32 * 1024 * 1024;
/** A smaller column is allocated by itself: its holes are small and the heap reuses them. */
const SMALL_COLUMN = 64 * 1024;

/**
 * Where one growth of a table puts its large columns: blocks of at least MIN_BLOCK, which glibc
 * always maps by themselves whatever its threshold has become, so their pages are resident only
 * once written (a table's unused room costs address space, not memory) and the whole block goes
 * back to the system once the growth after it has dropped its columns. One per growth: columns of
 * different growths never share a block, so an old block does not outlive its columns.
 */
export class ColumnBlock {
  private buffer: ArrayBuffer | null = null;
  private at = 0;

  /** Room for a column of `bytes` bytes: its buffer and offset, or null for a small column. */
  take(bytes: number): { buffer: ArrayBuffer; offset: number } | null {
    if (bytes < SMALL_COLUMN) return null;
    // Each column starts 8-aligned (a Float64Array's offset must be a multiple of 8).
    this.at = (this.at + 7) & ~7;
    if (this.buffer === null || this.at + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(MIN_BLOCK, bytes));
      this.at = 0;
    }
    const offset = this.at;
    this.at += bytes;
    return { buffer: this.buffer, offset };
  }
}

/**
 * A copy of a typed array with room for `n` elements (a table's columns grow together). With
 * `block`, a large column is placed in the growth's block (ColumnBlock) instead of a malloc of its
 * own; the content is the same: `a`'s elements, then zeros.
 */
export function grown<T extends Column>(a: T, n: number, block?: ColumnBlock): T {
  const C = a.constructor as ColumnClass<T>;
  const room = block?.take(n * C.BYTES_PER_ELEMENT) ?? null;
  const b = room === null ? new C(n) : new C(room.buffer, room.offset, n);
  b.set(a);
  return b;
}
