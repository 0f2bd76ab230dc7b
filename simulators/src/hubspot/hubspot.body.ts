import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { validationError } from './hubspot.errors.js';

/**
 * Request bodies are checked here rather than by Fastify's Ajv, whose type coercion would turn
 * a wrong value into an accepted one; HubSpot answers such input with a 400 naming the field.
 */
export function parseBody<S extends TSchema>(schema: S, body: unknown, label: string): Static<S> {
  if (Value.Check(schema, body)) return body;
  const first = Value.Errors(schema, body).First();
  const where = first?.path ? first.path : '(body)';
  throw validationError(`Invalid input JSON for ${label}: ${where} ${first?.message ?? 'is invalid'}`, [
    { message: `${where} ${first?.message ?? 'is invalid'}`, code: 'INVALID_INPUT', in: where },
  ]);
}
