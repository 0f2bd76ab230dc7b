import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Route validation with TypeBox instead of Fastify's default Ajv, because Ajv's `coerceTypes`
 * applies to bodies too (`"reason": 3.5` silently became "3.5", `"duration": "60"` became 60).
 * JSON bodies are checked strictly; query strings, params and headers are text, so they are
 * converted to the schema's types first. Errors keep Ajv's shape (`instancePath`, `message`) so
 * the error handler names the field.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  return (input: unknown) => {
    const value = httpPart === 'body' ? input : Value.Convert(schema, input);
    if (check.Check(value)) return { value };
    const first = check.Errors(value).First();
    const error = Object.assign(new Error(first?.message ?? 'is invalid'), {
      validation: first ? [{ instancePath: first.path, message: first.message, params: {} }] : [],
    });
    return { error };
  };
};
