import type { Booking, CreateBookingBody, CreateHoldBody, ListBookingsQuery } from '@clubos/shared/api';
import { badRequest, DomainError, forbidden, notFound, unauthorized } from '@clubos/shared/errors';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { MINUTE_MS, parseInstant } from '@clubos/shared/time';
import type { Principal } from '../auth/index.js';
import { canManageFacility } from '../auth/index.js';
import type { AvailabilityService } from '../availability/availability.service.js';
import type { GuestDetails, GuestUpsert } from '../availability/guest-upsert.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import type { BookingCheckoutService, CheckoutAnswer } from '../payments/booking-checkout.service.js';
import { toBookingResponse } from './booking.mapper.js';
import type { BookingRepository, BookingRow } from './booking.repository.js';
import {
  assertCanSee,
  bufferMinutesOf,
  channelOf,
  checkedCustomer,
  guestToUpsert,
  madeBy,
  resolveCustomer,
  slotRefused,
  slotTaken,
  sourceOf,
} from './booking.support.js';
import {
  type BookingWriter,
  type PlannedBooking,
  SlotTakenError,
  type WriteRequest,
} from './booking.writer.js';
import { pricingOf } from './booking-pricing.js';

/** The write request fields of a single booking (or hold) made by `principal` for `customerId`. */
function singleBy(principal: Principal | null, customerId: string | null) {
  return {
    ...madeBy(principal, customerId),
    type: 'single' as const,
    seriesId: null,
    recurrenceRule: null,
  };
}

