import type { AvailabilityQueryParams, QuoteQueryParams, QuoteResponse } from '@clubos/shared/api';
import {
  type AvailabilityInput,
  type BookingCheck,
  checkBookingRequest,
  listingBusyWindow,
  type SalesChannel,
} from '@clubos/shared/availability';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import type { Bay, Closure, PricingRule } from '@clubos/shared/model';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { assertValidZone, DAY_MS, MINUTE_MS, parseInstant } from '@clubos/shared/time';
import type { Principal } from '../auth/index.js';
import { pricingCustomerOf } from '../customers/customer-membership.js';
import type { Database, Executor } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { ListingCache, listingKey, renderListing } from './availability.listing.js';
import { BayReads } from './bay-reads.js';
import { bufferReachMs, CatalogCache, type FacilityCatalog } from './catalog.cache.js';
import type { CatalogRepository } from './catalog.repository.js';
import type { GuestDetails, GuestUpsert } from './guest-upsert.js';
import { type PricedCustomer, pricedCustomer, pricesByCustomer, withCustomer } from './pricing-customer.js';
import { quoteUnavailable, toQuoteResponse } from './quote-response.js';
import {
  alternativesIn,
  RefusalAlternatives,
  type RefusedSlot,
  type SlotAlternative,
} from './refusal-alternatives.js';

export type { SlotAlternative } from './refusal-alternatives.js';

type CheckOptions = {
  ignoreBusyIds?: string[];
  channel?: SalesChannel;
  tx?: Executor;
  /** Who is booking, for `member` pricing rules; absent = the public price. */
  customer?: PricingCustomer | null;
  /**
   * A guest checkout's customer upsert, for the check to do in the statement of its read (see
   * `guestUpsertCte`). Done at most once, and only on the usual path: `CheckResult.guest` says
   * whether (and what it answered); when absent, the caller upserts the guest itself.
   */
  guest?: GuestDetails;
};

export interface CheckResult {
  facilityId: string;
  bay: Bay & { unifi_door_id: string | null };
  input: AvailabilityInput;
  check: BookingCheck;
  /** The guest's customer record, when the check upserted it (`CheckOptions.guest`). */
  guest?: GuestUpsert;
}

/** A check's guest upsert: done at most once, even when the check is retried. */
type GuestState = { details: GuestDetails; done?: GuestUpsert };

/**
 * Loads what the pure availability engine needs (facility, bays, rules, closures, busy time) and
 * answers availability, quotes, booking checks and alternatives. No rules of its own: the engine
 * in @clubos/shared/availability decides; the database constraint has the last word on races.
 */
export class AvailabilityService {
  readonly catalogs: CatalogCache;
  private readonly listings = new ListingCache();
  private readonly bayReads: BayReads;
  private readonly refusals: RefusalAlternatives;

  constructor(
    private readonly facilities: FacilityRepository,
    private readonly db: Database,
    catalogRepository: CatalogRepository,
  ) {
    this.catalogs = new CatalogCache(catalogRepository);
    this.bayReads = new BayReads(this.catalogs.repo);
    this.refusals = new RefusalAlternatives(this.catalogs, (facilityId, from, to, options) =>
      this.loadInput(facilityId, from, to, options),
    );
  }

