import { DateTime } from 'luxon';

/** HTTP JSON instants are ISO-8601 UTC strings (the domain's epoch ms at the edge of the API). */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** An instant as local ISO-8601 with offset in `zone`, e.g. 2025-08-03T10:00:00.000-04:00. */
export function formatInZone(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO() ?? iso(ms);
}
