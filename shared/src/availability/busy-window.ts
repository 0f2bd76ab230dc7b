import type { AvailabilityRule } from '../model/availability-rule.model.js';
import { MINUTE_MS } from '../time/interval.js';
import { addDays } from '../time/local-date.js';
import { atLocalMinutes } from '../time/zone.js';

/**
 * The span of time whose bookings and holds can change a listing of `days` business dates from
 * `date` (whatever the slot length): a reader needs only the busy intervals overlapping it.
 *
 * A slot of business date D lies inside an opening window of D, which starts on D and, when it
 * runs overnight, ends on D + 1 (never later). So every slot of the listing lies in
 * [start of `date`, start of `date + days + 1`), in local time. A booking is busy
 * time without its buffer and the engine keeps the bay's buffer clear on both sides, so the span
 * widens by the largest buffer of the rules. Occupancy (demand pricing) is counted inside the
 * same windows. DST days are 23 or 25 hours: the ends are real local midnights.
 */
export function listingBusyWindow(options: {
  date: string;
  days: number;
  zone: string;
  rules: readonly Pick<AvailabilityRule, 'buffer_time'>[];
}): { start: number; end: number } {
  let buffer = 0;
  for (const rule of options.rules) if (rule.buffer_time > buffer) buffer = rule.buffer_time;
  const reach = buffer * MINUTE_MS;
  return {
    start: atLocalMinutes(options.date, 0, options.zone) - reach,
    end: atLocalMinutes(addDays(options.date, options.days + 1), 0, options.zone) + reach,
  };
}