  /** Everything for one facility around `[from, to)`: generous margins cover any zone offset. */
  async loadInput(
    facilityId: string,
    from: number,
    to: number,
    options: {
      now?: number;
      channel?: SalesChannel;
      ignoreBusyIds?: string[];
      tx?: Executor;
      customer?: PricingCustomer | null;
      /** Exactly the span whose busy time is read (`listingBusyWindow`); else two days around. */
      busyWindow?: { start: number; end: number };
    } = {},
  ): Promise<AvailabilityInput> {
    const lo = new Date(options.busyWindow?.start ?? from - 2 * DAY_MS);
    const hi = new Date(options.busyWindow?.end ?? to + 2 * DAY_MS);
    const fresh = await this.catalogs.repo.freshnessWithBusy(
      facilityId,
      this.catalogs.knownHead(facilityId),
      { facilityId },
      lo,
      hi,
      options.tx,
    );
    const catalog = await this.catalogs.current(facilityId, fresh, options.tx);
    if (!catalog) throw notFound('facility', facilityId);
    return {
      facility: catalog.facility,
      bays: catalog.bays,
      rules: catalog.rules,
      closures: await this.closuresIn(catalog, lo, hi, options.tx),
      busy: fresh.busy,
      pricingRules: catalog.pricingRules,
      // No occupancy given: demand rules still use the day's computed occupancy.
      ...(options.customer ? { pricing: { customer: options.customer } } : {}),
      now: options.now ?? Date.now(),
      channel: options.channel ?? 'online',
      ...(options.ignoreBusyIds ? { ignoreBusyIds: options.ignoreBusyIds } : {}),
    };
  }

  /** The catalog's closures overlapping `[lo, hi)`; a range older than the cached ones is read. */
  private async closuresIn(catalog: FacilityCatalog, lo: Date, hi: Date, tx?: Executor): Promise<Closure[]> {
    if (lo.getTime() < catalog.closuresFrom) {
      return this.facilities.closuresOf(catalog.facility.id, lo, hi, tx);
    }
    const from = lo.getTime();
    const to = hi.getTime();
    return catalog.closures.filter((c) => c.start < to && c.end > from);
  }

  async facilityOfBay(simulatorId: string, tx?: Executor): Promise<string> {
    const facilityId = await this.catalogs.facilityIdOfBay(simulatorId, tx);
    if (!facilityId)
      throw new DomainError('NOT_FOUND', `simulator ${simulatorId} was not found`, { field: 'simulator_id' });
    return facilityId;
  }

  /**
   * The pricing identity of `who` when `rules` can depend on it (`rules` undefined: not known
   * yet, so it is read). A customer named explicitly must exist; an erased one prices as nobody.
   */
  async pricingCustomer(
    who: PricedCustomer | null,
    rules: readonly PricingRule[] | undefined,
    tx?: Executor,
  ): Promise<PricingCustomer | null> {
    if (who === null) return null;
    if (!who.explicit && rules !== undefined && !pricesByCustomer(rules)) return null;
    const customer = await pricingCustomerOf(tx ?? this.db, who.id);
    if (customer === null && who.explicit) {
      throw new DomainError('NOT_FOUND', `customer ${who.id} was not found`, { field: 'customer_id' });
    }
    return customer;
  }

  /**
   * The check's result as priced for customer `customerId` (bookings: the customer is known only
   * after the check). Re-runs the pure engine on the same input: no further reads unless the
   * facility has rules that depend on the customer.
   */
  async priceFor(
    result: CheckResult,
    simulatorId: string,
    start: number,
    duration: number,
    customerId: string,
    tx?: Executor,
  ): Promise<CheckResult> {
    if (!result.check.ok) return result;
    const who = { id: customerId, explicit: false };
    const customer = await this.pricingCustomer(who, result.input.pricingRules ?? [], tx);
    return this.repriced(result, simulatorId, start, duration, customer);
  }

  /**
   * The check's result re-run by the pure engine on the same input priced for `customer` (null:
   * unchanged). No reads: `customer` is whose price the caller found from `result.input`'s rules,
   * which come from the catalog the check validated.
   */
  repriced(
    result: CheckResult,
    simulatorId: string,
    start: number,
    duration: number,
    customer: PricingCustomer | null,
  ): CheckResult {
    if (customer === null) return result;
    const input = withCustomer(result.input, customer);
    const check = checkBookingRequest({ ...input, simulator_id: simulatorId, start, duration });
    return { ...result, input, check };
  }

