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
  let buf = '';
  const emit = (s: string): void => {
    buf += s;
    if (buf.length >= chunk) {
      write(buf);
      buf = '';
    }
  };
  walk(value, '', emit, depth);
  emit('\n');
  if (buf.length > 0) write(buf);
}

function skipped(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * Past `depth`, a list longer than this is still walked item by item: one native stringify of a
 * whole list (10,000 violations) is one string of megabytes, then its slice, its flattened copy and
 * its Buffer, all in the old generation at once (+40 MB peak RSS writing a 2 GB capture's report).
 */
const LONG_LIST = 16;

function walk(v: unknown, indent: string, emit: (s: string) => void, depth: number): void {
  if (depth <= 0 && Array.isArray(v) && v.length > LONG_LIST && typeof (v as { toJSON?: unknown }).toJSON !== 'function') depth = 1;
  if (depth <= 0 || v === null || typeof v !== 'object' || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    if (indent === '') {
      // Only the top value can be undefined here (members and elements are filtered by the caller);
      // JSON.stringify(undefined) is undefined, which `+ '\n'` would print as "undefined".
      emit((JSON.stringify(v, null, 2) as string | undefined) ?? 'undefined');
      return;
    }
    // Indented natively: the value wrapped in `level` one-element arrays is stringified, and the
    // wrappers' own text ("[\n" + indent per level before, "\n" + indent + "]" after) cut off.
    const level = indent.length / 2;
    let wrapped: unknown = v;
    for (let i = 0; i < level; i++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, 2);
    emit(text.slice(2 * level + level * (level + 1), text.length - (2 * level + level * (level - 1))));
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
      else walk(x, inner, emit, depth - 1);
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
    walk(x, inner, emit, depth - 1);
  }
  emit(first ? '{}' : `\n${indent}}`);
}
