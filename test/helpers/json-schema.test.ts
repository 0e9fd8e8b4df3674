import { describe, expect, it } from 'vitest';
import { lintSchema, SchemaKeywordError, validate, type Schema } from './json-schema.js';

const ok = (s: Schema, v: unknown, root?: Schema) => expect(validate(s, v, root ?? s)).toEqual([]);
const bad = (s: Schema, v: unknown, message: RegExp, path = '') => {
  const errors = validate(s, v);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.some((e) => e.path === path && message.test(e.message)), JSON.stringify(errors)).toBe(true);
};

describe('json-schema subset validator', () => {
  it('type: each JSON type, integer vs number, unions', () => {
    ok({ type: 'integer' }, 3);
    bad({ type: 'integer' }, 3.5, /expected integer, got number/);
    ok({ type: 'number' }, 3.5);
    bad({ type: 'number' }, '3', /expected number, got string/);
    bad({ type: 'object' }, [], /got array/);
    bad({ type: 'array' }, {}, /got object/);
    bad({ type: 'string' }, null, /got null/);
    ok({ type: ['string', 'null'] }, null);
    bad({ type: ['string', 'null'] }, 1, /expected string or null/);
    bad({ type: 'boolean' }, 0, /got number/);
    expect(() => validate({ type: 'int' }, 1)).toThrow(SchemaKeywordError);
  });

  it('required, properties (nested paths), additionalProperties false and as a schema', () => {
    const s: Schema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'object', properties: { 'b/c': { type: 'integer' } } } },
      additionalProperties: { type: 'string' },
    };
    ok(s, { a: { 'b/c': 1 }, extra: 'x' });
    bad(s, {}, /missing required property "a"/);
    bad(s, { a: { 'b/c': 'no' } }, /expected integer/, '/a/b~1c');
    bad(s, { a: {}, extra: 2 }, /expected string/, '/extra');
    bad({ type: 'object', properties: {}, additionalProperties: false }, { x: 1 }, /"x" is not allowed/, '/x');
    // open by default
    ok({ type: 'object', properties: { a: { type: 'integer' } } }, { a: 1, z: [] });
  });

  it('items, enum, const, minimum, maximum, pattern', () => {
    bad({ type: 'array', items: { type: 'integer', minimum: 1 } }, [1, 0], /below the minimum 1/, '/1');
    bad({ enum: ['error', 'warning', 'info'] }, 'fatal', /not one of "error", "warning", "info"/);
    ok({ enum: ['a', null] }, null);
    bad({ const: 1 }, 2, /expected 1/);
    ok({ const: { a: [1, 2] } }, { a: [1, 2] });
    bad({ const: { a: [1, 2] } }, { a: [2, 1] }, /expected/);
    bad({ maximum: 10 }, 11, /above the maximum/);
    ok({ minimum: 0 }, 'not a number: minimum does not apply');
    bad({ type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' }, 'Bad_Id', /does not match/);
  });

  it('oneOf needs exactly one match; anyOf at least one', () => {
    const s: Schema = { oneOf: [{ type: 'integer' }, { type: 'number' }] };
    bad(s, 1, /matches 2 of the 2 oneOf/);
    ok(s, 1.5);
    bad(s, 'x', /matches 0 of the 2 oneOf/);
    ok({ anyOf: [{ type: 'integer' }, { type: 'number' }] }, 1);
    bad({ anyOf: [{ type: 'integer' }, { type: 'null' }] }, 'x', /none of the 2 anyOf/);
  });

  it('$ref to #/$defs, discriminated by const', () => {
    const root: Schema = {
      $defs: {
        log: { type: 'object', required: ['source', 'line'], properties: { source: { const: 'log' }, line: { type: 'integer' } } },
        capture: { type: 'object', required: ['source', 'frames'], properties: { source: { const: 'capture' }, frames: { type: 'array' } } },
      },
      type: 'array',
      items: { oneOf: [{ $ref: '#/$defs/log' }, { $ref: '#/$defs/capture' }] },
    };
    ok(root, [{ source: 'log', line: 1 }, { source: 'capture', frames: [] }]);
    bad(root, [{ source: 'log', frames: [] }], /0 of the 2 oneOf/, '/0');
    expect(() => validate({ $ref: '#/$defs/nope' }, 1, root)).toThrow(/does not resolve/);
    expect(() => validate({ $ref: 'other.json#/x' }, 1)).toThrow(/only #\/\$defs/);
  });

  it('throws on keywords it does not check, and lint finds them anywhere', () => {
    expect(() => validate({ type: 'string', minLength: 3 }, 'ab')).toThrow(/minLength/);
    const s: Schema = {
      $defs: { unused: { type: 'object', properties: { a: { type: 'array', items: { format: 'date-time' } } } } },
      properties: { b: { $ref: '#/$defs/missing' }, c: { type: 'float' } },
    };
    expect(lintSchema(s)).toEqual([
      '#/$defs/unused/properties/a/items: unsupported keyword format',
      '#/properties/b: $ref #/$defs/missing does not resolve',
      '#/properties/c: unknown type float',
    ]);
  });
});
