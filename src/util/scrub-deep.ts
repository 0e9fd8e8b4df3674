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
  return walk(value, { scrub, path: [], copies: new Map() }) as T;
}

/**
 * `path`: the containers being walked, outermost first (one met inside itself is returned as it is:
 * a cycle does not loop). A list, not a Set: a report is a few levels deep, and a Set gave every
 * object walked an identity hash, ~25 % of the walk (issue 14). `copies`: the changed containers and
 * their copies (one met twice is copied once). An unchanged container is not remembered: met again,
 * it is walked again, as the JSON writer walks a report. Remembering every container walked held the
 * whole report's objects in one Map, ~500,000 entries for a 2 GB capture's text report: its peak
 * memory (issue 14).
 */
interface Walk {
  readonly scrub: (s: string) => string;
  readonly path: object[];
  readonly copies: Map<object, unknown>;
}

function walk(v: unknown, w: Walk): unknown {
  if (typeof v === 'string') return w.scrub(v);
  if (v === null || typeof v !== 'object') return v;
  // (nothing copied yet, the usual case: no lookup)
  if (w.copies.size !== 0) {
    const copy = w.copies.get(v);
    if (copy !== undefined) return copy;
  }
  const path = w.path;
  for (let i = path.length - 1; i >= 0; i--) if (path[i] === v) return v;
  if (!Array.isArray(v) && !(v instanceof Map) && !(v instanceof Set)) {
    const proto = Object.getPrototypeOf(v) as unknown;
    // Class instances (typed arrays, Dates, Buffers, analyzers' state) are left as they are: reports
    // are plain data, and a class instance's text reaches the output through the guard.
    if (proto !== Object.prototype && proto !== null) return v;
  }
  path.push(v);
  const out = children(v, w);
  path.pop();
  if (out !== v) w.copies.set(v, out);
  return out;
}

/** `v` with its children walked: itself when none changed, else a copy. */
function children(v: object, w: Walk): unknown {
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i], w);
      if (x !== v[i]) {
        out ??= v.slice();
        out[i] = x;
      }
    }
    return out ?? v;
  }
  if (v instanceof Map) {
    let changed = false;
    const entries: [unknown, unknown][] = [];
    for (const [k, x] of v) {
      const k2 = walk(k, w);
      const x2 = walk(x, w);
      if (k2 !== k || x2 !== x) changed = true;
      entries.push([k2, x2]);
    }
    return changed ? new Map(entries) : v;
  }
  if (v instanceof Set) {
    let changed = false;
    const items: unknown[] = [];
    for (const x of v) {
      const x2 = walk(x, w);
      if (x2 !== x) changed = true;
      items.push(x2);
    }
    return changed ? new Set(items) : v;
  }
  let out: Record<string, unknown> | undefined;
  const rec = v as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const x = walk(rec[k], w);
    if (x !== rec[k]) {
      out ??= { ...rec };
      out[k] = x;
    }
  }
  return out ?? v;
}
