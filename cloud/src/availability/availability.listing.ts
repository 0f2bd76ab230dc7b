import type { AvailabilityQueryParams, AvailabilityResponse } from '@clubos/shared/api';
import type { AvailabilityInput } from '@clubos/shared/availability';
import { findAvailability } from '@clubos/shared/availability';
import { centsToDollars, type PricingCustomer } from '@clubos/shared/pricing';
import { pricingKey } from './pricing-customer.js';
import { formatInZone, iso } from './time-format.js';

/** The seed's availability response for `query`, computed by the engine on `input`. */
export function renderListing(
  query: AvailabilityQueryParams,
  facilityId: string,
  input: AvailabilityInput,
): AvailabilityResponse {
  const days = query.days ?? 1;
  const result = findAvailability({
    ...input,
    date: query.date,
    days,
    duration: query.duration,
    ...(query.simulator_id ? { simulatorIds: [query.simulator_id] } : {}),
  });
  const zone = query.timezone;
  return {
    facility_id: facilityId,
    timezone: result.timezone,
    date: result.date,
    days: result.days,
    duration: result.duration_minutes,
    occupancy: result.occupancy,
    simulators: result.bays.map((bay) => ({
      simulator_id: bay.simulator_id,
      name: bay.name,
      bay_number: bay.bay_number,
      unavailable_reason: bay.unavailable_reason,
      slots: bay.slots.map((slot) => ({
        start_time: iso(slot.start),
        end_time: iso(slot.end),
        duration: slot.duration_minutes,
        price: centsToDollars(slot.price_cents),
        price_cents: slot.price_cents,
        ...(zone
          ? { start_local: formatInZone(slot.start, zone), end_local: formatInZone(slot.end, zone) }
          : {}),
      })),
    })),
  };
}

/**
 * Everything a listing depends on besides the clock and the facility's version: the query and
 * whose prices it shows (a member's listing must never be served to a guest, nor the reverse).
 */
export function listingKey(
  facilityId: string,
  query: AvailabilityQueryParams,
  customer: PricingCustomer | null,
): string {
  return [
    facilityId,
    query.simulator_id ?? '',
    query.date,
    query.days ?? 1,
    query.duration,
    query.timezone ?? '',
    pricingKey(customer),
  ].join('|');
}

interface Entry {
  version: string;
  at: number;
  body: Buffer;
}

/**
 * Serialized availability listings (UTF-8 bytes, so a hit is not even re-encoded), reused while the facility's version (catalog, change-log
 * head, live holds) is unchanged and for at most `ttlMs`: the listing also depends on the clock
 * (minimum notice, holds expiring, maintenance ending), so a reused answer is never older than
 * that. A hot facility page then costs one small version read instead of the engine run and the
 * serialization of every slot of every bay.
 */
export class ListingCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 1_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, version: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || this.now() - entry.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  set(key: string, version: string, body: Buffer): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Oldest first (Map keeps insertion order): a bounded, roughly least-recently-written cache.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { version, at: this.now(), body });
  }

  get size(): number {
    return this.entries.size;
  }
}
