/**
 * A tiny JSON Schema (draft 2020-12) validator for the subset docs/report.schema.json uses, so the
 * tests need no new dependency: type, required, properties, additionalProperties, items, enum,
 * const, oneOf, anyOf, $ref (to #/$defs/… of the same document), minimum, maximum, pattern.
 * Annotations ($schema, $id, $defs, title, description, $comment, examples, default) are ignored.
 *
 * Any other keyword is a schema error (thrown), not silently ignored: a schema edit that uses a
 * keyword this validator does not check must fail the tests instead of weakening them.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = boolean | { [keyword: string]: unknown };

export interface SchemaError {
  /** JSON Pointer of the offending value ("" = the root). */
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description', '$comment', 'examples', 'default']);
const CHECKED = new Set([
  'type',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  '$ref',
  'minimum',
  'maximum',
  'pattern',
]);

export class SchemaKeywordError extends Error {}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      throw new SchemaKeywordError(`unknown type name ${JSON.stringify(t)}`);
  }
}

/** Deep equality of JSON values (for enum / const); object key order does not matter. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeOf(a) !== typeOf(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const ak = Object.keys(ao);
    return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && jsonEqual(ao[k], bo[k]));
  }
  return false;
}

function pointerToken(k: string | number): string {
  return String(k).replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolveRef(root: Schema, ref: string): Schema {
  const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
  if (!m || typeof root !== 'object') throw new SchemaKeywordError(`unsupported $ref ${ref} (only #/$defs/NAME)`);
  const defs = root.$defs as Record<string, Schema> | undefined;
  const target = defs?.[m[1]!.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (target === undefined) throw new SchemaKeywordError(`$ref ${ref} does not resolve`);
  return target;
}

function check(schema: Schema, value: unknown, path: string, root: Schema, errors: SchemaError[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push({ path, message: 'no value is allowed here' });
    return;
  }
  for (const k of Object.keys(schema)) {
    if (!CHECKED.has(k) && !ANNOTATIONS.has(k)) throw new SchemaKeywordError(`keyword ${k} (at schema for ${path || '/'}) is not supported by this validator`);
  }
  const err = (message: string): void => void errors.push({ path, message });

  if (schema.$ref !== undefined) check(resolveRef(root, String(schema.$ref)), value, path, root, errors);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) {
      err(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return; // the other keywords would only repeat the type error
    }
  }
  if (schema.const !== undefined && !jsonEqual(value, schema.const)) err(`expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.enum !== undefined) {
    const values = schema.enum as unknown[];
    if (!values.some((e) => jsonEqual(e, value))) err(`${JSON.stringify(value)} is not one of ${values.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) err(`${value} is below the minimum ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) err(`${value} is above the maximum ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    err(`${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((x, i) => check(schema.items as Schema, x, `${path}/${i}`, root, errors));
  }
  if (hasType(value, 'object')) {
    const obj = value as Record<string, unknown>;
    for (const k of (schema.required as string[] | undefined) ?? []) if (!(k in obj)) err(`missing required property ${JSON.stringify(k)}`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      const p = `${path}/${pointerToken(k)}`;
      if (Object.hasOwn(props, k)) check(props[k]!, v, p, root, errors);
      else if (schema.additionalProperties !== undefined) {
        const extra = schema.additionalProperties as Schema;
        if (extra === false) errors.push({ path: p, message: `property ${JSON.stringify(k)} is not allowed` });
        else check(extra, v, p, root, errors);
      }
    }
  }
  if (schema.anyOf !== undefined) {
    const branches = schema.anyOf as Schema[];
    if (!branches.some((b) => validate(b, value, root, path).length === 0)) err(`matches none of the ${branches.length} anyOf schemas`);
  }
  if (schema.oneOf !== undefined) {
    const branches = schema.oneOf as Schema[];
    const results = branches.map((b) => validate(b, value, root, path));
    const ok = results.filter((r) => r.length === 0).length;
    if (ok !== 1) {
      // Say why each branch failed: the nearest one is usually the one meant.
      const why = ok === 0 ? `: ${results.map((r, i) => `[${i}] ${r[0]!.path} ${r[0]!.message}`).join('; ')}` : '';
      err(`matches ${ok} of the ${branches.length} oneOf schemas (exactly one required)${why}`);
    }
  }
}

/**
 * Errors of `value` against `schema` (empty: valid). `root` is the document `$ref`s resolve in
 * (default: `schema` itself). Throws SchemaKeywordError when the schema uses an unsupported keyword.
 */
export function validate(schema: Schema, value: unknown, root: Schema = schema, path = ''): SchemaError[] {
  const errors: SchemaError[] = [];
  check(schema, value, path, root, errors);
  return errors;
}

/** The errors as lines for a test failure message (first `max`). */
export function formatErrors(errors: readonly SchemaError[], max = 10): string {
  const lines = errors.slice(0, max).map((e) => `${e.path || '/'}: ${e.message}`);
  if (errors.length > max) lines.push(`… ${errors.length - max} more`);
  return lines.join('\n');
}

/**
 * Every keyword of every subschema (also $defs nobody references) that this validator would not
 * check, and every $ref that does not resolve: a schema must lint clean before its results mean anything.
 */
export function lintSchema(schema: Schema, root: Schema = schema, path = '#'): string[] {
  if (typeof schema === 'boolean') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(schema)) {
    if (!CHECKED.has(k) && !ANNOTATIONS.has(k)) out.push(`${path}: unsupported keyword ${k}`);
    if (k === 'properties' || k === '$defs') {
      for (const [name, sub] of Object.entries(v as Record<string, Schema>)) out.push(...lintSchema(sub, root, `${path}/${k}/${name}`));
    } else if (k === 'items' || k === 'additionalProperties') {
      out.push(...lintSchema(v as Schema, root, `${path}/${k}`));
    } else if (k === 'oneOf' || k === 'anyOf') {
      (v as Schema[]).forEach((sub, i) => out.push(...lintSchema(sub, root, `${path}/${k}/${i}`)));
    } else if (k === '$ref') {
      try {
        resolveRef(root, String(v));
      } catch (e) {
        out.push(`${path}: ${(e as Error).message}`);
      }
    } else if (k === 'type') {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (!['null', 'boolean', 'string', 'number', 'integer', 'array', 'object'].includes(String(t))) out.push(`${path}: unknown type ${String(t)}`);
      }
    }
  }
  return out;
}
