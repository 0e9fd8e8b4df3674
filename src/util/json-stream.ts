/**
 * `JSON.stringify(value, null, 2) + '\n'`, byte for byte, handed to `write` in pieces of about
 * 64 KiB as it is produced, so a large report is never one string (nor one Buffer of it) in memory.
 *
 * The top levels (objects and arrays, `depth` of them) are walked here; below that each value is
 * one native `JSON.stringify`, indented natively by wrapping it in one-element arrays. The rules of
 * JSON.stringify are kept: `toJSON` is honoured (the value is then stringified natively), undefined / function /
 * symbol members are left out of objects and are `null` in arrays.
 */
export function writeJson(value: unknown, write: (text: string) => void, depth = 3, chunk = 1 << 16): void {
  const out = pieces(write, chunk);
  walk(value, '', out.emit, depth, Math.max(1, chunk >> 2));
  out.emit('\n');
  out.end();
}

/**
 * `JSON.stringify(value, null, 2)` as it stands at `indent` inside an enclosing document (each of its
 * lines after the first indented by `indent`, no newline after it), handed to `write` in pieces as
 * writeJson does: `timeline -T json` writes each connection so, one connection being more than a
 * string holds at times (a pooled connection of 9,000 requests with 11 KB of headers each).
 */
export function writeJsonAt(value: unknown, indent: string, write: (text: string) => void, depth = 3, chunk = 1 << 16): void {
  const out = pieces(write, chunk);
  if (indent === '') walk(value, '', out.emit, depth, Math.max(1, chunk >> 2));
  else if (!skipped(value)) walk(value, indent, out.emit, depth, Math.max(1, chunk >> 2));
  out.end();
}

/** Texts gathered and handed to `write` once they reach `chunk` characters; `end` hands the rest. */
function pieces(write: (text: string) => void, chunk: number): { emit: (s: string) => void; end: () => void } {
  let buf = '';
  return {
    emit: (s) => {
      buf += s;
      if (buf.length >= chunk) {
        write(buf);
        buf = '';
      }
    },
    end: () => {
      if (buf.length > 0) write(buf);
    },
  };
}

/**
 * A list whose items are made as they are written, not held (`timeline -T json` reads a connection's
 * events and cycles back from a temporary file): written as the array of those items would be.
 * `count` says whether it is empty before any item is made.
 */
export class StreamedList {
  constructor(
    readonly count: number,
    readonly items: () => Iterable<unknown>,
  ) {}

  /** Its items as one array, when it is met below `depth` (inside a value stringified natively): correct, not streamed. */
  toJSON(): unknown[] {
    return [...this.items()];
  }
}

function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * Past `depth`, a list longer than this is still written in pieces: one native stringify of a whole
 * list (10,000 violations) is one string of megabytes, then its slice, its flattened copy and its
 * Buffer, all in the old generation at once (+40 MB peak RSS writing a 2 GB capture's report).
 */
const LONG_LIST = 16;

/** An array that walk writes in pieces when it meets it past `depth` (see LONG_LIST). */
const longArray = (x: unknown): boolean => Array.isArray(x) && x.length > LONG_LIST && typeof (x as { toJSON?: unknown }).toJSON !== 'function';

/** `piece`: about how many characters a long list's items are stringified together (a quarter of the chunk). */
function walk(v: unknown, indent: string, emit: (s: string) => void, depth: number, piece: number): void {
  // Never written natively, whatever the depth: its items are made only here (see StreamedList).
  if (v instanceof StreamedList) {
    if (v.count === 0) {
      emit('[]');
      return;
    }
    let i = 0;
    for (const x of v.items()) {
      emit(i++ === 0 ? `[\n${indent}  ` : `,\n${indent}  `);
      if (skipped(x)) emit('null');
      else walk(x, `${indent}  `, emit, depth - 1, piece);
    }
    emit(`\n${indent}]`);
    return;
  }
  // A long list one level above `depth` (capture.streams, capture.connections at the default 3) is
  // written in pieces too: item by item it cost one native stringify per item, 10,000 for a 500 MB
  // capture's streams, ~15 % of the JSON writer (issue 14). The text is the same, each item
  // stringified where it stands; not when an item is itself a long list, which walk would write in
  // pieces of its own (the bound on the strings made, above).
  if (depth <= 1 && longArray(v) && (depth <= 0 || !(v as unknown[]).some(longArray))) {
    longList(v as unknown[], indent, emit, piece);
    return;
  }
  if (depth <= 0 || v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    if (indent === '') {
      // Only the top value can be undefined here (members and elements are filtered by the caller);
      // JSON.stringify(undefined) is undefined, which `+ '\n'` would print as "undefined".
      emit((JSON.stringify(v, null, 2) as string | undefined) ?? 'undefined');
      return;
    }
    // A number, string, boolean or null has no line of its own to indent: stringified as it is, not
    // wrapped in arrays (indented) once per field of every object below `depth` (`timeline -T json`
    // writes each request cycle's thirty fields so: 40 % of its time).
    if (v === null || typeof v !== 'object') emit(JSON.stringify(v));
    else emit(indented(v, indent));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      emit('[]');
      return;
    }
    for (let i = 0; i < v.length; i++) {
      emit(i === 0 ? `[\n${inner}` : `,\n${inner}`);
      const x: unknown = v[i];
      if (skipped(x)) emit('null');
      else walk(x, inner, emit, depth - 1, piece);
    }
    emit(`\n${indent}]`);
    return;
  }
  let first = true;
  for (const k of Object.keys(v)) {
    const x: unknown = (v as Record<string, unknown>)[k];
    if (skipped(x)) continue;
    emit(`${first ? '{\n' : ',\n'}${inner}${JSON.stringify(k)}: `);
    first = false;
    walk(x, inner, emit, depth - 1, piece);
  }
  emit(first ? '{}' : `\n${indent}}`);
}

/**
 * `v` (not undefined) stringified natively as it stands at `indent`: wrapped in `level` one-element
 * arrays, stringified, and the wrappers' own text ("[\n" + indent per level before, "\n" + indent +
 * "]" after) cut off.
 */
function indented(v: unknown, indent: string): string {
  const level = indent.length / 2;
  let wrapped: unknown = v;
  for (let i = 0; i < level; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  return text.slice(2 * level + level * (level + 1), text.length - (2 * level + level * (level - 1)));
}

/**
 * A list at `indent`, several items per native stringify (as many as made about `piece` characters
 * in the piece before; one at first): each piece's brackets cut off, the pieces joined as one list.
 */
function longList(v: readonly unknown[], indent: string, emit: (s: string) => void, piece: number): void {
  const inner = `${indent}  `;
  let n = 1;
  for (let i = 0; i < v.length; ) {
    const items = v.slice(i, i + n);
    // "[\n" + inner + items joined by ",\n" + inner + "\n" + indent + "]"; holes and undefined are null, as in the whole list.
    const text = indented(items, indent);
    emit((i === 0 ? '[\n' : ',\n') + inner + text.slice(2 + inner.length, text.length - indent.length - 2));
    i += items.length;
    n = Math.min(256, Math.max(1, Math.floor((piece * items.length) / text.length)));
  }
  emit(`\n${indent}]`);
}
