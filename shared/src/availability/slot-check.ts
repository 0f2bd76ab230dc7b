import { HOUR_MS, hitsAny, insideAny, MINUTE_MS } from '../time/interval.js';
import { addDays } from '../time/local-date.js';
import { atLocalMinutes, toLocal } from '../time/zone.js';
import type { SalesChannel, SlotRejection } from './availability.types.js';
import type { BayPlan } from './bay-plan.js';
import type { GridWindow } from './opening-windows.js';

/** Request-wide facts the checks need: the clock and the channel. */
export interface CheckContext {
  zone: string;
  now: number;
  channel: SalesChannel;
  /** now + N calendar days (facility zone) for each max_advance_days seen, memoised per request. */
  maxStart(days: number): number;
}

export function createCheckContext(zone: string, now: number, channel: SalesChannel): CheckContext {
  const cache = new Map<number, number>();
  let nowLocal: ReturnType<typeof toLocal> | null = null;
  return {
    zone,
    now,
    channel,
    maxStart(days) {
      let v = cache.get(days);
      if (v === undefined) {
        // Same local wall time N calendar days later: across a DST change that is N×24 h ± 1 h.
        nowLocal ??= toLocal(now, zone);
        const whole = Math.floor(nowLocal.minutes);
        const rest = now - Math.floor(now / MINUTE_MS) * MINUTE_MS;
        v = days === 0 ? now : atLocalMinutes(addDays(nowLocal.date, days), whole, zone) + rest;
        cache.set(days, v);
      }
      return v;
    },
  };
}

/** Earliest start the channel may sell under a rule: walk-ins from now, online after the notice period. */
export function earliestStart(w: GridWindow, ctx: CheckContext): number {
  return ctx.channel === 'walk_in' ? ctx.now : ctx.now + w.rule.min_advance_hours * HOUR_MS;
}

/**
 * Why `[start, end)` cannot be sold under window `w` of `plan`, or null when it can. The order is
 * the order staff would explain it in: the bay itself, opening hours, notice, closures, bookings.
 * The grid alignment is checked by the caller (slot generation is on-grid by construction).
 */
export function rejectAt(
  plan: BayPlan,
  w: GridWindow,
  start: number,
  end: number,
  ctx: CheckContext,
): SlotRejection | null {
  if (start < plan.blockedUntil) return plan.bay.status === 'inactive' ? 'bay_inactive' : 'bay_maintenance';
  if (!insideAny(plan.open, start, end)) return 'outside_opening_hours';
  if (start < earliestStart(w, ctx)) return 'too_soon';
  if (start > ctx.maxStart(w.rule.max_advance_days)) return 'too_far_ahead';
  if (hitsAny(plan.closed, start, end)) return 'closed';
  const buffer = w.rule.buffer_time * MINUTE_MS;
  // Widening the slot by the buffer on both sides is the same test as widening every booking.
  if (hitsAny(plan.busy, start - buffer, end + buffer)) return 'conflict';
  return null;
}

/** The window whose rule governs a start instant: on-grid windows first, then any containing one. */
export function governingWindow(
  plan: BayPlan,
  start: number,
): { window: GridWindow; onGrid: boolean } | null {
  let containing: GridWindow | null = null;
  for (const w of plan.grids) {
    if (start < w.start || start >= w.end) continue;
    if ((start - w.start) % (w.rule.slot_duration * MINUTE_MS) === 0) return { window: w, onGrid: true };
    containing ??= w;
  }
  return containing === null ? null : { window: containing, onGrid: false };
}
