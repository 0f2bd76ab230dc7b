import type { Booking, CancelBookingBody, CheckinBody, RescheduleBody } from '@clubos/shared/api';
import type { CancellationPreview } from '@clubos/shared/api/guest-access.schemas';
import { assertTransition, type BookingStatus, checkInRefused, checkInVerdict } from '@clubos/shared/booking';
import { normalizeBookingCode } from '@clubos/shared/credentials';
import { badRequest, DomainError, forbidden, notFound } from '@clubos/shared/errors';
import { centsToDollars } from '@clubos/shared/pricing';
import { MINUTE_MS, parseInstant } from '@clubos/shared/time';
import type { Principal } from '../auth/index.js';
import { canManageFacility } from '../auth/index.js';
import type { AvailabilityService } from '../availability/availability.service.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import { countsInTotals } from '../customers/customer-totals.js';
import type { Database } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { enqueueHubspotSync } from '../hubspot/hubspot-outbox.repository.js';
import { enqueueNotification } from '../notifications/notification-outbox.js';
import type { RefundOverride, RefundPolicyService } from '../payments/refund-policy.service.js';
import type { RescheduleDifferenceService } from '../payments/reschedule-difference.service.js';
import type { BookingEvents } from './booking.events.js';
import { toBookingResponse, toFeedPayload } from './booking.mapper.js';
import type { BookingRepository, BookingRow } from './booking.repository.js';
import {
  assertCanSee,
  bufferMinutesOf,
  carryRepricing,
  channelOf,
  slotRefused,
  slotTaken,
} from './booking.support.js';
import { pricingOf } from './booking-pricing.js';
import type { CredentialIssuer } from './credential.issuer.js';

export interface CancellationResult {
  booking: Booking;
  refund_cents: number;
  refund: number;
  policy: { rule: string; refund_percent: number; explanation: string };
  refund_via?: 'card' | 'venue';
  refunds?: { id: string; amount_cents: number; status: string }[];
}

/** `refund_cents` is staff's word against the policy: staff of the facility, with a reason. */
function overrideOf(
  principal: Principal | null,
  facilityId: string,
  body: CancelBookingBody,
): RefundOverride | null {
  if (body.refund_cents === undefined) return null;
  if (principal?.kind !== 'user' || !canManageFacility(principal, facilityId)) {
    throw forbidden('Only staff of this facility may set the refund amount');
  }
  if (body.refund === false) throw badRequest('refund_cents', 'cannot be given with refund: false');
  const reason = body.reason?.trim();
  if (!reason) throw badRequest('reason', 'is required when refund_cents overrides the policy');
  return { actorUserId: principal.userId, amountCents: body.refund_cents, reason };
}

/** Who a refund is recorded against (`refunds.actor`). */
function actorOf(principal: Principal | null): string {
  if (!principal) return 'system';
  return principal.kind === 'user' ? `user:${principal.userId}` : `edge:${principal.edgeId}`;
}

