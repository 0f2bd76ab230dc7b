import type { Booking } from '@clubos/shared/api';
import type { JoinWaitlistBody, ListWaitlistQuery, WaitlistEntry } from '@clubos/shared/api/waitlist.schemas';
import { badRequest, DomainError, forbidden, notFound, unauthorized } from '@clubos/shared/errors';
import { MINUTE_MS, parseInstant } from '@clubos/shared/time';
import { facilityScope } from '../admin/admin-access.js';
import { canManageFacility, type Principal } from '../auth/index.js';
import type { AvailabilityService } from '../availability/availability.service.js';
import { toBookingResponse } from '../bookings/booking.mapper.js';
import type { BookingRow } from '../bookings/booking.repository.js';
import { bufferMinutesOf } from '../bookings/booking.support.js';
import { type BookingWriter, SlotTakenError } from '../bookings/booking.writer.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database, Executor } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { toWaitlistEntry } from './waitlist.mapper.js';
import type { WaitlistRepository, WaitlistRow, WaitlistView } from './waitlist.repository.js';

/** How long the first in line has to accept a freed slot before it goes to the next. */
export const DEFAULT_OFFER_TTL_MS = 15 * MINUTE_MS;

/**
 * The waitlist: a customer waits for a taken slot (one bay, or any bay of a facility). When time
 * is freed (a cancellation, an erasure, a lapsed or declined offer) the oldest matching entry
 * gets an offer: a checkout hold in its name that blocks the slot for `offerTtlMs`. Accepting
 * confirms the hold into a booking; a lapse or a decline passes the time to the next in line.
 */
export class WaitlistService {
  constructor(
    private readonly db: Database,
    private readonly repo: WaitlistRepository,
    private readonly facilities: FacilityRepository,
    private readonly availability: AvailabilityService,
    private readonly writer: BookingWriter,
    private readonly offerTtlMs = DEFAULT_OFFER_TTL_MS,
  ) {}

