import { Type } from '@sinclair/typebox';
import { RFC3339_INSTANT_PATTERN } from '../time/instant.js';

/**
 * Building blocks for protocol schemas. Patterns (not `format`) keep the schemas checkable by
 * TypeBox's `Value` without registering formats globally, and still valid JSON Schema for Fastify.
 * `title` names the expectation so `validate()` can say "expected UUID" instead of echoing a regex.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** ISO-8601 UTC instant as written by `Date.prototype.toISOString()` (milliseconds optional). */
export const ISO_INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$';

export const UuidSchema = Type.String({ pattern: UUID_PATTERN, title: 'UUID' });

export const IsoInstantSchema = Type.String({
  pattern: ISO_INSTANT_PATTERN,
  title: 'ISO-8601 UTC instant (e.g. 2025-08-03T14:00:00Z)',
});

/** Opaque identifier that is not necessarily a UUID (door ids, device ids). */
export const IdSchema = Type.String({ minLength: 1, maxLength: 128 });

/** RFC 3339 with `Z` or any offset: what every instant a client sends may look like. */
export const INSTANT_INPUT_PATTERN = RFC3339_INSTANT_PATTERN;

export const InstantInputSchema = Type.String({
  pattern: INSTANT_INPUT_PATTERN,
  title: 'RFC 3339 instant, UTC or with an offset (e.g. 2026-12-10T11:00:00-05:00)',
});
