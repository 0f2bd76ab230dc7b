import { DateTime } from 'luxon';
import { DomainInputError } from '../model/domain-input.error.js';
import type { Interval } from './interval.js';
import { addDays } from './local-date.js';
import { parseLocalTime } from './local-time.js';
import { assertValidZone, atLocalMinutes, localDateOf } from './zone.js';

/**
 * The real span of a local calendar day: 24 h normally, 23 h on spring-forward day, 25 h on
 * fall-back day. `end` is the next day's start, so consecutive days tile time exactly.
 */
export function facilityDay(date: string, zone: string): Interval {
  return { start: atLocalMinutes(date, 0, zone), end: atLocalMinutes(addDays(date, 1), 0, zone) };
}

/**
 * A local window that opens on `date` at `startMinutes` and closes at `endMinutes`; when
 * `endMinutes` <= `startMinutes` it closes on the next day (10:00–02:00 on Friday ends 02:00 Saturday).
 * Both ends go through the same 'compatible' disambiguation, so the real length is the nominal
 * length minus the hour a spring-forward removes or plus the hour a fall-back repeats.
 */
export function localWindow(date: string, startMinutes: number, endMinutes: number, zone: string): Interval {
  const endDate = endMinutes <= startMinutes ? addDays(date, 1) : date;
  return { start: atLocalMinutes(date, startMinutes, zone), end: atLocalMinutes(endDate, endMinutes, zone) };
}

/** `localWindow` with 'HH:MM' strings. */
export function localWindowOf(date: string, start: string, end: string, zone: string): Interval {
  return localWindow(date, parseLocalTime(start, 'start_time'), parseLocalTime(end, 'end_time'), zone);
}

/** "In `dayOffset` days at HH:MM" relative to `now`, in the facility zone (1 = tomorrow). */
export function relativeDayAt(now: number, zone: string, dayOffset: number, time: string): number {
  return atLocalMinutes(addDays(localDateOf(now, zone), dayOffset), parseLocalTime(time), zone);
}

/** "Tomorrow 7pm" = `tomorrowAt(now, zone, '19:00')`. */
export function tomorrowAt(now: number, zone: string, time: string): number {
  return relativeDayAt(now, zone, 1, time);
}

/**
 * The same local wall-clock time `days` calendar days later (not `days × 24 h`: across a DST change
 * the real gap is 23 h or 25 h for that day). Used for "at most N days in advance".
 */
export function plusCalendarDays(ms: number, days: number, zone: string): number {
  assertValidZone(zone);
  if (!Number.isInteger(days)) throw new DomainInputError('days', `expected an integer, got ${days}`);
  return DateTime.fromMillis(ms, { zone }).plus({ days }).toMillis();
}
