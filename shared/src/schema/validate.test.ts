import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IsoInstantSchema, UuidSchema } from './common.schema.js';
import { assertValid, pointerToField, SchemaValidationError, validate } from './validate.js';

const Schema = Type.Object({
  id: UuidSchema,
  at: IsoInstantSchema,
  items: Type.Array(Type.Object({ seq: Type.Integer({ minimum: 1 }) })),
});
const good = { id: '3f2c9a1e-8b7d-4c6e-9f10-1a2b3c4d5e6f', at: '2025-08-03T14:00:00Z', items: [{ seq: 1 }] };

describe('validate', () => {
  it('returns the value when it matches', () => {
    expect(validate(Schema, good)).toEqual({ ok: true, value: good });
  });

  it('names each bad field in dotted form with a readable reason', () => {
    const result = validate(Schema, {
      id: 'abc',
      at: '2025-08-03 14:00',
      items: [{ seq: 1 }, { seq: 'two' }],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'id', message: "Expected UUID, got 'abc'" },
        {
          field: 'at',
          message: "Expected ISO-8601 UTC instant (e.g. 2025-08-03T14:00:00Z), got '2025-08-03 14:00'",
        },
        { field: 'items[1].seq', message: "Expected integer, got 'two'" },
      ],
    });
  });

  it('reports a missing field once, as missing', () => {
    const result = validate(Schema, { at: good.at, items: [] });
    expect(result).toEqual({ ok: false, errors: [{ field: 'id', message: 'Expected required property' }] });
  });

  it('never throws, whatever JSON arrives (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validate(Schema, value);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it('throws a coded error from assertValid', () => {
    expect(() => assertValid(Schema, { ...good, id: 7 }, 'change batch')).toThrow(
      'change batch is invalid: id: Expected string, got 7',
    );
    expect(() => assertValid(Schema, null, 'x')).toThrow(SchemaValidationError);
  });

  it('turns JSON pointers into field names', () => {
    expect(pointerToField('')).toBe('(root)');
    expect(pointerToField('/changes/0/data/a~1b')).toBe('changes[0].data.a/b');
  });
});
