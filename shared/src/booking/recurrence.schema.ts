import { type Static, Type } from '@sinclair/typebox';

/** Longest series one request may create; a longer plan is a new series, not a bigger one. */
export const MAX_RECURRENCE_OCCURRENCES = 52;

export const RECURRENCE_FREQUENCIES = ['weekly', 'monthly'] as const;
export type RecurrenceFrequency = (typeof RECURRENCE_FREQUENCIES)[number];

/**
 * The seed's `bookings.recurrence_rule` JSON. Exactly one of `count` and `until` ends the series
 * (an endless series would block bays forever); `until` is a facility-local date, inclusive.
 */
export const RecurrenceRuleSchema = Type.Object({
  freq: Type.Union(RECURRENCE_FREQUENCIES.map((f) => Type.Literal(f))),
  /** Every `interval` weeks or months; 1 when absent. */
  interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 52 })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECURRENCE_OCCURRENCES })),
  until: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', title: 'local date YYYY-MM-DD' })),
});
export type RecurrenceRule = Static<typeof RecurrenceRuleSchema>;

export interface Occurrence {
  /** 0 for the booking's own start, then 1, 2… in time order (skipped months take no index). */
  index: number;
  start: number;
  end: number;
  /** Facility-local date and wall-clock start ('YYYY-MM-DD', 'HH:MM') of this occurrence. */
  local_date: string;
  local_time: string;
}

/** A month without the start's day of month (e.g. no 31st): no occurrence there. */
export interface SkippedMonth {
  month: string;
  reason: string;
}

export interface RecurrenceExpansion {
  occurrences: Occurrence[];
  skipped: SkippedMonth[];
}
