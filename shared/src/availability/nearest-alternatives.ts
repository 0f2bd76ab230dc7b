import { DomainInputError } from '../model/domain-input.error.js';
import type { Slot } from '../model/slot.model.js';
import { addDays } from '../time/local-date.js';
import { localDateOf } from '../time/zone.js';
import { findFreeStarts } from './availability.engine.js';
import type { AvailabilityInput } from './availability.types.js';

export interface AlternativesRequest extends AvailabilityInput {
  simulator_id: string;
  /** The requested (taken) start, epoch ms. */
  start: number;
  /** Minutes. */
  duration: number;
  /** At most this many of each kind (default 3, max 20). */
  limit?: number;
}

export interface Alternatives {
  /** Same bay, other start times, closest to the request first (earlier wins a tie). */
  same_bay: Slot[];
  /** Other bays at exactly the requested start, by bay number. */
  other_bays: Slot[];
}

/**
 * What to offer when a requested slot is taken (the body of a 409). Searches the business dates
 * around the request (the day before, for after-midnight slots, through the day after).
 */
export function nearestAlternatives(req: AlternativesRequest): Alternatives {
  const limit = req.limit ?? 3;
  if (!Number.isInteger(limit) || limit < 1 || limit > 20)
    throw new DomainInputError('limit', 'must be 1–20');
  if (!Number.isFinite(req.start)) throw new DomainInputError('start_time', 'must be an instant');
  if (!req.bays.some((b) => b.id === req.simulator_id)) {
    throw new DomainInputError('simulator_id', `unknown bay '${req.simulator_id}'`);
  }
  const date = addDays(localDateOf(req.start, req.facility.timezone), -1);
  // Only the slots offered are priced: a day of 16 bays has hundreds of free starts and a 409 keeps six.
  const found = findFreeStarts({ ...req, date, days: 3, duration: req.duration });

  const own = found.bays.find((b) => b.plan.bay.id === req.simulator_id);
  const same = (own?.starts ?? [])
    .filter((s) => s.start !== req.start)
    .sort((a, b) => Math.abs(a.start - req.start) - Math.abs(b.start - req.start) || a.start - b.start)
    .slice(0, limit)
    .map((s) => found.price(own!.plan, s));
  const byNumber = (n: number | null) => (n === null ? Number.MAX_SAFE_INTEGER : n);
  const others = found.bays
    .filter((b) => b.plan.bay.id !== req.simulator_id)
    .sort(
      (a, b) =>
        byNumber(a.plan.bay.bay_number) - byNumber(b.plan.bay.bay_number) ||
        a.plan.bay.name.localeCompare(b.plan.bay.name),
    )
    .flatMap((b) => b.starts.filter((s) => s.start === req.start).map((s) => ({ plan: b.plan, free: s })))
    .slice(0, limit)
    .map(({ plan, free }) => found.price(plan, free));
  return { same_bay: same, other_bays: others };
}
