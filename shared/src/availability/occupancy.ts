import { type Interval, mergeIntervals, overlapMs } from '../time/interval.js';
import type { BayPlan } from './bay-plan.js';

/**
 * Occupancy of each business date: booked (or held) bay-minutes inside the opening windows of that
 * date, divided by the open bay-minutes of that date, over the bays that can be sold. Feeds
 * `demand_based` pricing rules when the caller gives no occupancy of its own.
 */
export function occupancyByDate(plans: readonly BayPlan[], dates: readonly string[]): Record<string, number> {
  const open = new Map<string, number>();
  const busy = new Map<string, number>();
  for (const d of dates) {
    open.set(d, 0);
    busy.set(d, 0);
  }
  for (const plan of plans) {
    if (plan.blockedUntil === Number.POSITIVE_INFINITY) continue;
    const byDate = new Map<string, Interval[]>();
    for (const g of plan.grids) {
      const list = byDate.get(g.businessDate);
      if (list === undefined) byDate.set(g.businessDate, [{ start: g.start, end: g.end }]);
      else list.push({ start: g.start, end: g.end });
    }
    for (const [date, windows] of byDate) {
      for (const w of mergeIntervals(windows)) {
        open.set(date, (open.get(date) ?? 0) + (w.end - w.start));
        let taken = 0;
        for (const b of plan.busy) {
          if (b.start >= w.end) break;
          taken += overlapMs(b, w);
        }
        busy.set(date, (busy.get(date) ?? 0) + taken);
      }
    }
  }
  const out: Record<string, number> = {};
  for (const d of dates) {
    const o = open.get(d) ?? 0;
    out[d] = o === 0 ? 0 : (busy.get(d) ?? 0) / o;
  }
  return out;
}
