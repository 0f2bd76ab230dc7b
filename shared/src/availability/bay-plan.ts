import type { AvailabilityRule } from '../model/availability-rule.model.js';
import type { Bay } from '../model/bay.model.js';
import { type Interval, mergeIntervals } from '../time/interval.js';
import { addDays } from '../time/local-date.js';
import { atLocalMinutes, toLocal } from '../time/zone.js';
import type { AvailabilityInput } from './availability.types.js';
import { type OpeningWindows, openingWindows, type WindowMemo } from './opening-windows.js';

/** Everything about one bay for one request, prepared once so that testing a slot is a few lookups. */
export interface BayPlan extends OpeningWindows {
  bay: Bay;
  /** Bookings and holds merged into a sorted disjoint list (no buffer: the slot is widened instead). */
  busy: Interval[];
  /** Facility-wide and bay closures, merged. */
  closed: Interval[];
  /** Nothing may start before this instant (maintenance until T; +Infinity when out of service). */
  blockedUntil: number;
  /** Status text for staff and customers, e.g. "Bay 3 is in maintenance until 2025-08-03 18:00". */
  statusReason: string | null;
}

export function prepareBayPlans(
  input: AvailabilityInput,
  bays: readonly Bay[],
  firstDate: string,
  days: number,
): BayPlan[] {
  const zone = input.facility.timezone;
  const ids = new Set(bays.map((b) => b.id));
  const ignore = input.ignoreBusyIds === undefined ? null : new Set(input.ignoreBusyIds);

  // Only rows that can touch this request's slots matter: windows start on firstDate−1 at the
  // earliest and end by firstDate+days+1, and a buffer is at most one day (validated). Callers may
  // pass a wider schedule; skipping the rest keeps a one-day query from sorting a month of bookings.
  const reachStart = atLocalMinutes(addDays(firstDate, -2), 0, zone);
  const reachEnd = atLocalMinutes(addDays(firstDate, days + 3), 0, zone);

  const rulesByBay = new Map<string, AvailabilityRule[]>();
  for (const r of input.rules) {
    if (!ids.has(r.simulator_id)) continue;
    const list = rulesByBay.get(r.simulator_id);
    if (list === undefined) rulesByBay.set(r.simulator_id, [r]);
    else list.push(r);
  }
  const busyByBay = new Map<string, Interval[]>();
  for (const b of input.busy ?? []) {
    if (b.end <= reachStart || b.start >= reachEnd) continue;
    if (!ids.has(b.simulator_id) || ignore?.has(b.id) === true) continue;
    const list = busyByBay.get(b.simulator_id);
    const iv = { start: b.start, end: b.end };
    if (list === undefined) busyByBay.set(b.simulator_id, [iv]);
    else list.push(iv);
  }
  const facilityClosed: Interval[] = [];
  const closedByBay = new Map<string, Interval[]>();
  for (const c of input.closures ?? []) {
    if (c.end <= reachStart || c.start >= reachEnd) continue;
    const iv = { start: c.start, end: c.end };
    if (c.simulator_id === null) facilityClosed.push(iv);
    else if (ids.has(c.simulator_id)) {
      const list = closedByBay.get(c.simulator_id);
      if (list === undefined) closedByBay.set(c.simulator_id, [iv]);
      else list.push(iv);
    }
  }
  const facilityMerged = mergeIntervals(facilityClosed);
  const memo: WindowMemo = new Map();

  return bays.map((bay) => {
    const windows = openingWindows(rulesByBay.get(bay.id) ?? [], firstDate, days, zone, memo);
    const ownClosed = closedByBay.get(bay.id);
    const { blockedUntil, statusReason } = bayStatus(bay, zone, input.now);
    return {
      bay,
      ...windows,
      busy: mergeIntervals(busyByBay.get(bay.id) ?? []),
      closed: ownClosed === undefined ? facilityMerged : mergeIntervals([...facilityClosed, ...ownClosed]),
      blockedUntil,
      statusReason,
    };
  });
}

function bayStatus(
  bay: Bay,
  zone: string,
  now: number,
): { blockedUntil: number; statusReason: string | null } {
  const label = bay.bay_number === null ? bay.name : `Bay ${bay.bay_number}`;
  if (bay.status === 'inactive')
    return { blockedUntil: Number.POSITIVE_INFINITY, statusReason: `${label} is inactive` };
  if (bay.status === 'maintenance') {
    if (bay.maintenance_until === null) {
      return { blockedUntil: Number.POSITIVE_INFINITY, statusReason: `${label} is in maintenance` };
    }
    // A maintenance end already past blocks nothing worth mentioning.
    if (bay.maintenance_until <= now) return { blockedUntil: bay.maintenance_until, statusReason: null };
    const local = toLocal(bay.maintenance_until, zone);
    const hh = String(Math.floor(local.minutes / 60)).padStart(2, '0');
    const mm = String(Math.floor(local.minutes % 60)).padStart(2, '0');
    return {
      blockedUntil: bay.maintenance_until,
      statusReason: `${label} is in maintenance until ${local.date} ${hh}:${mm}`,
    };
  }
  return { blockedUntil: Number.NEGATIVE_INFINITY, statusReason: null };
}
