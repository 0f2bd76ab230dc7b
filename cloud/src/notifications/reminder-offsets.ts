/** Reminders go 24 h and 2 h before the start unless the facility says otherwise. */
export const DEFAULT_REMINDER_MINUTES = [24 * 60, 2 * 60] as const;

/**
 * The facility's reminder offsets, minutes before the start, from `settings.reminder_minutes`
 * (an admin setting; `[]` turns reminders off). Anything else falls back to the default.
 */
export function reminderOffsets(settings: Record<string, unknown> | null | undefined): number[] {
  const value = settings?.reminder_minutes;
  if (!Array.isArray(value)) return [...DEFAULT_REMINDER_MINUTES];
  const minutes = value.filter((m): m is number => Number.isInteger(m) && m > 0 && m <= 14 * 24 * 60);
  return [...new Set(minutes)].sort((a, b) => b - a);
}

/** Why `settings.reminder_minutes` cannot be stored, or undefined when it can (or is absent). */
export function reminderMinutesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const ok =
    Array.isArray(value) &&
    value.length <= 5 &&
    value.every((m) => Number.isInteger(m) && (m as number) > 0 && (m as number) <= 14 * 24 * 60);
  return ok
    ? undefined
    : 'settings.reminder_minutes must be at most 5 whole minute counts from 1 to 20160 (14 days)';
}
