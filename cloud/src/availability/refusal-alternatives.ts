import { type AvailabilityInput, nearestAlternatives, type SalesChannel } from '@clubos/shared/availability';
import type { Slot } from '@clubos/shared/model';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { DAY_MS, MINUTE_MS } from '@clubos/shared/time';
import { ListingCache } from './availability.listing.js';
import type { CatalogCache } from './catalog.cache.js';
import { pricingKey } from './pricing-customer.js';
import { iso } from './time-format.js';

export interface SlotAlternative {
  simulator_id: string;
  start_time: string;
  end_time: string;
  price_cents: number;
}

export interface RefusedSlot {
  facilityId: string;
  simulatorId: string;
  start: number;
  duration: number;
}

type LoadInput = (
  facilityId: string,
  from: number,
  to: number,
  options: { channel: SalesChannel; customer: PricingCustomer | null },
) => Promise<AvailabilityInput>;

/** Nearest free slots for a 409: same bay at other times, then other bays at the same time. */
export function alternativesIn(
  input: AvailabilityInput,
  simulatorId: string,
  start: number,
  duration: number,
): SlotAlternative[] {
  try {
    const found = nearestAlternatives({ ...input, simulator_id: simulatorId, start, duration, limit: 3 });
    const toAlt = (s: Slot): SlotAlternative => ({
      simulator_id: s.simulator_id,
      start_time: iso(s.start),
      end_time: iso(s.end),
      price_cents: s.price_cents,
    });
    return [...found.same_bay.map(toAlt), ...found.other_bays.map(toAlt)];
  } catch {
    // Alternatives are a courtesy: a failure to compute them must not hide the 409 itself.
    return [];
  }
}

/**
 * The alternatives a refusal offers, computed on the facility's full current schedule (three
 * business dates of every bay) and priced for `customer`, like the refused request. Kept like
 * listings (`ListingCache`) per slot, sales channel and pricing identity while the facility's
 * version (catalog contents, change-log head, live holds) is unchanged, so a rush of 409s on a
 * released slot costs one version read each (docs/performance.md, "Refusal alternatives").
 */
export class RefusalAlternatives {
  private readonly cache = new ListingCache<SlotAlternative[]>();

  constructor(
    private readonly catalogs: CatalogCache,
    private readonly loadInput: LoadInput,
  ) {}

  async find(
    refused: RefusedSlot,
    customer: PricingCustomer | null,
    channel: SalesChannel,
  ): Promise<SlotAlternative[]> {
    const { facilityId, simulatorId, start, duration } = refused;
    const end = start + duration * MINUTE_MS;
    const current = await this.catalogs.versioned(
      facilityId,
      new Date(start - 2 * DAY_MS),
      new Date(end + 2 * DAY_MS),
    );
    if (!current) return [];
    const key = [facilityId, simulatorId, start, duration, channel, pricingKey(customer)].join('|');
    return this.cache.getOrCompute(key, current.version, async () =>
      alternativesIn(
        await this.loadInput(facilityId, start, end, { channel, customer }),
        simulatorId,
        start,
        duration,
      ),
    );
  }
}
