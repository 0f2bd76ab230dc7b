import type {
  AvailabilityQueryParams,
  AvailabilityResponse,
  QuoteQueryParams,
  QuoteResponse,
} from '@clubos/shared/api';
import {
  type AvailabilityInput,
  type BookingCheck,
  checkBookingRequest,
  findAvailability,
  nearestAlternatives,
  type SalesChannel,
} from '@clubos/shared/availability';
import type { Bay, Slot } from '@clubos/shared/model';
import { centsToDollars, quoteBooking } from '@clubos/shared/pricing';
import { assertValidZone, DAY_MS, MINUTE_MS } from '@clubos/shared/time';
import { AppError, badRequest, notFound } from '../common/app-error.js';
import { parseInstant } from '../common/instant.js';
import type { Executor } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { formatInZone, iso } from './time-format.js';

export interface SlotAlternative {
  simulator_id: string;
  start_time: string;
  end_time: string;
  price_cents: number;
}

/**
 * Loads what the pure availability engine needs (facility, bays, rules, closures, busy time) and
 * answers availability, quotes, booking checks and alternatives. No rules of its own: the engine
 * in @clubos/shared/availability decides; the database constraint has the last word on races.
 */
export class AvailabilityService {
  constructor(private readonly facilities: FacilityRepository) {}

  /** Everything for one facility around `[from, to)`: generous margins cover any zone offset. */
  async loadInput(
    facilityId: string,
    from: number,
    to: number,
    options: { now?: number; channel?: SalesChannel; ignoreBusyIds?: string[]; tx?: Executor } = {},
  ): Promise<AvailabilityInput> {
    const tx = options.tx;
    const facility = await this.facilities.findFacility(facilityId, tx);
    if (!facility) throw notFound('facility', facilityId);
    const bays = await this.facilities.baysOf(facilityId, tx);
    const bayIds = bays.map((b) => b.id);
    const lo = new Date(from - 2 * DAY_MS);
    const hi = new Date(to + 2 * DAY_MS);
    const [rules, closures, busy, pricingRules] = await Promise.all([
      this.facilities.availabilityRulesOf(bayIds, tx),
      this.facilities.closuresOf(facilityId, lo, hi, tx),
      this.facilities.busyOf(bayIds, lo, hi, tx),
      this.facilities.pricingRulesOf(facilityId, tx),
    ]);
    return {
      facility,
      bays,
      rules,
      closures,
      busy,
      pricingRules,
      now: options.now ?? Date.now(),
      channel: options.channel ?? 'online',
      ...(options.ignoreBusyIds ? { ignoreBusyIds: options.ignoreBusyIds } : {}),
    };
  }

  async facilityOfBay(simulatorId: string, tx?: Executor): Promise<string> {
    const bay = await this.facilities.findBay(simulatorId, tx);
    if (!bay)
      throw new AppError('NOT_FOUND', `simulator ${simulatorId} was not found`, { field: 'simulator_id' });
    return bay.facility_id;
  }

  async search(query: AvailabilityQueryParams): Promise<AvailabilityResponse> {
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
    const input = await this.loadInput(facilityId, dayStart, dayStart + days * DAY_MS);
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
   * Whether `[start, start + duration)` may be sold on the bay now, with its quote. This is the
   * hot path of every booking: unless the facility prices by demand (which needs every bay's
   * occupancy), only the requested bay's rules and busy time are loaded. Such a narrowed input
   * must not be used for alternatives (see `alternativesFor`).
   */
  async check(
    simulatorId: string,
    start: number,
    duration: number,
    options: { ignoreBusyIds?: string[]; channel?: SalesChannel; tx?: Executor } = {},
  ): Promise<{
    facilityId: string;
    bay: Bay & { unifi_door_id: string | null };
    input: AvailabilityInput;
    check: BookingCheck;
  }> {
    const tx = options.tx;
    const bay = await this.facilities.findBay(simulatorId, tx);
    if (!bay)
      throw new AppError('NOT_FOUND', `simulator ${simulatorId} was not found`, { field: 'simulator_id' });
    const facilityId = bay.facility_id;
    const end = start + duration * MINUTE_MS;
    const pricingRules = await this.facilities.pricingRulesOf(facilityId, tx);
    let input: AvailabilityInput;
    if (pricingRules.some((r) => r.type === 'demand_based')) {
      input = await this.loadInput(facilityId, start, end, options);
    } else {
      const lo = new Date(start - DAY_MS);
      const hi = new Date(end + DAY_MS);
      const [facility, bays, rules, closures, busy] = await Promise.all([
        this.facilities.findFacility(facilityId, tx),
        this.facilities.baysOf(facilityId, tx),
        this.facilities.availabilityRulesOf([simulatorId], tx),
        this.facilities.closuresOf(facilityId, lo, hi, tx),
        this.facilities.busyOf([simulatorId], lo, hi, tx),
      ]);
      input = {
        facility: facility!,
        bays,
        rules,
        closures,
        busy,
        pricingRules,
        // No demand rule: occupancy cannot change the price, so it is not computed from other bays.
        pricing: { occupancy: null },
        now: Date.now(),
        channel: options.channel ?? 'online',
        ...(options.ignoreBusyIds ? { ignoreBusyIds: options.ignoreBusyIds } : {}),
      };
    }
    const check = checkBookingRequest({ ...input, simulator_id: simulatorId, start, duration });
    return { facilityId, bay, input, check };
  }

  /** Alternatives for a refused slot, computed on the facility's full current schedule. */
  async alternativesFor(
    facilityId: string,
    simulatorId: string,
    start: number,
    duration: number,
    channel: SalesChannel = 'online',
  ): Promise<SlotAlternative[]> {
    const input = await this.loadInput(facilityId, start, start + duration * MINUTE_MS, { channel });
    return this.alternatives(input, simulatorId, start, duration);
  }

  async quote(query: QuoteQueryParams): Promise<QuoteResponse> {
    const start = parseInstant(query.start_time, 'start_time');
    const { facilityId, input, check } = await this.check(query.simulator_id, start, query.duration);
    let quote = check.ok ? check.quote : undefined;
    if (!quote) {
      // Still price an unavailable slot, so the caller sees what it would cost.
      const bay = input.bays.find((b) => b.id === query.simulator_id)!;
      quote = quoteBooking({
        facility: input.facility,
        bay,
        rules: input.pricingRules ?? [],
        start,
        end: start + query.duration * MINUTE_MS,
      });
    }
    return {
      simulator_id: query.simulator_id,
      facility_id: facilityId,
      start_time: iso(quote.start),
      end_time: iso(quote.end),
      duration: quote.duration_minutes,
      hourly_rate: centsToDollars(quote.hourly_rate_cents),
      lines: quote.lines.map((line) => ({
        kind: line.kind,
        rule_id: line.rule_id,
        name: line.name,
        type: line.type,
        amount: centsToDollars(line.amount_cents),
        amount_cents: line.amount_cents,
        explanation: line.explanation,
      })),
      subtotal_cents: quote.subtotal_cents,
      tax_rate_bps: quote.tax_rate_bps,
      tax_cents: quote.tax_cents,
      total_cents: quote.total_cents,
      price: centsToDollars(quote.total_cents),
      available: check.ok,
      unavailable_reason: check.ok ? null : check.message,
    };
  }

  /** Nearest free slots for a 409: same bay at other times, then other bays at the same time. */
  alternatives(
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
}