  async join(
    principal: Principal | null,
    body: JoinWaitlistBody,
    recorder?: IdempotencyRecorder,
    now = Date.now(),
  ): Promise<WaitlistEntry> {
    const customerId = this.customerOf(principal);
    const start = parseInstant(body.start_time, 'start_time');
    if (start <= now) throw badRequest('start_time', 'start_time must be in the future');
    let facilityId = body.facility_id;
    if (body.simulator_id) {
      const bay = await this.facilities.findBay(body.simulator_id);
      if (!bay)
        throw new DomainError('NOT_FOUND', `simulator ${body.simulator_id} was not found`, {
          field: 'simulator_id',
        });
      if (facilityId && facilityId !== bay.facility_id) {
        throw badRequest('facility_id', `simulator ${bay.id} is not in facility ${facilityId}`);
      }
      facilityId = bay.facility_id;
    }
    if (!facilityId) throw badRequest('simulator_id', 'simulator_id or facility_id is required');
    const facility = await this.facilities.findFacility(facilityId);
    if (!facility)
      throw new DomainError('NOT_FOUND', `facility ${facilityId} was not found`, { field: 'facility_id' });

    // Waiting makes sense only for a slot that is sellable but taken.
    const bayIds = body.simulator_id
      ? [body.simulator_id]
      : (await this.facilities.baysOf(facilityId)).map((b) => b.id);
    let taken = false;
    let refusal: string | undefined;
    for (const bayId of bayIds) {
      const { check } = await this.availability.check(bayId, start, body.duration);
      if (check.ok) {
        throw new DomainError('CONFLICT', 'That time is free right now: book it instead of waiting', {
          field: 'start_time',
          extra: { free_simulator_id: bayId },
        });
      }
      if (check.reason === 'conflict') taken = true;
      else refusal ??= check.message;
    }
    if (!taken)
      throw new DomainError('UNPROCESSABLE', refusal ?? 'The facility has no bays', { field: 'start_time' });

    const slot = {
      customerId,
      facilityId,
      simulatorId: body.simulator_id ?? null,
      startTime: new Date(start),
      duration: body.duration,
    };
    if (await this.repo.findOpenDuplicate(slot)) {
      throw new DomainError('CONFLICT', 'You are already on the waitlist for this slot', {
        field: 'start_time',
      });
    }
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insert(slot, tx);
      const entry = (await this.present([{ ...row, offerSimulatorId: null }], tx))[0]!;
      await recorder?.record(tx, entry);
      return entry;
    });
  }

  async list(principal: Principal | null, query: ListWaitlistQuery): Promise<WaitlistEntry[]> {
    if (!principal) throw unauthorized();
    await this.sweep();
    const status = query.status ? { status: query.status } : {};
    if (principal.kind === 'user' && principal.role === 'customer') {
      if (!principal.customerId) return [];
      const rows = await this.repo.list({ customerId: principal.customerId, ...status });
      return this.present(rows.filter((r) => !query.facility_id || r.facilityId === query.facility_id));
    }
    return this.present(
      await this.repo.list({ facilityIds: facilityScope(principal, query.facility_id), ...status }),
    );
  }

  /** Leave the line (owner, or staff of the facility). An open offer is passed on. */
  async leave(principal: Principal | null, id: string): Promise<WaitlistEntry> {
    const entry = await this.load(principal, id, { staffMay: true });
    const row = await this.repo.transition(id, ['waiting', 'offered'], 'cancelled', {
      offerBookingId: null,
      offerExpiresAt: null,
    });
    if (!row) throw this.finished(entry);
    if (entry.status === 'offered') await this.passOn(entry);
    return (await this.present([{ ...row, offerSimulatorId: null }]))[0]!;
  }

  /** Decline an offer: the entry leaves the line and the time goes to the next. */
  async decline(principal: Principal | null, id: string): Promise<WaitlistEntry> {
    const entry = await this.load(principal, id, { staffMay: false });
    if (entry.status !== 'offered') throw this.finished(entry, 'has no open offer');
    return this.leave(principal, id);
  }

  /** Accept an offer: its hold becomes a confirmed booking (credentials, feed, CRM as usual). */
  async accept(
    principal: Principal | null,
    id: string,
    now = Date.now(),
    recorder?: IdempotencyRecorder,
  ): Promise<Booking> {
    const entry = await this.load(principal, id, { staffMay: false });
    return this.acceptEntry(entry, now, recorder);
  }

  /**
   * Accept from the offer email's link (no login): the signed link names the entry and its offer's
   * hold, so only the person the offer was mailed to can take it, and only that offer.
   */
  async acceptOffer(id: string, offerBookingId: string, now = Date.now()): Promise<Booking> {
    const entry = await this.repo.findById(id);
    if (!entry || entry.offerBookingId !== offerBookingId) {
      throw new DomainError('HOLD_EXPIRED', 'this offer is no longer open', { field: 'token' });
    }
    return this.acceptEntry(entry, now);
  }

  private async acceptEntry(
    entry: WaitlistView,
    now: number,
    recorder?: IdempotencyRecorder,
  ): Promise<Booking> {
    const id = entry.id;
    if (entry.status !== 'offered' || !entry.offerBookingId) throw this.finished(entry, 'has no open offer');
    if (!entry.offerExpiresAt || entry.offerExpiresAt.getTime() <= now) {
      await this.lapse(entry);
      throw new DomainError('HOLD_EXPIRED', `the offer expired at ${entry.offerExpiresAt?.toISOString()}`, {
        field: 'id',
      });
    }
    // Claim the entry first: a concurrent lapse or leave then finds it accepted and stays away.
    const claimed = await this.repo.transition(id, ['offered'], 'accepted');
    if (!claimed) throw this.finished(entry, 'has no open offer');
    const hold = await this.repo.booking(entry.offerBookingId);
    const facility = (await this.facilities.findFacility(entry.facilityId))!;
    const bay = hold ? await this.facilities.findBay(hold.simulatorId) : undefined;
    try {
      return await this.writer.confirmHold(entry.offerBookingId, facility, bay?.unifi_door_id ?? null, {
        customerId: entry.customerId,
        metadata: { waitlist_entry_id: entry.id },
        recorder,
        respond: (row, qr) => toBookingResponse(row, qr),
      });
    } catch (error) {
      // The hold vanished (purged after expiry): the offer is over, the time goes on.
      await this.repo.transition(id, ['accepted'], 'expired');
      if (hold)
        await this.offerFreedTime(hold.facilityId, hold.simulatorId, hold.startTime, hold.blockedUntil, now);
      throw error;
    }
  }

  /** The booking-events listener: a cancellation freed `[start, blocked_until)` on a bay. */
  async onFreed(
    row: Pick<BookingRow, 'facilityId' | 'simulatorId' | 'startTime' | 'blockedUntil'>,
  ): Promise<number> {
    return this.offerFreedTime(row.facilityId, row.simulatorId, row.startTime, row.blockedUntil);
  }

  /** Offers freed time to waiting entries in order; each offer holds its slot, so later ones only get what is left. */
  async offerFreedTime(
    facilityId: string,
    simulatorId: string,
    from: Date,
    to: Date,
    now = Date.now(),
  ): Promise<number> {
    const candidates = await this.repo.candidates(facilityId, simulatorId, from, to, new Date(now));
    let offers = 0;
    for (const entry of candidates) {
      const hold = await this.holdFor(entry, simulatorId, now);
      if (!hold) continue;
      if (await this.repo.markOffered(entry.id, hold.id, hold.holdExpiresAt!)) offers += 1;
      else await this.repo.deleteHold(hold.id);
    }
    return offers;
  }

  private async holdFor(
    entry: WaitlistRow,
    simulatorId: string,
    now: number,
  ): Promise<BookingRow | undefined> {
    const start = entry.startTime.getTime();
    // The offer is priced for the waiting customer: a member's hold carries their price.
    const checked = await this.availability.check(simulatorId, start, entry.duration);
    const { input, check } = await this.availability.priceFor(
      checked,
      simulatorId,
      start,
      entry.duration,
      entry.customerId,
    );
    if (!check.ok) return undefined;
    const bay = await this.facilities.findBay(simulatorId);
    try {
      const result = await this.writer.write<BookingRow>({
        items: [
          {
            facility: input.facility,
            simulatorId,
            bayDoorId: bay?.unifi_door_id ?? null,
            start,
            end: start + entry.duration * MINUTE_MS,
            duration: entry.duration,
            bufferMinutes: bufferMinutesOf(input, simulatorId),
            quote: check.quote,
          },
        ],
        customerId: entry.customerId,
        createdBy: null,
        source: 'waitlist',
        type: 'single',
        seriesId: null,
        recurrenceRule: null,
        metadata: { waitlist_entry_id: entry.id },
        hold: { expiresAt: new Date(now + this.offerTtlMs) },
        respond: (rows) => rows[0]!,
      });
      return result;
    } catch (error) {
      if (error instanceof SlotTakenError) return undefined;
      throw error;
    }
  }

  /**
   * Housekeeping, run by a timer and before listing: lapsed offers expire and pass their time on
   * (or become accepted if the customer confirmed the hold through POST /bookings), and entries
   * whose slot has started expire.
   */
  async sweep(now = Date.now()): Promise<void> {
    for (const entry of await this.repo.lapsedOffers(new Date(now))) await this.lapse(entry, now);
    await this.repo.expireStarted(new Date(now));
  }

  private async lapse(entry: WaitlistRow, now = Date.now()): Promise<void> {
    const hold = entry.offerBookingId ? await this.repo.booking(entry.offerBookingId) : undefined;
    if (hold && hold.status !== 'pending') {
      await this.repo.transition(entry.id, ['offered'], 'accepted');
      return;
    }
    if (!(await this.repo.transition(entry.id, ['offered'], 'expired'))) return;
    if (hold) await this.passOn({ ...entry, offerBookingId: hold.id }, now);
  }

  /** Releases an offer's hold and offers its time to the next in line. */
  private async passOn(entry: WaitlistRow, now = Date.now()): Promise<void> {
    if (!entry.offerBookingId) return;
    const hold = await this.repo.booking(entry.offerBookingId);
    if (hold?.status !== 'pending') return;
    await this.repo.deleteHold(hold.id);
    await this.offerFreedTime(hold.facilityId, hold.simulatorId, hold.startTime, hold.blockedUntil, now);
  }

  private customerOf(principal: Principal | null): string {
    if (!principal) throw unauthorized();
    if (principal.kind !== 'user' || principal.role !== 'customer' || !principal.customerId) {
      throw forbidden('Only a customer account can join the waitlist');
    }
    return principal.customerId;
  }

  /** The entry, if the caller may act on it: its customer, or (for `staffMay`) the facility's staff. */
  private async load(
    principal: Principal | null,
    id: string,
    opts: { staffMay: boolean },
  ): Promise<WaitlistView> {
    if (!principal) throw unauthorized();
    const entry = await this.repo.findById(id);
    const own =
      principal.kind === 'user' &&
      principal.role === 'customer' &&
      entry?.customerId === principal.customerId;
    if (entry && own) return entry;
    if (!entry || (principal.kind === 'user' && principal.role === 'customer'))
      throw notFound('waitlist entry', id);
    if (opts.staffMay && canManageFacility(principal, entry.facilityId) && principal.kind === 'user')
      return entry;
    throw forbidden(
      opts.staffMay
        ? `You may not manage waitlist entry ${id}`
        : 'Only the waiting customer can answer an offer',
    );
  }

  private finished(entry: WaitlistRow, what = 'is no longer open'): DomainError {
    return new DomainError('INVALID_STATE', `waitlist entry ${entry.id} ${what} (status ${entry.status})`, {
      field: 'status',
    });
  }

  /** API shape with each waiting entry's place in line (same facility and start time). */
  private async present(rows: WaitlistView[], tx?: Executor): Promise<WaitlistEntry[]> {
    const facilities = [...new Set(rows.filter((r) => r.status === 'waiting').map((r) => r.facilityId))];
    const line = await this.repo.waitingLine(facilities, tx);
    return rows.map((row) => {
      const same = line.filter(
        (l) => l.facilityId === row.facilityId && l.startTime.getTime() === row.startTime.getTime(),
      );
      const index = same.findIndex((l) => l.id === row.id);
      return toWaitlistEntry(row, row.status === 'waiting' && index >= 0 ? index + 1 : null);
    });
  }
}
