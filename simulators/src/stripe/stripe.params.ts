import { invalidRequest, StripeApiError } from './stripe.errors.js';
import type { FormValue } from './stripe.form.js';

/**
 * Each endpoint declares its parameters; a request is checked against them before anything runs
 * (so, as at Stripe, a malformed request is not stored under its idempotency key). Failures are
 * Stripe's 400s naming the parameter in bracket form (`line_items[0][quantity]`). An empty value
 * means "unset" and comes out as null.
 */
export type Spec =
  | { t: 'string'; max?: number; values?: readonly string[] }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'bool' }
  | { t: 'metadata' }
  | { t: 'object'; fields: Fields }
  | { t: 'array'; of: Spec }
  /** An integer or a `{gt, gte, lt, lte}` range (list filters on `created`). */
  | { t: 'range' };

export interface Field {
  spec: Spec;
  required?: boolean;
}
export type Fields = Record<string, Field | Spec>;

export const str = (max = 5000): Spec => ({ t: 'string', max });
export const oneOf = (...values: string[]): Spec => ({ t: 'string', values });
export const int = (min?: number, max?: number): Spec => ({ t: 'int', min, max });
export const bool = (): Spec => ({ t: 'bool' });
export const metadata = (): Spec => ({ t: 'metadata' });
export const obj = (fields: Fields): Spec => ({ t: 'object', fields });
export const arr = (of: Spec): Spec => ({ t: 'array', of });
export const range = (): Spec => ({ t: 'range' });
export const required = (spec: Spec): Field => ({ spec, required: true });

/** Accepted on every endpoint. */
export const COMMON: Fields = { expand: arr(str()) };
/** Accepted on every list endpoint. */
export const LIST: Fields = {
  ...COMMON,
  limit: int(1, 100),
  starting_after: str(),
  ending_before: str(),
  created: range(),
};

const field = (f: Field | Spec): Field => ('spec' in f ? f : { spec: f });

function listOfValues(values: readonly string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}` : (values[0] ?? '');
}

function checkMetadata(value: FormValue, name: string): Record<string, string | null> | null {
  if (value === '') return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid object', name);
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalidRequest('You can have at most 50 metadata keys.', name);
  const out: Record<string, string | null> = {};
  for (const [key, v] of entries) {
    if (typeof v !== 'string')
      throw invalidRequest('Invalid metadata value: must be a string', `${name}[${key}]`);
    if (key.length > 40)
      throw invalidRequest(
        `Metadata keys can have up to 40 characters, but you passed in a key that is ${key.length} characters.`,
        `${name}[${key}]`,
      );
    if (v.length > 500)
      throw invalidRequest(
        `Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters.`,
        `${name}[${key}]`,
      );
    out[key] = v === '' ? null : v;
  }
  return out;
}

function checkInt(value: string, name: string, spec: { min?: number; max?: number }): number {
  if (!/^-?\d+$/.test(value))
    throw new StripeApiError(400, 'invalid_request_error', `Invalid integer: ${value}`, {
      param: name,
      code: 'parameter_invalid_integer',
    });
  const n = Number(value);
  if (spec.min !== undefined && n < spec.min)
    throw invalidRequest(`This value must be greater than or equal to ${spec.min}.`, name);
  if (spec.max !== undefined && n > spec.max)
    throw invalidRequest(`This value must be less than or equal to ${spec.max}.`, name);
  return n;
}

function check(spec: Spec, value: FormValue, name: string): unknown {
  if (spec.t === 'metadata') return checkMetadata(value, name);
  if (value === '') return null;
  switch (spec.t) {
    case 'string': {
      if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${name}`, name);
      if (spec.values && !spec.values.includes(value))
        throw invalidRequest(`Invalid ${name}: must be one of ${listOfValues(spec.values)}`, name);
      if (spec.max !== undefined && value.length > spec.max)
        throw invalidRequest(`Invalid string: ${name} must be at most ${spec.max} characters`, name);
      return value;
    }
    case 'int':
      if (typeof value !== 'string') throw invalidRequest(`Invalid integer: ${name}`, name);
      return checkInt(value, name, spec);
    case 'bool':
      if (value !== 'true' && value !== 'false')
        throw invalidRequest(`Invalid boolean: ${typeof value === 'string' ? value : name}`, name);
      return value === 'true';
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid object', name);
      return checkFields(spec.fields, value, `${name}[`, ']');
    case 'array': {
      if (!Array.isArray(value)) throw invalidRequest('Invalid array', name);
      return value.map((item, i) => check(spec.of, item, `${name}[${i}]`));
    }
    case 'range': {
      if (typeof value === 'string') return { eq: checkInt(value, name, {}) };
      if (Array.isArray(value)) throw invalidRequest('Invalid object', name);
      return checkFields({ gt: int(), gte: int(), lt: int(), lte: int() }, value, `${name}[`, ']');
    }
  }
}

function checkFields(
  fields: Fields,
  value: { [key: string]: FormValue },
  prefix = '',
  suffix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const name = `${prefix}${key}${suffix}`;
    const f = fields[key];
    if (!f) throw invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    out[key] = check(field(f).spec, raw, name);
  }
  for (const [key, f] of Object.entries(fields)) {
    if (field(f).required && (out[key] === undefined || out[key] === null)) {
      const name = `${prefix}${key}${suffix}`;
      throw invalidRequest(`Missing required param: ${name}.`, name, 'parameter_missing');
    }
  }
  return out;
}

/** Validates a whole request's parameters against an endpoint's fields (plus `expand`). */
export function validateParams<T = Record<string, unknown>>(
  fields: Fields,
  value: { [key: string]: FormValue },
): T {
  return checkFields({ ...COMMON, ...fields }, value) as T;
}

/** A `created` filter as parsed by `range()`, applied to a Unix-seconds timestamp. */
export function inRange(
  filter: { eq?: number; gt?: number; gte?: number; lt?: number; lte?: number } | null | undefined,
  t: number,
): boolean {
  if (!filter) return true;
  if (filter.eq !== undefined && t !== filter.eq) return false;
  if (filter.gt !== undefined && filter.gt !== null && !(t > filter.gt)) return false;
  if (filter.gte !== undefined && filter.gte !== null && !(t >= filter.gte)) return false;
  if (filter.lt !== undefined && filter.lt !== null && !(t < filter.lt)) return false;
  if (filter.lte !== undefined && filter.lte !== null && !(t <= filter.lte)) return false;
  return true;
}
