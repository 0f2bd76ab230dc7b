import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** What Fastify's `setValidatorCompiler` expects, written out so this package needs no Fastify. */
export type SchemaValidatorCompiler = (route: {
  schema: TSchema;
  httpPart?: string;
}) => (input: unknown) => { value: unknown } | { error: Error };

/**
 * Route validation for cloud and edge alike, with TypeBox instead of Fastify's default Ajv, because Ajv's `coerceTypes`
 * applies to bodies too (`"reason": 3.5` silently became "3.5", `"duration": "60"` became 60).
 * JSON bodies are checked strictly; query strings, params and headers are text, so they are
 * converted to the schema's types first. Errors keep Ajv's shape (`instancePath`, `message`) so
 * the error handler names the field.
 */
export const typeboxValidatorCompiler: SchemaValidatorCompiler = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const integers = integerProperties(schema);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : convertText(schema, input, integers);
    if (check.Check(value)) return { value };
    const first = check.Errors(value).First();
    const error = Object.assign(new Error(first?.message ?? 'is invalid'), {
      validation: first ? [{ instancePath: first.path, message: first.message, params: {} }] : [],
    });
    return { error };
  };
};

const INTEGER_TEXT = /^-?\d+$/;

/** Top-level properties whose schema is an integer (queries and params are flat). */
function integerProperties(schema: TSchema): string[] {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  return Object.keys(properties).filter((key) => (properties[key] as { type?: unknown }).type === 'integer');
}

/**
 * Text → the schema's types. TypeBox would read `limit=2.5` as 2 and `0x10` as 16: an integer field
 * keeps text that is not plainly an integer, so the check refuses it and names the field.
 */
function convertText(schema: TSchema, input: unknown, integers: readonly string[]): unknown {
  if (integers.length === 0 || typeof input !== 'object' || input === null)
    return Value.Convert(schema, input);
  // Read the text first: Value.Convert may convert the object in place.
  const raw = input as Record<string, unknown>;
  const kept = integers.filter(
    (key) => typeof raw[key] === 'string' && !INTEGER_TEXT.test(raw[key] as string),
  );
  const texts = kept.map((key) => raw[key]);
  const converted = Value.Convert(schema, input) as Record<string, unknown>;
  kept.forEach((key, i) => {
    converted[key] = texts[i];
  });
  return converted;
}