  /**
   * The seed's availability listing as UTF-8 JSON. Served from the listing cache while the
   * facility's version is unchanged (one version read); otherwise the engine runs on fresh input.
   * Prices are the caller's (see `pricedCustomer`); cached listings are keyed by that identity.
   */
  async searchJson(query: AvailabilityQueryParams, principal: Principal | null = null): Promise<Buffer> {
    if (!query.simulator_id && !query.facility_id) {
      throw badRequest('simulator_id', 'simulator_id or facility_id is required');
    }
    if (query.timezone) assertValidZone(query.timezone, 'timezone');
    const facilityId = query.simulator_id ? await this.facilityOfBay(query.simulator_id) : query.facility_id!;
    if (query.simulator_id && query.facility_id && query.facility_id !== facilityId) {
      throw badRequest(
        'facility_id',
        `simulator ${query.simulator_id} is not in facility ${query.facility_id}`,
      );
    }
    const days = query.days ?? 1;
    const dayStart = Date.parse(`${query.date}T00:00:00Z`);
    if (Number.isNaN(dayStart)) throw badRequest('date', `'${query.date}' is not a calendar date`);
    const dayEnd = dayStart + days * DAY_MS;
    const current = await this.catalogs.versioned(
      facilityId,
      new Date(dayStart - 2 * DAY_MS),
      new Date(dayEnd + 2 * DAY_MS),
    );
    if (!current) throw notFound('facility', facilityId);
    const { catalog, version } = current;
    const who = pricedCustomer(principal, facilityId, query.customer_id);
    const customer = await this.pricingCustomer(who, catalog.pricingRules);
    const key = listingKey(facilityId, query, customer);
    return this.listings.getOrCompute(key, version, async () => {
      // Only the bookings that can change this listing: a busy facility's five days of bookings
      // cost more to aggregate, send and parse than the engine's whole run.
      const busyWindow = listingBusyWindow({
        date: query.date,
        days,
        zone: catalog.facility.timezone,
        rules: catalog.rules,
      });
      const input = await this.loadInput(facilityId, dayStart, dayEnd, { customer, busyWindow });
      return Buffer.from(JSON.stringify(renderListing(query, facilityId, input)));
    });
  }

  /**
   * Whether `[start, start + duration)` may be sold on the bay now, with its quote. This is the
   * hot path of every booking: unless the facility prices by demand (which needs every bay's
   * occupancy), the input holds only the requested bay, its rules, and its bookings within the
   * largest buffer of the slot. Such a narrowed input must not be used for anything but this
   * slot (alternatives: see `alternativesFor`).
   */
  async check(
    simulatorId: string,
    start: number,
    duration: number,
    options: CheckOptions = {},
  ): Promise<CheckResult> {
    const guest: GuestState | undefined = options.guest ? { details: options.guest } : undefined;
    const result = await this.checkOnce(simulatorId, start, duration, options, false, guest);
    return guest?.done ? { ...result, guest: guest.done } : result;
  }

  private async checkOnce(
    simulatorId: string,
    start: number,
    duration: number,
    options: CheckOptions,
    retried: boolean,
    guest?: GuestState,
  ): Promise<CheckResult> {
    const tx = options.tx;
    const facilityId = await this.facilityOfBay(simulatorId, tx);
    const end = start + duration * MINUTE_MS;
    const cached = this.catalogs.peek(facilityId);
    // Demand pricing needs every bay's occupancy; without a cached catalog we cannot know yet.
    if (!cached || cached.pricingRules.some((r) => r.type === 'demand_based')) {
      const input = await this.loadInput(facilityId, start, end, options);
      return this.finishCheck(facilityId, simulatorId, start, duration, input, options, retried, guest);
    }
    const lo = new Date(start - DAY_MS);
    const hi = new Date(end + DAY_MS);
    // Only a booking within the bay's largest buffer of the slot can refuse it (the engine widens
    // the slot by the governing rule's buffer), so only those are read: a full bay's day of
    // bookings cost more to aggregate, parse and merge than the rest of the check.
    const reach = bufferReachMs(cached, simulatorId);
    const upsert = guest && !guest.done ? guest.details : undefined;
    const fresh = await this.bayReads.read(
      facilityId,
      cached.head,
      {
        simulatorId,
        from: new Date(start - reach),
        to: new Date(end + reach),
        ...(upsert ? { guest: upsert } : {}),
      },
      tx,
    );
    if (guest && upsert) guest.done = fresh.guest;
    const catalog = await this.catalogs.current(facilityId, fresh, tx);
    if (!catalog) throw notFound('facility', facilityId);
    // A reloaded catalog with demand pricing or a longer buffer needs more than was read.
    if (
      catalog.pricingRules.some((r) => r.type === 'demand_based') ||
      bufferReachMs(catalog, simulatorId) > reach
    ) {
      const input = await this.loadInput(facilityId, start, end, options);
      return this.finishCheck(facilityId, simulatorId, start, duration, input, options, retried, guest);
    }
    const input: AvailabilityInput = {
      facility: catalog.facility,
      // Only the requested bay: with no demand rule nothing about the other bays is needed.
      bays: catalog.bays.filter((b) => b.id === simulatorId),
      rules: catalog.rules.filter((r) => r.simulator_id === simulatorId),
      closures: await this.closuresIn(catalog, lo, hi, tx),
      busy: fresh.busy,
      pricingRules: catalog.pricingRules,
      // No demand rule: occupancy cannot change the price, so it is not computed from other bays.
      pricing: { occupancy: null, ...(options.customer ? { customer: options.customer } : {}) },
      now: Date.now(),
      channel: options.channel ?? 'online',
      ...(options.ignoreBusyIds ? { ignoreBusyIds: options.ignoreBusyIds } : {}),
    };
    return this.finishCheck(facilityId, simulatorId, start, duration, input, options, retried, guest);
  }

