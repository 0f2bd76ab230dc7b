import { badRequest } from './app-error.js';

/**
 * An ISO instant from the API as epoch ms. The schema's pattern admits impossible dates
 * ("2025-02-30T25:61:00Z"); they are a 400 naming the field, not a NaN deeper down.
 */
export function parseInstant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(field, `${field} '${value}' is not a valid instant`);
  // Date.parse rolls 2025-02-30 over to March 2; a round trip catches that.
  const canonical = new Date(ms).toISOString();
  const given = value.replace(/(\.\d{1,3})?Z$/, '');
  if (canonical.slice(0, given.length) !== given) {
    throw badRequest(field, `${field} '${value}' is not a valid instant`);
  }
  return ms;
}
