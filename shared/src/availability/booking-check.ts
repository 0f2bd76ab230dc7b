import { DomainInputError } from '../model/domain-input.error.js';
import type { Quote } from '../model/quote.model.js';
import { createPricer } from '../pricing/pricing.engine.js';
import { type Interval, MINUTE_MS, overlaps } from '../time/interval.js';
import { addDays } from '../time/local-date.js';
import { formatLocalTime } from '../time/local-time.js';
import { localDateOf, toLocal } from '../time/zone.js';
import type { AvailabilityInput, SlotRejection } from './availability.types.js';
import { validateAvailabilityInput, validateQueryShape } from './availability-input.validate.js';
import { type BayPlan, prepareBayPlans } from './bay-plan.js';
import { occupancyByDate } from './occupancy.js';
import { createCheckContext, governingWindow, rejectAt } from './slot-check.js';

export interface BookingCheckRequest extends AvailabilityInput {
  simulator_id: string;
  start: number;
  /** Minutes. */
  duration: number;
  /** Online bookings must start on the rule's grid; the edge may sell a walk-in off-grid. Default true. */
  requireGrid?: boolean;
}

export type BookingCheck =
  | { ok: true; business_date: string; quote: Quote }
  | { ok: false; reason: SlotRejection; message: string };

/**
 * Whether one requested booking may be sold, with the same rules as `findAvailability`, and its
 * quote when it may. The message names the constraint ("Bay 3 is in maintenance until …"), so a
 * service can answer 409/422 with it. The database constraint still has the last word on races.
 */
export function checkBookingRequest(req: BookingCheckRequest): BookingCheck {
  validateAvailabilityInput(req);
  validateQueryShape('', 1, req.duration);
  if (!Number.isFinite(req.start)) throw new DomainInputError('start_time', 'must be an instant');
  const bay = req.bays.find((b) => b.id === req.simulator_id);
  if (bay === undefined) throw new DomainInputError('simulator_id', `unknown bay '${req.simulator_id}'`);
  const zone = req.facility.timezone;
  const end = req.start + req.duration * MINUTE_MS;
  // The start may belong to yesterday's business date (a 01:00 slot of a 10:00–02:00 rule).
  const firstDate = addDays(localDateOf(req.start, zone), -1);
  const [plan] = prepareBayPlans(req, [bay], firstDate, 2) as [BayPlan];
  const ctx = createCheckContext(zone, req.now, req.channel ?? 'online');
  const label = bay.bay_number === null ? bay.name : `Bay ${bay.bay_number}`;
  const span = describeSpan(req.start, end, zone);

  if (req.start < plan.blockedUntil) {
    return fail(
      bay.status === 'inactive' ? 'bay_inactive' : 'bay_maintenance',
      plan.statusReason ?? `${label} is unavailable`,
    );
  }
  const governing = governingWindow(plan, req.start);
  if (governing === null) return fail('outside_opening_hours', `${label} is not open at ${span}`);
  const w = governing.window;
  if ((req.requireGrid ?? true) && !governing.onGrid) {
    const from = formatLocalTime(Math.floor(toLocal(w.start, zone).minutes));
    return fail('off_grid', `${label} takes bookings every ${w.rule.slot_duration} min from ${from}`);
  }
  const rejection = rejectAt(plan, w, req.start, end, ctx);
  if (rejection !== null) return fail(rejection, message(rejection, req, plan, label, span, w.rule));

  const occupancy = occupancyByDate(prepareBayPlans(req, req.bays, w.businessDate, 1), [w.businessDate]);
  const pricer = createPricer({
    facility: req.facility,
    rules: req.pricingRules ?? [],
    range: { start: req.start, end },
    ...(req.pricing === undefined ? {} : { context: req.pricing }),
  });
  const occ = req.pricing?.occupancy === undefined ? (occupancy[w.businessDate] ?? 0) : undefined;
  return { ok: true, business_date: w.businessDate, quote: pricer.quote(bay, req.start, end, occ) };
}

function fail(reason: SlotRejection, message: string): BookingCheck {
  return { ok: false, reason, message };
}

function describeSpan(start: number, end: number, zone: string): string {
  const s = toLocal(start, zone);
  const e = toLocal(end, zone);
  return `${s.date} ${formatLocalTime(Math.floor(s.minutes))}–${formatLocalTime(Math.floor(e.minutes))}`;
}

function message(
  reason: SlotRejection,
  req: BookingCheckRequest,
  plan: BayPlan,
  label: string,
  span: string,
  rule: { min_advance_hours: number; max_advance_days: number; buffer_time: number },
): string {
  switch (reason) {
    case 'outside_opening_hours':
      return `${label} is not open for the whole of ${span}`;
    case 'too_soon':
      return req.channel === 'walk_in'
        ? `${span} has already started`
        : `online bookings need ${rule.min_advance_hours} h notice; ${span} can be booked at the venue`;
    case 'too_far_ahead':
      return `bookings open ${rule.max_advance_days} days ahead; ${span} is further out`;
    case 'closed': {
      const slot: Interval = { start: req.start, end: req.start + req.duration * MINUTE_MS };
      const c = (req.closures ?? []).find(
        (x) => (x.simulator_id === null || x.simulator_id === plan.bay.id) && overlaps(x, slot),
      );
      return `${label} is closed during ${span}${c?.reason ? `: ${c.reason}` : ''}`;
    }
    case 'conflict':
      return rule.buffer_time > 0
        ? `${label} is already booked near ${span} (${rule.buffer_time} min buffer between bookings)`
        : `${label} is already booked during ${span}`;
    default:
      return `${label} cannot be booked for ${span}`;
  }
}
