import { DomainInputError } from '../model/domain-input.error.js';

const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Minutes after local midnight for 'HH:MM' (or PostgreSQL's 'HH:MM:SS'; seconds must be 0 because
 * the grid is in whole minutes). '24:00' is accepted (= 1440) so a window can end at midnight.
 */
/** Valid times already parsed, by text (rules repeat a handful of times on every listing). */
const parsedTimes = new Map<string, number>();

export function parseLocalTime(value: string, field = 'time'): number {
  const known = parsedTimes.get(value);
  if (known !== undefined) return known;
  const m = TIME_RE.exec(value);
  if (m === null) throw new DomainInputError(field, `expected 'HH:MM', got '${value}'`);
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = m[3] === undefined ? 0 : Number(m[3]);
  if (minutes > 59 || seconds !== 0 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new DomainInputError(field, `'${value}' is not a valid time of day`);
  }
  if (parsedTimes.size >= 4096) parsedTimes.clear();
  parsedTimes.set(value, hours * 60 + minutes);
  return hours * 60 + minutes;
}

/** 'HH:MM' for minutes after midnight (1440 → '24:00'). */
export function formatLocalTime(minutesOfDay: number): string {
  const h = Math.floor(minutesOfDay / 60);
  const m = minutesOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
