import { DomainInputError } from '../model/domain-input.error.js';

/**
 * Calendar dates as 'YYYY-MM-DD' strings. The arithmetic is pure calendar math (proleptic
 * Gregorian via Date.UTC) and never touches a time zone, so it cannot be skewed by DST.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/**
 * Valid dates already parsed, by text. The engine parses the same few dates thousands of times per
 * listing; bounded so a long-running server cannot grow it without limit. Parts are frozen because
 * they are shared.
 */
const parsedDates = new Map<string, Readonly<DateParts>>();
const dayNumbers = new Map<string, number>();
const dayNames = new Map<number, string>();
const MEMO_LIMIT = 4096;

function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

export function parseLocalDate(value: string, field = 'date'): DateParts {
  const known = parsedDates.get(value);
  if (known !== undefined) return known;
  const m = DATE_RE.exec(value);
  if (m === null) throw new DomainInputError(field, `expected 'YYYY-MM-DD', got '${value}'`);
  const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const probe = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (
    probe.getUTCFullYear() !== parts.year ||
    probe.getUTCMonth() !== parts.month - 1 ||
    probe.getUTCDate() !== parts.day
  ) {
    throw new DomainInputError(field, `'${value}' is not a calendar date`);
  }
  return remember(parsedDates, value, Object.freeze(parts));
}

function formatParts(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 for a calendar date (used as a zone-free day number). */
export function dayNumber(date: string): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const p = parseLocalDate(date);
  return remember(dayNumbers, date, Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

export function dateFromDayNumber(n: number): string {
  const known = dayNames.get(n);
  if (known !== undefined) return known;
  const d = new Date(n * 86_400_000);
  return remember(dayNames, n, formatParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
}

export function addDays(date: string, days: number): string {
  return dateFromDayNumber(dayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday, as in `availability_rules.day_of_week`. */
export function dayOfWeek(date: string): number {
  // 1970-01-01 was a Thursday (4).
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export function dayName(dow: number): string {
  return DAY_NAMES[dow] ?? `day ${dow}`;
}

export { formatParts as formatLocalDate };
