import { addDays } from '../time/local-date.js';
import { parseLocalTime } from '../time/local-time.js';
import { atLocalMinutes, toLocal } from '../time/zone.js';

/** A facility's SMS quiet hours, local wall-clock times; `start` after `end` spans midnight. */
export interface QuietHours {
  start: string;
  end: string;
}

/**
 * The facility's quiet hours from `settings.sms_quiet_hours` (`{ start: '21:00', end: '08:00' }`),
 * or undefined when it has none (or equal start and end).
 */
export function quietHoursOf(settings: Record<string, unknown> | null | undefined): QuietHours | undefined {
  const value = settings?.sms_quiet_hours as Partial<QuietHours> | undefined;
  if (!value || quietHoursProblem(value) !== undefined) return undefined;
  return value.start === value.end ? undefined : (value as QuietHours);
}

/** Why `settings.sms_quiet_hours` cannot be stored, or undefined when it can (or is absent). */
export function quietHoursProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as Partial<QuietHours>;
  const problem = "settings.sms_quiet_hours must be { start: 'HH:MM', end: 'HH:MM' } (local times)";
  if (typeof v !== 'object' || typeof v.start !== 'string' || typeof v.end !== 'string') return problem;
  try {
    parseLocalTime(v.start);
    parseLocalTime(v.end);
  } catch {
    return problem;
  }
  return undefined;
}

/**
 * When the quiet hours around `now` end (epoch ms), or undefined when `now` is outside them. Local
 * wall-clock times in `zone`, so a window keeps its local hours across a DST change; an end time
 * that does not exist that night (spring forward) is the first instant after the gap.
 */
export function quietUntil(now: number, zone: string, quiet: QuietHours): number | undefined {
  const start = parseLocalTime(quiet.start);
  const end = parseLocalTime(quiet.end);
  if (start === end) return undefined;
  const local = toLocal(now, zone);
  const m = local.minutes;
  if (start < end) {
    return m >= start && m < end ? atLocalMinutes(local.date, end, zone) : undefined;
  }
  if (m >= start) return atLocalMinutes(addDays(local.date, 1), end, zone);
  if (m < end) return atLocalMinutes(local.date, end, zone);
  return undefined;
}
