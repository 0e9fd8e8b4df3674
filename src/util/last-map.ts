/**
 * A Map from stream id to an analyzer's per-stream state with the last lookup kept in front:
 * consecutive chunks and TCP events mostly belong to one connection (a request's segments, their
 * ACKs, the reply), and a lookup in a map of every open connection per chunk and per event (tens
 * of thousands of entries, each lookup a few cache misses) showed in profiles of pooled captures
 * (issue 14). The TCP flow table keeps its last flow the same way (tcp/flow-table.ts `last`).
 * A miss is remembered too (the next lookup of the same id is answered without the map).
 */
export class LastMap<V> {
  private readonly map = new Map<number, V>();
  private lastKey = -1;
  private lastValue: V | undefined = undefined;

  get size(): number {
    return this.map.size;
  }

  get(key: number): V | undefined {
    if (key === this.lastKey) return this.lastValue;
    const v = this.map.get(key);
    this.lastKey = key;
    this.lastValue = v;
    return v;
  }

  set(key: number, value: V): this {
    this.map.set(key, value);
    if (key === this.lastKey) this.lastValue = value;
    return this;
  }

  delete(key: number): boolean {
    if (key === this.lastKey) this.lastValue = undefined;
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.lastKey = -1;
    this.lastValue = undefined;
  }

  keys(): IterableIterator<number> {
    return this.map.keys();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}
