import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { blockedPortReason } from './blocked-ports.js';

/**
 * One TypeBox schema per app describes every environment variable it reads (default, limits,
 * meaning); `parseEnv` turns the process environment into a typed object once at start-up.
 * TypeBox's Value API rather than env-schema: the API schemas are TypeBox already, it needs no
 * extra dependency, and a failed check here can name the variable, its value and what is allowed.
 */
export type Env = Record<string, string | undefined>;

/** A bad setting: the message names the variable, what it is and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** A whole number from `minimum` to `maximum`; unset or empty → `fallback`. */
export const EnvInt = (fallback: number, minimum: number, maximum: number) =>
  Type.Integer({ default: fallback, minimum, maximum });

/**
 * A port to listen on (0: any free one); one that browsers and fetch refuse (blocked-ports.ts) is
 * refused here, saying why.
 */
export const EnvPort = (fallback: number) =>
  Type.Integer({ default: fallback, minimum: 0, maximum: 65_535, listenPort: true });

/** true/false (also 1/0, yes/no, on/off, any case); unset or empty → `fallback`. */
export const EnvBool = (fallback: boolean) => Type.Boolean({ default: fallback });

/** One of `values` (any case); unset or empty → `fallback`. */
export const EnvEnum = <const T extends string>(values: readonly T[], fallback: T) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    { default: fallback },
  );

/** Text; unset or empty → `fallback`. */
export const EnvText = (fallback: string) => Type.String({ default: fallback });

/** An http(s) base URL; unset or empty → undefined. */
export const EnvUrl = () =>
  Type.Optional(Type.String({ pattern: '^https?://[^/\\s]+\\S*$', description: 'an http(s) URL' }));

/**
 * Optional text with its own rule (`pattern` + `description`, or `minLength`); unset or empty →
 * undefined. `secret` keeps the value out of error messages (only its length is shown).
 */
export const EnvOptional = (
  rule: { pattern?: string; description?: string; minLength?: number; secret?: boolean } = {},
) => Type.Optional(Type.String(rule));

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

interface SchemaShape {
  type?: string;
  anyOf?: { const?: unknown }[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  description?: string;
  secret?: boolean;
  listenPort?: boolean;
}

/** What the schema allows, in words: "an integer from 1 to 365", "one of info, warn". */
function allowed(schema: SchemaShape): string {
  if (schema.description !== undefined) return schema.description;
  if (schema.type === 'integer') return `an integer from ${schema.minimum} to ${schema.maximum}`;
  if (schema.type === 'boolean') return 'true or false (also 1/0, yes/no, on/off)';
  if (schema.anyOf !== undefined) return `one of ${schema.anyOf.map((s) => String(s.const)).join(', ')}`;
  if (schema.minLength !== undefined) return `at least ${schema.minLength} characters`;
  return 'text';
}

function convert(schema: SchemaShape, raw: string): unknown {
  if (schema.type === 'integer') return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (schema.type === 'boolean') {
    const word = raw.toLowerCase();
    return TRUE.includes(word) ? true : FALSE.includes(word) ? false : raw;
  }
  if (schema.anyOf !== undefined) return raw.toLowerCase();
  return raw;
}

/**
 * One variable: unset or blank gives the schema's default (undefined when it has none), anything
 * else is trimmed, converted to the schema's type and checked against it.
 */
export function parseVariable<S extends TSchema>(
  name: string,
  schema: S,
  rawValue: string | undefined,
): Static<S> {
  const raw = rawValue?.trim() ?? '';
  const shape = schema as SchemaShape;
  if (raw === '') return (schema as { default?: unknown }).default as Static<S>;
  const value = convert(shape, raw);
  if (!Value.Check(schema, value)) {
    const got = shape.secret ? `a value of ${raw.length} characters` : `"${raw}"`;
    throw new ConfigError(name, `must be ${allowed(shape)}, got ${got}`);
  }
  const blocked = shape.listenPort ? blockedPortReason(value as number) : null;
  if (blocked !== null) throw new ConfigError(name, `cannot be ${value}: ${blocked}`);
  return value as Static<S>;
}

/** Every variable of `schema` from `env`; the first bad one throws a `ConfigError` naming it. */
export function parseEnv<S extends TObject>(schema: S, env: Env): Static<S> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    out[name] = parseVariable(name, property, env[name]);
  }
  return out as Static<S>;
}
