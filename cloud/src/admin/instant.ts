import { badRequest } from '../common/app-error.js';

/**
 * An ISO instant from a request as a Date. The schema pattern admits impossible dates such as
 * 2025-13-45T25:00:00Z; they must be a 400 naming the field, not an Invalid Date in a query.
 */
export function instantOf(value: string, field: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badRequest(field, `${field} '${value}' is not a real instant`);
  return date;
}

export const instantOrNull = (value: string | null | undefined, field: string): Date | null =>
  value ? instantOf(value, field) : null;