/** Single bookings, checkout holds, and reading bookings. Access checks come first. */
export class BookingService {
  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly availability: AvailabilityService,
    private readonly writer: BookingWriter,
    private readonly holdTtlSeconds: number,
    /** Null without Stripe: every booking is confirmed at once, paid at the venue. */
    private readonly checkout: BookingCheckoutService | null = null,
    /** How a customer's phone without +country is read (`PHONE_DEFAULT_REGION`). */
    private readonly phoneRegion = 'US',
  ) {}

  /**
   * Seed `POST /bookings`: guest checkout, a logged-in customer, or staff/edge for a customer. A
   * web booking at a facility that asks money online becomes a hold and a Checkout Session
   * (`checkout_url`); `origin` is where Stripe sends the customer back to.
   */
  async create(
    principal: Principal | null,
    body: CreateBookingBody,
    recorder?: IdempotencyRecorder,
    origin = '',
  ): Promise<Booking | CheckoutAnswer> {
    if (body.hold_id) return this.confirmHold(principal, body, recorder, origin);
    const customer = checkedCustomer(body.customer, this.phoneRegion);
    const start = parseInstant(body.start_time, 'start_time');
    const { customerId, item, pricing } = await this.planSingle(
      principal,
      body.simulator_id,
      start,
      body.duration,
      (f, upserted) => resolveCustomer(this.repo, this.db, principal, f, customer, upserted),
      guestToUpsert(principal, customer),
    );
    const metadata = body.preferences ? { preferences: body.preferences } : {};
    if (
      this.checkout &&
      sourceOf(principal) === 'web' &&
      (await this.checkout.asksOnline(item.facility.id, item.quote.total_cents))
    ) {
      // Not recorded under the Idempotency-Key: a retry finds the slot held by this hold (409).
      const hold = await this.writeSingle(item, pricing, {
        ...singleBy(principal, customerId),
        metadata,
        hold: { expiresAt: new Date(Date.now() + this.holdTtlSeconds * 1000) },
        respond: (rows) => toBookingResponse(rows[0]!, null),
      });
      return this.checkout.begin(hold.id, origin);
    }
    return this.writeSingle(item, pricing, {
      ...singleBy(principal, customerId),
      metadata,
      recorder,
      respond: (rows, qr) => toBookingResponse(rows[0]!, qr.get(rows[0]!.id) ?? null),
    });
  }

  /**
   * A 409 computed after the race was lost, so the alternatives reflect the winner's booking; they
   * are priced for `customer`, like the refused request.
   */
  async takenError(
    simulatorId: string,
    start: number,
    duration: number,
    customer: PricingCustomer | null = null,
  ): Promise<DomainError> {
    const { facilityId, check } = await this.availability.check(simulatorId, start, duration);
    const request = { facilityId, simulatorId, start, duration };
    const alternatives = await this.availability.alternativesFor(request, customer);
    return check.ok
      ? slotTaken(alternatives, 'This time was just booked by someone else')
      : slotRefused(check, alternatives);
  }

  /** `POST /holds`: blocks the slot for HOLD_TTL_SECONDS while the customer checks out. */
  async createHold(
    principal: Principal | null,
    body: CreateHoldBody,
    recorder?: IdempotencyRecorder,
  ): Promise<Booking> {
    const customer = checkedCustomer(body.customer, this.phoneRegion);
    const start = parseInstant(body.start_time, 'start_time');
    const { customerId, item, pricing } = await this.planSingle(
      principal,
      body.simulator_id,
      start,
      body.duration,
      (f, upserted) =>
        principal || customer
          ? resolveCustomer(this.repo, this.db, principal, f, customer, upserted)
          : Promise.resolve(null),
      guestToUpsert(principal, customer),
    );
    return this.writeSingle(item, pricing, {
      ...singleBy(principal, customerId),
      metadata: {},
      hold: { expiresAt: new Date(Date.now() + this.holdTtlSeconds * 1000) },
      recorder,
      respond: (rows) => toBookingResponse(rows[0]!, null),
    });
  }

  /**
   * Checks one slot with the engine and plans its write. The customer is resolved between the check
   * and the refusal, as before: a guest without details hears about the details first. `pricing`:
   * whose price the booking (and a refusal's alternatives) carry; null for the public price.
   * `guest`: a guest's customer upsert, for the check to run in the statement of its read.
   */
  private async planSingle(
    principal: Principal | null,
    simulatorId: string,
    start: number,
    duration: number,
    customerOf: (facilityId: string, upserted?: GuestUpsert) => Promise<string | null>,
    guest?: GuestDetails,
  ): Promise<{ customerId: string | null; item: PlannedBooking; pricing: PricingCustomer | null }> {
    const channel = channelOf(principal);
    const checked = await this.availability.check(simulatorId, start, duration, {
      channel,
      ...(guest ? { guest } : {}),
    });
    const customerId = await customerOf(checked.facilityId, checked.guest);
    // Members pay their price when signed in (or booked for by staff/edge); a guest pays the public one.
    const { facilityId, bay, input, check } =
      principal && customerId
        ? await this.availability.priceFor(checked, simulatorId, start, duration, customerId)
        : checked;
    if (!check.ok) {
      // A refused check was not re-priced: read whose price the alternatives carry now.
      const pricing =
        principal && customerId ? await pricingOf(this.availability, input.pricingRules, customerId) : null;
      const request = { facilityId, simulatorId, start, duration };
      throw slotRefused(check, await this.availability.alternativesFor(request, pricing, channel));
    }
    const item: PlannedBooking = {
      facility: input.facility,
      simulatorId,
      bayDoorId: bay.unifi_door_id,
      start,
      end: start + duration * MINUTE_MS,
      duration,
      bufferMinutes: bufferMinutesOf(input, simulatorId),
      quote: check.quote,
    };
    return { customerId, item, pricing: input.pricing?.customer ?? null };
  }

  /** Writes one planned booking; a race lost at the database becomes a 409 with fresh alternatives. */
  private async writeSingle(
    item: PlannedBooking,
    pricing: PricingCustomer | null,
    request: Omit<WriteRequest<Booking>, 'items'>,
  ): Promise<Booking> {
    try {
      return await this.writer.write({ items: [item], ...request });
    } catch (error) {
      if (error instanceof SlotTakenError)
        throw await this.takenError(item.simulatorId, item.start, item.duration, pricing);
      throw error;
    }
  }

  private async confirmHold(
    principal: Principal | null,
    body: CreateBookingBody,
    recorder: IdempotencyRecorder | undefined,
    origin: string,
  ): Promise<Booking | CheckoutAnswer> {
    const hold = await this.repo.findById(body.hold_id!);
    if (hold?.status !== 'pending' || !hold.holdExpiresAt) {
      throw new DomainError('NOT_FOUND', `hold ${body.hold_id} was not found`, { field: 'hold_id' });
    }
    this.assertHoldOwner(principal, hold);
    if (
      hold.simulatorId !== body.simulator_id ||
      hold.startTime.getTime() !== parseInstant(body.start_time, 'start_time') ||
      hold.duration !== body.duration
    ) {
      throw new DomainError('UNPROCESSABLE', 'simulator_id, start_time and duration must match the hold', {
        field: 'hold_id',
      });
    }
    const customerId =
      hold.customerId ??
      (await resolveCustomer(
        this.repo,
        this.db,
        principal,
        hold.facilityId,
        checkedCustomer(body.customer, this.phoneRegion),
      ));
    if (this.checkout && (await this.checkout.asksOnline(hold.facilityId, hold.priceCents))) {
      if (hold.holdExpiresAt.getTime() <= Date.now()) {
        throw new DomainError(
          'HOLD_EXPIRED',
          `hold ${hold.id} expired at ${hold.holdExpiresAt.toISOString()}`,
          {
            field: 'hold_id',
          },
        );
      }
      // Confirmed by the payment's success, not here (payments/booking-checkout.service.ts): the
      // hold keeps who it is for and their preferences until then.
      if (customerId !== hold.customerId || body.preferences) {
        await this.repo.update(this.db, hold.id, {
          customerId,
          metadata: {
            ...(hold.metadata ?? {}),
            ...(body.preferences ? { preferences: body.preferences } : {}),
          },
        });
      }
      return this.checkout.begin(hold.id, origin);
    }
    const facility = (await this.facilities.findFacility(hold.facilityId))!;
    const bay = (await this.facilities.findBay(hold.simulatorId))!;
    return this.writer.confirmHold(hold.id, facility, bay.unifi_door_id, {
      customerId,
      metadata: body.preferences ? { preferences: body.preferences } : {},
      recorder,
      respond: (row, qr) => toBookingResponse(row, qr),
    });
  }

  /** A hold taken by a customer can be confirmed or released only by them (or staff). */
  private assertHoldOwner(principal: Principal | null, hold: BookingRow): void {
    if (!hold.customerId) return;
    if (principal && canManageFacility(principal, hold.facilityId)) return;
    if (principal?.kind === 'user' && principal.customerId === hold.customerId) return;
    if (!principal && hold.createdBy === null) return;
    throw new DomainError('NOT_FOUND', `hold ${hold.id} was not found`, { field: 'hold_id' });
  }

  async releaseHold(principal: Principal | null, holdId: string): Promise<void> {
    const hold = await this.repo.findById(holdId);
    if (hold?.status !== 'pending' || !hold.holdExpiresAt) throw notFound('hold', holdId);
    this.assertHoldOwner(principal, hold);
    await this.repo.deleteHold(this.db, holdId);
  }

  async get(principal: Principal | null, id: string): Promise<Booking> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('booking', id);
    assertCanSee(principal, row);
    const qr = await this.repo.qrTokensOf([row.id]);
    return toBookingResponse(row, qr.get(row.id) ?? null);
  }

  /** Customers list their own; staff one or all of their facilities; admins anything; edges theirs. */
  async list(principal: Principal | null, query: ListBookingsQuery): Promise<Booking[]> {
    if (!principal) throw unauthorized();
    const filter = {
      limit: query.limit ?? 50,
      ...(query.status ? { status: query.status } : {}),
      ...(query.from ? { from: new Date(parseInstant(query.from, 'from')) } : {}),
      ...(query.to ? { to: new Date(parseInstant(query.to, 'to')) } : {}),
    };
    let rows: BookingRow[];
    if (principal.kind === 'user' && principal.role === 'customer') {
      if (!principal.customerId) return [];
      rows = await this.repo.list({ ...filter, customerId: principal.customerId });
    } else if (query.facility_id) {
      if (!canManageFacility(principal, query.facility_id)) {
        throw forbidden(`You may not list bookings of facility ${query.facility_id}`);
      }
      rows = await this.repo.list({ ...filter, facilityId: query.facility_id });
    } else if (principal.kind === 'edge') {
      rows = await this.repo.list({ ...filter, facilityId: principal.facilityId });
    } else if (principal.role === 'admin') {
      rows = await this.repo.list(filter);
    } else {
      if (principal.facilityIds.length === 0) throw badRequest('facility_id', 'facility_id is required');
      rows = await this.repo.list({ ...filter, facilityIds: principal.facilityIds });
    }
    const qr = await this.repo.qrTokensOf(rows.map((r) => r.id));
    return rows.map((r) => toBookingResponse(r, qr.get(r.id) ?? null));
  }
}
