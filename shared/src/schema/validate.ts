import type { Static, TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';

/** One problem with a value, `field` in dotted form: `changes[2].seq`, or `(root)`. */
export interface FieldError {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Thrown by `assertValid`; services map it to a 4xx (or a rejected sync event) naming the field. */
export class SchemaValidationError extends Error {
  readonly code = 'INVALID_MESSAGE';

  constructor(
    readonly label: string,
    readonly errors: FieldError[],
  ) {
    super(`${label} is invalid: ${formatFieldErrors(errors)}`);
    this.name = 'SchemaValidationError';
  }
}

/** JSON pointer `/changes/2/seq` → `changes[2].seq`. */
export function pointerToField(pointer: string): string {
  if (pointer === '' || pointer === '/') return '(root)';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function shortValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  if (text === undefined) return typeof value;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function describe(error: ValueError): string {
  const title = (error.schema as { title?: unknown }).title;
  const base =
    typeof title === 'string' && error.message.includes('match') ? `Expected ${title}` : error.message;
  // A missing property already says "Expected required property"; echoing `undefined` adds nothing.
  return error.value === undefined ? base : `${base}, got ${shortValue(error.value)}`;
}

/**
 * Checks `value` against a TypeBox schema. Never throws on bad input: returns every field that is
 * wrong (the first problem per field, so a missing field is not also reported as "not a string").
 */
export function validate<S extends TSchema>(schema: S, value: unknown): Validation<Static<S>> {
  if (Value.Check(schema, value)) return { ok: true, value };
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const field = pointerToField(error.path);
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: describe(error) });
  }
  return { ok: false, errors };
}

export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}

/** Like `validate` but throws a `SchemaValidationError` whose message names each bad field. */
export function assertValid<S extends TSchema>(schema: S, value: unknown, label: string): Static<S> {
  const result = validate(schema, value);
  if (!result.ok) throw new SchemaValidationError(label, result.errors);
  return result.value;
}
