/**
 * Every string of a value (plain objects, arrays, Maps and Sets, at any depth) through `scrub`,
 * copying only what changed: the rest is the same objects, so a report without a secret in it
 * costs a walk and nothing more.
 *
 * Why (issue 15, fuzz log:8838 of the fifth run): redaction by value happens where text is printed
 * (cli/output.ts), but a renderer cuts long text first (`line 4: …` at 120 characters, table cells,
 * figure labels). A secret value longer than the cut (`worker.w1.secret=X` repeated on one line is
 * one value to the end of the line) was printed as its first 120 characters, which no longer match
 * the value. Scrubbing the renderer's input before it cuts anything closes every such path at once.
 */
export function scrubDeep<T>(value: T, scrub: (s: string) => string): T {
  return walk(value, scrub, new Map()) as T;
}

function walk(v: unknown, scrub: (s: string) => string, seen: Map<object, unknown>): unknown {
  if (typeof v === 'string') return scrub(v);
  if (v === null || typeof v !== 'object') return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    seen.set(v, v);
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i], scrub, seen);
      if (x !== v[i]) {
        out ??= v.slice();
        out[i] = x;
      }
    }
    if (out !== undefined) seen.set(v, out);
    return out ?? v;
  }
  if (v instanceof Map) {
    seen.set(v, v);
    let changed = false;
    const entries: [unknown, unknown][] = [];
    for (const [k, x] of v) {
      const k2 = walk(k, scrub, seen);
      const x2 = walk(x, scrub, seen);
      if (k2 !== k || x2 !== x) changed = true;
      entries.push([k2, x2]);
    }
    const out = changed ? new Map(entries) : v;
    seen.set(v, out);
    return out;
  }
  if (v instanceof Set) {
    seen.set(v, v);
    let changed = false;
    const items: unknown[] = [];
    for (const x of v) {
      const x2 = walk(x, scrub, seen);
      if (x2 !== x) changed = true;
      items.push(x2);
    }
    const out = changed ? new Set(items) : v;
    seen.set(v, out);
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  // Class instances (typed arrays, Dates, Buffers, analyzers' state) are left as they are: reports
  // are plain data, and a class instance's text reaches the output through the guard.
  if (proto !== Object.prototype && proto !== null) return v;
  seen.set(v, v);
  let out: Record<string, unknown> | undefined;
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const x = walk(rec[k], scrub, seen);
    if (x !== rec[k]) {
      out ??= { ...rec };
      out[k] = x;
    }
  }
  if (out !== undefined) seen.set(v, out);
  return out ?? v;
}
