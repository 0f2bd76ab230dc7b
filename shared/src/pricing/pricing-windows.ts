import type { PricingRule } from '../model/pricing-rule.model.js';
import { facilityDay, localWindow } from '../time/facility-day.js';
import { type Interval, mergeIntervals } from '../time/interval.js';
import { addDays, dayNumber, dayOfWeek } from '../time/local-date.js';
import { parseLocalTime } from '../time/local-time.js';
import { localDateOf } from '../time/zone.js';
import type { RuleWindows } from './pricing.types.js';

/**
 * The real intervals inside `[from, to)` where a rule's day/time condition holds, evaluated in the
 * facility zone. `days_of_week` names the local day the window STARTS on, so "Fri 22:00–02:00"
 * covers Saturday 00:00–02:00 too. Returns null when the rule has no day/time condition.
 * Computed once per request so pricing a slot is interval arithmetic, with no zone lookups.
 */
export function pricingRuleWindows(
  rule: PricingRule,
  zone: string,
  from: number,
  to: number,
  // The local dates of `from` and `to`; a pricer passes them so N rules cost 2 zone lookups, not 2N.
  fromDate: string = localDateOf(from, zone),
  toDate: string = localDateOf(to, zone),
): RuleWindows {
  const c = rule.conditions;
  if (c.days_of_week === undefined && c.start_time === undefined) return null;
  const startMin = c.start_time === undefined ? null : parseLocalTime(c.start_time);
  const endMin = c.end_time === undefined ? null : parseLocalTime(c.end_time);
  const days = c.days_of_week === undefined ? null : new Set(c.days_of_week);
  // Start one day early: yesterday's window may run past midnight into the range.
  const first = addDays(fromDate, -1);
  const count = dayNumber(toDate) - dayNumber(first) + 1;
  const out: Interval[] = [];
  for (let i = 0; i < count; i++) {
    const date = addDays(first, i);
    if (days !== null && !days.has(dayOfWeek(date))) continue;
    const w =
      startMin === null || endMin === null
        ? facilityDay(date, zone)
        : localWindow(date, startMin, endMin, zone);
    const s = Math.max(w.start, from);
    const e = Math.min(w.end, to);
    if (e > s) out.push({ start: s, end: e });
  }
  return mergeIntervals(out);
}
