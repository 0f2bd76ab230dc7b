import type {
  Booking,
  BookingLookupBody,
  BookingLookupResponse,
  GuestCancelBody,
  ManagedBooking,
  RescheduleBody,
} from '@clubos/shared/api';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import { normaliseEmail } from '../auth/auth.service.js';
import type { UserPrincipal } from '../auth/index.js';
import { toBookingResponse } from '../bookings/booking.mapper.js';
import type { BookingRow } from '../bookings/booking.repository.js';
import type { BookingLifecycleService, CancellationResult } from '../bookings/booking-lifecycle.service.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import { emailMatches } from '../customers/guest-email.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import { bookingCodeOf, pinMatches } from './booking-proof.js';
import type { GuestAccessRepository } from './guest-access.repository.js';
import type { ManageTokens } from './manage-token.js';

const ACTIVE = new Set(['pending', 'confirmed']);

/**
 * A guest manages one booking without an account: the booking code with the email it was made
 * with (or its PIN) buys a short-lived token scoped to that booking; the token then reads,
 * cancels and reschedules it through the same lifecycle rules members use.
 */
export class GuestAccessService {
  constructor(
    private readonly repo: GuestAccessRepository,
    private readonly lifecycle: BookingLifecycleService,
    private readonly tokens: ManageTokens,
    private readonly limiter: AttemptLimiter,
  ) {}

  async lookup(body: BookingLookupBody): Promise<BookingLookupResponse> {
    if ((body.email === undefined) === (body.pin === undefined)) {
      throw badRequest(
        body.email === undefined ? 'email' : 'pin',
        'Give the email the booking was made with, or its PIN: one of the two',
      );
    }
    const code = bookingCodeOf(body.reference_code);
    await this.limiter.assertAllowed(code, 'reference_code');
    // Two venues may share a code: the PIN or email says which booking is meant.
    let row: BookingRow | undefined;
    for (const candidate of await this.repo.findByReference(code)) {
      const proven =
        body.pin !== undefined
          ? pinMatches(candidate.accessCode, body.pin)
          : await this.bookedWith(candidate, body.email!);
      if (proven) {
        row = candidate;
        break;
      }
    }
    if (!row) {
      await this.limiter.fail(code);
      // The same answer whether the code exists or not: a lookup must not confirm bookings.
      throw new DomainError(
        'NOT_FOUND',
        `No booking matches this booking code and ${body.pin !== undefined ? 'PIN' : 'email'}`,
        { field: 'reference_code' },
      );
    }
    await this.limiter.succeed(code);
    return {
      ...(await this.view(row)),
      manage_token: this.tokens.issue(row.id),
      expires_in: this.tokens.ttlSeconds,
    };
  }

  async get(token: string, id: string): Promise<ManagedBooking> {
    return this.view(await this.authorised(token, id));
  }

  async cancel(
    token: string,
    id: string,
    body: GuestCancelBody,
    recorder?: IdempotencyRecorder,
  ): Promise<CancellationResult> {
    const row = await this.authorised(token, id);
    return this.lifecycle.cancel(
      asBookingCustomer(row),
      id,
      { reason: body.reason ?? 'cancelled by the guest online' },
      recorder,
    );
  }

  async reschedule(
    token: string,
    id: string,
    body: RescheduleBody,
    recorder?: IdempotencyRecorder,
  ): Promise<Booking> {
    const row = await this.authorised(token, id);
    return this.lifecycle.reschedule(asBookingCustomer(row), id, body, recorder, { viaManageLink: true });
  }

  private async authorised(token: string, id: string): Promise<BookingRow> {
    this.tokens.assertFor(token, id);
    const row = await this.repo.findById(id);
    if (!row) throw notFound('booking', id);
    return row;
  }

  private async bookedWith(row: BookingRow, email: string): Promise<boolean> {
    if (!row.customerId) return false;
    const stored = await this.repo.customerEmail(row.customerId);
    return stored !== undefined && emailMatches(stored, row.customerId, normaliseEmail(email));
  }

  private async view(row: BookingRow): Promise<ManagedBooking> {
    const place = await this.repo.placeOf(row);
    const active = ACTIVE.has(row.status);
    const qr = active ? await this.repo.qrTokenOf(row.id) : null;
    return {
      booking: toBookingResponse(row, qr),
      bay_name: place.bayName,
      facility_name: place.facilityName,
      facility_timezone: place.timezone,
      cancellation: active ? await this.lifecycle.cancellationPreviewOf(row, place.settings) : null,
      can_reschedule: active && row.startTime.getTime() > Date.now(),
    };
  }
}

/**
 * The lifecycle service checks access by principal. A verified manage token stands in for the
 * booking's customer, for this one booking only (the caller passes no other id).
 */
function asBookingCustomer(row: BookingRow): UserPrincipal {
  if (!row.customerId) {
    throw new DomainError(
      'INVALID_STATE',
      'This booking was made at the venue without customer details; the venue’s staff can change it',
      { field: 'reference_code' },
    );
  }
  return {
    kind: 'user',
    role: 'customer',
    userId: `guest-booking:${row.id}`,
    email: '',
    customerId: row.customerId,
    facilityIds: [],
  };
}
