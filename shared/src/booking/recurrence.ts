import { DomainInputError } from '../model/domain-input.error.js';
import {
  addDays,
  assertValidZone,
  atLocalMinutes,
  formatLocalDate,
  formatLocalTime,
  MINUTE_MS,
  parseLocalDate,
  toLocal,
} from '../time/index.js';
import {
  MAX_RECURRENCE_OCCURRENCES,
  type Occurrence,
  type RecurrenceExpansion,
  type RecurrenceRule,
  type SkippedMonth,
} from './recurrence.schema.js';

export interface RecurrenceInput {
  /** First occurrence, epoch ms. */
  start: number;
  durationMinutes: number;
  /** The facility's IANA zone. */
  timeZone: string;
  rule: RecurrenceRule;
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

// A month lacking the day can repeat (29 February every 5 months lands on a leap February once
// in 48 steps), so the walk is bounded by periods, not by occurrences alone.
const MAX_PERIODS = MAX_RECURRENCE_OCCURRENCES * 48;

interface CheckedRule {
  interval: number;
  until: string | null;
  count: number | null;
}

function checkInput(input: RecurrenceInput): CheckedRule {
  const { start, durationMinutes, timeZone, rule } = input;
  if (!Number.isInteger(start)) throw new DomainInputError('start', 'must be an instant in whole epoch ms');
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > 1440) {
    throw new DomainInputError('durationMinutes', 'must be a whole number of minutes from 1 to 1440');
  }
  assertValidZone(timeZone, 'timeZone');
  if (rule.freq !== 'weekly' && rule.freq !== 'monthly') {
    throw new DomainInputError('rule.freq', "must be 'weekly' or 'monthly'");
  }
  const interval = rule.interval ?? 1;
  const maxInterval = rule.freq === 'weekly' ? 52 : 12;
  if (!Number.isInteger(interval) || interval < 1 || interval > maxInterval) {
    throw new DomainInputError('rule.interval', `must be a whole number from 1 to ${maxInterval}`);
  }
  const hasCount = rule.count !== undefined;
  if (hasCount === (rule.until !== undefined)) {
    throw new DomainInputError('rule', "give exactly one of 'count' and 'until' to end the series");
  }
  if (hasCount) {
    const count = rule.count as number;
    if (!Number.isInteger(count) || count < 1 || count > MAX_RECURRENCE_OCCURRENCES) {
      throw new DomainInputError(
        'rule.count',
        `must be a whole number from 1 to ${MAX_RECURRENCE_OCCURRENCES}`,
      );
    }
    return { interval, until: null, count };
  }
  const until = rule.until as string;
  parseLocalDate(until, 'rule.until');
  const startDate = toLocal(start, timeZone).date;
  if (until < startDate) {
    throw new DomainInputError('rule.until', `${until} is before the first occurrence on ${startDate}`);
  }
  return { interval, until, count: null };
}

/**
 * Expands a recurring booking into concrete occurrences, in the facility's zone.
 *
 * - Wall-clock time is kept: a weekly 19:00 booking is at 19:00 local on every date, whatever the
 *   UTC offset; each occurrence lasts `durationMinutes` of real time.
 * - A wall-clock time that does not exist on a date (spring-forward gap) moves forward by the gap
 *   (02:30 → 03:30), and one that happens twice takes the first: RFC 5545's rule and the
 *   `time/` module's 'compatible' disambiguation.
 * - Monthly keeps the day of month. A month without that day (the 31st in April, 29 February in
 *   most years) is SKIPPED and reported, as RFC 5545 does; clamping to the 30th would silently
 *   move the customer's booking to another day. Skipped months do not count toward `count`.
 * - The series is capped at MAX_RECURRENCE_OCCURRENCES; a longer one is refused, not truncated,
 *   so nobody believes they booked dates that were never reserved.
 *
 * Occurrence 0 is `start` itself. Availability of each occurrence is the caller's to check.
 */
export function expandRecurrence(input: RecurrenceInput): RecurrenceExpansion {
  const { interval, until, count } = checkInput(input);
  const { start, durationMinutes, timeZone, rule } = input;
  const durationMs = durationMinutes * MINUTE_MS;
  const local = toLocal(start, timeZone);
  // Zone offsets are whole minutes, so the sub-minute part of the start carries over unchanged.
  const subMinuteMs = ((start % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
  const wallMinutes = Math.floor(local.minutes);
  const first = parseLocalDate(local.date);

  const occurrences: Occurrence[] = [];
  const skipped: SkippedMonth[] = [];

  for (let period = 0; period < MAX_PERIODS; period++) {
    if (count !== null && occurrences.length === count) break;
    let date: string;
    if (rule.freq === 'weekly') {
      date = addDays(local.date, period * 7 * interval);
    } else {
      const monthIndex = first.month - 1 + period * interval;
      const year = first.year + Math.floor(monthIndex / 12);
      const month = (monthIndex % 12) + 1;
      if (first.day > daysInMonth(year, month)) {
        const label = formatLocalDate(year, month, 1).slice(0, 7);
        if (until !== null && `${label}-01` > until) break;
        skipped.push({ month: label, reason: `${label} has no day ${first.day}` });
        continue;
      }
      date = formatLocalDate(year, month, first.day);
    }
    if (until !== null && date > until) break;
    if (occurrences.length === MAX_RECURRENCE_OCCURRENCES) {
      throw new DomainInputError(
        'rule.until',
        `the series would have more than ${MAX_RECURRENCE_OCCURRENCES} occurrences; choose an earlier end date`,
      );
    }
    const occStart = period === 0 ? start : atLocalMinutes(date, wallMinutes, timeZone) + subMinuteMs;
    occurrences.push({
      index: occurrences.length,
      start: occStart,
      end: occStart + durationMs,
      local_date: date,
      local_time: formatLocalTime(Math.floor(toLocal(occStart, timeZone).minutes)),
    });
  }
  if (count !== null && occurrences.length < count) {
    throw new DomainInputError(
      'rule',
      `the series does not reach ${count} occurrences within ${MAX_PERIODS} periods`,
    );
  }
  return { occurrences, skipped };
}
