import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * JSON payload decoding shared by every MQTT message of the protocol. A device or the edge must
 * never crash on a malformed message from the network: decoding returns a result that names the
 * offending field instead of throwing.
 */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** The protocol's instants are the API's: one pattern for both (schema/common.schema.ts). */
export { ISO_INSTANT_PATTERN } from '../schema/common.schema.js';

const decoder = new TextDecoder();

export function payloadText(payload: Uint8Array | string): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}

export function decodeJsonPayload<S extends TSchema>(
  schema: S,
  payload: Uint8Array | string,
  label: string,
): DecodeResult<Static<S>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payloadText(payload));
  } catch {
    return { ok: false, error: `${label}: payload is not valid JSON` };
  }
  if (Value.Check(schema, parsed)) return { ok: true, value: parsed };
  const first = Value.Errors(schema, parsed).First();
  const where = first?.path ? first.path : '/';
  return { ok: false, error: `${label}: ${where} ${first?.message ?? 'is invalid'}` };
}

export function encodeJsonPayload(value: unknown): string {
  return JSON.stringify(value);
}
