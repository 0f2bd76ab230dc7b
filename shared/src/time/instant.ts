import { DomainError } from '../errors/domain-error.js';

/**
 * RFC 3339 date-time: `2026-12-10T11:00:00-05:00` or `2026-12-10T16:00:00Z`, seconds required,
 * fractions optional (kept to the millisecond). Every instant the APIs take matches it; the instants
 * they answer with are always UTC with `Z` (`IsoInstantSchema`).
 */
export const RFC3339_INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})$';

const SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Epoch ms of an RFC 3339 instant, or the reason it is not one. */
export function readInstant(value: string): number | { reason: string } {
  const m = SHAPE.exec(value);
  if (m === null) return { reason: 'expected RFC 3339 such as 2026-12-10T11:00:00-05:00 or …Z' };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12) return { reason: `month ${m[2]} does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) return { reason: `${m[1]}-${m[2]} has no day ${m[3]}` };
  if (hour > 23 || minute > 59 || second > 59)
    return { reason: `${m[4]}:${m[5]}:${m[6]} is not a time of day` };
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59)
      return { reason: `offset ${m[9]}${m[10]}:${m[11]} does not exist` };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  // Date.UTC reads years 0–99 as 1900–1999; those rare years go through setUTCFullYear.
  const utc =
    year >= 100
      ? Date.UTC(year, month - 1, day, hour, minute, second, millis)
      : new Date(0).setUTCFullYear(year, month - 1, day) +
        ((hour * 60 + minute) * 60 + second) * 1000 +
        millis;
  return utc - offsetMinutes * 60_000;
}

/**
 * An instant from a request as epoch ms, in any offset. An impossible date (`2025-02-30`, which
 * `Date.parse` rolls over to March 2) is a 400 naming the field, never a silent shift.
 */
export function parseInstant(value: string, field: string): number {
  const read = readInstant(value);
  if (typeof read === 'number') return read;
  throw new DomainError('VALIDATION_FAILED', `${field} '${value}' is not a valid instant: ${read.reason}`, {
    field,
  });
}

/** `parseInstant` for optional fields: null and undefined pass through as null. */
export function parseOptionalInstant(value: string | null | undefined, field: string): number | null {
  return value === null || value === undefined ? null : parseInstant(value, field);
}
