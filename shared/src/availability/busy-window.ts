import type { AvailabilityRule } from '../model/availability-rule.model.js';
import { MINUTE_MS } from '../time/interval.js';
import { addDays } from '../time/local-date.js';
import { atLocalMinutes } from '../time/zone.js';

/**
 * The span whose bookings and holds can change a listing of `days` business dates from `date`, any
 * slot length (docs/performance.md, "Listing busy window"). A slot of date D lies in an opening
 * window of D, which ends on D + 1 at the latest, so every slot (and occupancy count) lies in [local
 * midnight of `date`, local midnight of `date + days + 1`), real midnights on 23- or 25-hour days.
 * Busy time comes without its buffer, which the engine keeps clear on both sides: the span widens
 * by the largest buffer.
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
