import type { AvailabilityInput } from '@clubos/shared/availability';
import { DomainError } from '@clubos/shared/errors';
import type { BusyInterval } from '@clubos/shared/model';
import { DAY_MS } from '@clubos/shared/time';
import { activeBetween } from '../bookings/booking.repository.js';
import type { Drizzle } from '../db/database.js';
import {
  readAvailabilityRules,
  readBays,
  readClosures,
  readFacility,
  readPricingRules,
} from './replica-read.repository.js';

/**
 * The shared engine's input, loaded from the replica for `[from, to)` (padded by two days: the engine
 * looks at the business date before a start, for windows past midnight). Always the walk-in channel:
 * the edge is the one channel allowed to sell inside `min_advance`
 * (docs/decisions/006-who-sells-which-time.md).
 */
export function loadAvailabilityInput(db: Drizzle, now: number, from: number, to: number): AvailabilityInput {
  const facility = readFacility(db);
  if (facility === null)
    throw new DomainError('NOT_READY', 'the edge has not loaded its facility from the cloud yet');
  const padFrom = from - 2 * DAY_MS;
  const padTo = to + 2 * DAY_MS;
  const busy: BusyInterval[] = activeBetween(db, padFrom, padTo).map((b) => ({
    id: b.id,
    simulator_id: b.simulator_id,
    kind: 'booking',
    start: b.start_time,
    end: b.end_time,
  }));
  return {
    facility,
    bays: readBays(db),
    rules: readAvailabilityRules(db),
    closures: readClosures(db, padFrom, padTo),
    busy,
    pricingRules: readPricingRules(db),
    now,
    channel: 'walk_in',
  };
}