/** Cancel, check in and reschedule: status changes under a row lock, each fed to the edge. */
export class BookingLifecycleService {
  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly availability: AvailabilityService,
    private readonly changeLog: ChangeLogRepository,
    private readonly credentials: CredentialIssuer,
    private readonly events: BookingEvents,
    private readonly refunds: RefundPolicyService,
    private readonly difference: RescheduleDifferenceService,
  ) {}

  /** The refund cancelling now would give (what the customer sees before confirming). */
  async cancellationPreview(principal: Principal | null, id: string): Promise<CancellationPreview> {
    const row = await this.load(principal, id);
    const facility = (await this.facilities.findFacility(row.facilityId))!;
    return this.refunds.preview(row, facility.settings);
  }

  /** The same preview for a caller that proved its access otherwise (a guest's manage token). */
  async cancellationPreviewOf(
    row: BookingRow,
    settings: Record<string, unknown>,
  ): Promise<CancellationPreview> {
    return this.refunds.preview(row, settings);
  }

  private async load(principal: Principal | null, id: string): Promise<BookingRow> {
    const row = await this.repo.findById(id);
    if (!row || (row.status === 'pending' && row.holdExpiresAt)) throw notFound('booking', id);
    assertCanSee(principal, row);
    return row;
  }

  /**
   * Seed `POST /bookings/{id}/cancel`: refund from the facility's cancellation policy, on what was
   * paid online (sent back to the card through Stripe after the commit) or else owed at the venue.
   */
  async cancel(
    principal: Principal | null,
    id: string,
    body: CancelBookingBody,
    recorder?: IdempotencyRecorder,
  ): Promise<CancellationResult> {
    const before = await this.load(principal, id);
    const facility = (await this.facilities.findFacility(before.facilityId))!;
    const override = overrideOf(principal, before.facilityId, body);
    const result = await this.db.transaction(async (tx) => {
      const paidOnline = await this.refunds.paidOnline(tx, id);
      const row = (await this.repo.lockById(tx, id))!;
      assertTransition(row.status as BookingStatus, 'cancelled');
      const outcome = this.refunds.quote(row, facility.settings, paidOnline);
      const refundCents = await this.refunds.decide(
        tx,
        row,
        outcome,
        paidOnline,
        row.priceCents,
        body.refund === false,
        override,
      );
      const updated = await this.repo.update(tx, id, {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancellationReason: body.reason ?? null,
        refundCents,
        paymentStatus: refundCents > 0 ? 'refund_due' : row.paymentStatus,
      });
      const planned = await this.refunds.plan(
        tx,
        id,
        refundCents,
        paidOnline,
        body.reason ? `cancelled: ${body.reason}` : `cancelled (${outcome.rule})`,
        actorOf(principal),
      );
      await this.repo.revokeAccessTokens(tx, id);
      // A booking never confirmed never entered the totals: its refund is not taken off them.
      if (updated.customerId && countsInTotals(row)) {
        await this.repo.addCustomerTotals(tx, updated.customerId, 0, -refundCents);
      }
      await this.repo.enqueueHubspot(tx, [
        { kind: 'booking.cancelled', aggregateId: id, payload: { booking_id: id } },
      ]);
      // Only a booking the customer was told about gets a cancellation (not an unconfirmed hold).
      if (row.status === 'confirmed') {
        await enqueueNotification(tx, {
          bookingId: id,
          facilityId: updated.facilityId,
          kind: 'cancellation',
        });
      }
      const response: CancellationResult = {
        booking: toBookingResponse(updated, null),
        refund_cents: refundCents,
        refund: centsToDollars(refundCents),
        policy: {
          rule: outcome.rule,
          refund_percent: outcome.refund_percent,
          explanation: outcome.explanation,
        },
        refund_via: outcome.via,
        refunds: planned.map((r) => ({ id: r.id, amount_cents: r.amountCents, status: r.status })),
      };
      await recorder?.record(tx, response);
      await this.changeLog.append(tx, updated.facilityId, 'booking', 'upsert', id, toFeedPayload(updated));
      // The QR token keeps a valid signature: the edge must refuse it from now on.
      await this.changeLog.append(tx, updated.facilityId, 'revocation', 'upsert', id, {
        booking_id: id,
        revoked_at: new Date().toISOString(),
        valid_until: new Date(updated.endTime.getTime() + 15 * MINUTE_MS).toISOString(),
        reason: body.reason ? `cancelled: ${body.reason}`.slice(0, 500) : 'cancelled',
      });
      return { response, updated, planned };
    });
    this.refunds.deliverSoon(result.planned.map((r) => r.id));
    // After commit: the waitlist offers the freed time to the next in line.
    try {
      this.events.emit('cancelled', result.updated);
    } catch {
      // A listener's failure must not turn a committed cancellation into an error answer.
    }
    return result.response;
  }

  /**
   * Seed `POST /bookings/{id}/checkin`: QR token, PIN or reference code; `staff` needs staff rights.
   * With an Idempotency-Key the answer is recorded in the check-in's transaction, so a retried
   * check-in replays it instead of failing on the booking being checked in already.
   */
  async checkin(
    principal: Principal | null,
    id: string,
    body: CheckinBody,
    recorder?: IdempotencyRecorder,
  ): Promise<Booking> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('booking', id);
    const staff = canManageFacility(principal, row.facilityId);
    if (body.method === 'staff') {
      if (!staff) throw forbidden('Only staff of this facility may check in without a code');
    } else {
      if (!body.code) throw badRequest('code', `code is required for method ${body.method}`);
      const facility = (await this.facilities.findFacility(row.facilityId))!;
      this.verifyCode(row, body.method, body.code, facility);
    }
    const verdict = checkInVerdict(
      {
        status: row.status as BookingStatus,
        startTime: row.startTime.getTime(),
        endTime: row.endTime.getTime(),
      },
      Date.now(),
    );
    // A second check-in is a 409 here: the API's retries are made safe by Idempotency-Key.
    if (!verdict.ok) throw checkInRefused(verdict);
    return this.db.transaction(async (tx) => {
      const locked = (await this.repo.lockById(tx, id))!;
      assertTransition(locked.status as BookingStatus, 'checked_in');
      const updated = await this.repo.update(tx, id, { status: 'checked_in', checkInTime: new Date() });
      await enqueueHubspotSync(tx, { kind: 'booking.checked_in', bookingId: id });
      await this.repo.markTokenUsed(tx, id, body.method === 'pin' ? 'pin' : 'qr');
      await this.changeLog.append(tx, updated.facilityId, 'booking', 'upsert', id, toFeedPayload(updated));
      const qr = await this.repo.qrTokensOf([id], tx);
      const response = toBookingResponse(updated, qr.get(id) ?? null);
      await recorder?.record(tx, response);
      return response;
    });
  }

  private verifyCode(
    row: BookingRow,
    method: CheckinBody['method'],
    code: string,
    facility: Parameters<CredentialIssuer['doorsFor']>[0],
  ): void {
    const wrong = () =>
      new DomainError('FORBIDDEN', `the ${method.replace('_', ' ')} does not match this booking`, {
        field: 'code',
      });
    if (method === 'pin') {
      if (code !== row.accessCode) throw wrong();
      return;
    }
    if (method === 'reference_code') {
      if (normalizeBookingCode(code) !== row.referenceCode) throw wrong();
      return;
    }
    const door = this.credentials.doorsFor(facility, null)[0] ?? 'main';
    const verdict = this.credentials.verify(code, row.facilityId, door, Date.now());
    // Time validity is judged by the check-in window below; the token must be ours, for this
    // facility and this booking.
    const genuine = verdict.ok || ['not_yet_valid', 'expired', 'wrong_door'].includes(verdict.reason);
    if (!genuine || verdict.claims?.booking_id !== row.id.toLowerCase()) throw wrong();
  }

  /**
   * Moves a pending/confirmed booking to a new time (and optionally bay) of the same facility. The
   * new time is priced for the booking's own customer (a member keeps their price), whoever moves
   * it: the customer, staff, or a guest's manage token. A booking without one pays the public price.
   * `viaManageLink`: the mover proved only the code and email/PIN. A booking an anonymous guest made
   * (no `created_by`) then stays at the public price, as it was sold: knowing a member's email must
   * not turn a public booking into a member-priced one.
   */
  async reschedule(
    principal: Principal | null,
    id: string,
    body: RescheduleBody,
    recorder?: IdempotencyRecorder,
    { viaManageLink = false, returnUrl }: { viaManageLink?: boolean; returnUrl?: string } = {},
  ): Promise<Booking> {
    const row = await this.load(principal, id);
    if (row.status !== 'confirmed' && row.status !== 'pending') {
      throw new DomainError(
        'INVALID_STATE',
        `a ${row.status.replace('_', '-')} booking cannot be rescheduled`,
        {
          field: 'status',
        },
      );
    }
    const simulatorId = body.simulator_id ?? row.simulatorId;
    const duration = body.duration ?? row.duration;
    const start = parseInstant(body.start_time, 'start_time');
    const pricedFor = viaManageLink && row.createdBy === null ? null : row.customerId;
    const checked = await this.availability.check(simulatorId, start, duration, {
      ignoreBusyIds: [id],
      channel: channelOf(principal),
    });
    // Whose price from the rules of the catalog the check validated (the cached copy may be stale).
    const customer = await pricingOf(this.availability, checked.input.pricingRules, pricedFor);
    const { facilityId, bay, input, check } = this.availability.repriced(
      checked,
      simulatorId,
      start,
      duration,
      customer,
    );
    if (facilityId !== row.facilityId) {
      throw badRequest('simulator_id', 'a booking can only move to a bay of the same facility');
    }
    const request = { facilityId, simulatorId, start, duration };
    if (!check.ok) throw slotRefused(check, await this.availability.alternativesFor(request, customer));
    const end = start + duration * MINUTE_MS;
    const policy = await this.difference.policyFor(facilityId);
    try {
      const moved = await this.db.transaction(async (tx) => {
        const paidOnline = await this.difference.paidOnline(tx, id);
        const locked = (await this.repo.lockById(tx, id))!;
        if (locked.status !== row.status)
          throw new DomainError('CONFLICT', 'the booking changed meanwhile; retry');
        await this.repo.claimBays(tx, [simulatorId]);
        const updated = await this.repo.update(tx, id, {
          simulatorId,
          startTime: new Date(start),
          endTime: new Date(end),
          blockedUntil: new Date(end + bufferMinutesOf(input, simulatorId) * MINUTE_MS),
          duration,
          priceCents: check.quote.total_cents,
          priceBreakdown: check.quote.lines,
        });
        await carryRepricing(this.repo, tx, locked, updated);
        let qr: string | null = null;
        if (updated.status === 'confirmed') {
          await this.repo.revokeAccessTokens(tx, id);
          const doors = this.credentials.doorsFor(input.facility, bay.unifi_door_id);
          const issued = this.credentials.issue({
            bookingId: id,
            facilityId,
            simulatorId,
            doors,
            start,
            end,
          });
          qr = issued.qrToken;
          const window = { facilityId, validFrom: issued.validFrom, validUntil: issued.validUntil };
          await this.repo.insertAccessTokens(tx, [
            { bookingId: id, token: issued.qrToken, type: 'qr', ...window },
            {
              bookingId: id,
              token: updated.accessCode ?? '',
              type: 'pin',
              ...window,
              deviceId: doors.join(','),
            },
          ]);
        }
        if (updated.status === 'confirmed') {
          await enqueueNotification(tx, { bookingId: id, facilityId, kind: 'reschedule' });
        }
        const response = toBookingResponse(updated, qr);
        await recorder?.record(tx, response);
        await this.changeLog.append(tx, facilityId, 'booking', 'upsert', id, toFeedPayload(updated));
        const prices = { before: locked.priceCents, after: updated.priceCents };
        const plan = await this.difference.plan(tx, updated, policy, prices, paidOnline, actorOf(principal));
        return { response, plan };
      });
      const due = await this.difference.settle(id, moved.plan, returnUrl ?? body.return_url);
      return due ? { ...moved.response, balance_due: due } : moved.response;
    } catch (error) {
      // A deadlock inside the exclusion check is a lost race too.
      const state = sqlState(error);
      if (state === SQLSTATE.exclusionViolation || state === SQLSTATE.deadlockDetected) {
        throw slotTaken(
          await this.availability.alternativesFor(request, customer),
          'This time was just booked by someone else',
        );
      }
      throw error;
    }
  }
}
