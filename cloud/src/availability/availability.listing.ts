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

interface Entry<T> {
  version: string;
  at: number;
  body: T;
}

/**
 * Serialized availability listings (UTF-8 bytes, so a hit is not even re-encoded), reused while
 * the facility's version (catalog, change-log head, live holds) is unchanged. The listing also
 * depends on the clock (minimum notice, maintenance ending), so after `ttlMs` it is computed
 * again (docs/performance.md, "Listing cache").
 */
export class ListingCache<T = Buffer> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Listings being computed, by key: concurrent misses of one version share one computation. */
  private readonly computing = new Map<string, { version: string; body: Promise<T> }>();

  constructor(
    private readonly ttlMs = 1_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
    private readonly staleMs = 4_000,
  ) {}

  get(key: string, version: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || this.now() - entry.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  /**
   * The cached listing, or the one `compute` makes.
   * - Requests that miss the same key and version while it runs wait for that one computation.
   * - Past `ttlMs` with its version unchanged (only the clock moved), a listing is still served for
   *   up to `staleMs` while ONE refresh runs behind it: at most `ttlMs + staleMs` old, and the
   *   booking check stays the authority on a slot.
   * - A failed computation is each waiter's error and is not kept: the next request tries afresh.
   */
  getOrCompute(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry?.version === version) {
      const age = this.now() - entry.at;
      if (age < this.ttlMs) return Promise.resolve(entry.body);
      if (age < this.ttlMs + this.staleMs) {
        const running = this.computing.get(key);
        if (running?.version !== version) this.startComputing(key, version, compute);
        return Promise.resolve(entry.body);
      }
    }
    const running = this.computing.get(key);
    if (running?.version === version) return running.body;
    return this.startComputing(key, version, compute);
  }

  private startComputing(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const flight = { version, body: Promise.resolve().then(compute) };
    this.computing.set(key, flight);
    flight.body.then(
      (body) => {
        // Kept only if no newer version started computing meanwhile (it will be cached instead).
        if (this.computing.get(key) !== flight) return;
        this.computing.delete(key);
        this.set(key, version, body);
      },
      () => {
        if (this.computing.get(key) === flight) this.computing.delete(key);
      },
    );
    return flight.body;
  }

  set(key: string, version: string, body: T): void {
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