  private async finishCheck(
    facilityId: string,
    simulatorId: string,
    start: number,
    duration: number,
    input: AvailabilityInput,
    options: CheckOptions,
    retried: boolean,
    guest: GuestState | undefined,
  ): Promise<CheckResult> {
    const bay = input.bays.find((b) => b.id === simulatorId);
    const catalog = this.catalogs.peek(facilityId);
    if (!bay || !catalog) {
      // A bay added without a change-log entry (a script) after the catalog was cached: reload once.
      this.catalogs.invalidate(facilityId);
      if (!retried) return this.checkOnce(simulatorId, start, duration, options, true, guest);
      throw new DomainError('NOT_FOUND', `simulator ${simulatorId} was not found`, { field: 'simulator_id' });
    }
    const check = checkBookingRequest({ ...input, simulator_id: simulatorId, start, duration });
    return {
      facilityId,
      bay: { ...bay, unifi_door_id: catalog.doors.get(simulatorId) ?? null },
      input,
      check,
    };
  }

  /** Alternatives for a refused slot, priced for `customer` (see `RefusalAlternatives`). */
  alternativesFor(
    request: RefusedSlot,
    customer: PricingCustomer | null,
    channel: SalesChannel = 'online',
  ): Promise<SlotAlternative[]> {
    return this.refusals.find(request, customer, channel);
  }

  /** Seed `GET /quote`, priced for the caller (see `pricedCustomer`). */
  async quote(query: QuoteQueryParams, principal: Principal | null = null): Promise<QuoteResponse> {
    const start = parseInstant(query.start_time, 'start_time');
    const bayFacility = await this.facilityOfBay(query.simulator_id);
    const who = pricedCustomer(principal, bayFacility, query.customer_id);
    // Whose price from the rules of the catalog the check validated (the cached copy may be stale).
    const checked = await this.check(query.simulator_id, start, query.duration);
    const customer = await this.pricingCustomer(who, checked.input.pricingRules ?? []);
    const { facilityId, input, check } = this.repriced(
      checked,
      query.simulator_id,
      start,
      query.duration,
      customer,
    );
    const quote = check.ok ? check.quote : quoteUnavailable(input, query.simulator_id, start, query.duration);
    return toQuoteResponse(query.simulator_id, facilityId, quote, check);
  }

  /** Nearest free slots for a 409 in `input` (callers that already hold the facility's input). */
  alternatives(
    input: AvailabilityInput,
    simulatorId: string,
    start: number,
    duration: number,
  ): SlotAlternative[] {
    return alternativesIn(input, simulatorId, start, duration);
  }
}
