import type { Booking } from '@clubos/shared/api';
import { centsToDollars } from '@clubos/shared/pricing';
import type { BookingFeedData } from '@clubos/shared/sync';
import type { BookingRow } from './booking.repository.js';

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** The API shape of a booking (seed names; money as decimal `price` plus `price_cents`). */
export function toBookingResponse(row: BookingRow, qrToken: string | null): Booking {
  const metadata = (row.metadata ?? {}) as { preferences?: Record<string, unknown> };
  return {
    id: row.id,
    facility_id: row.facilityId,
    simulator_id: row.simulatorId,
    customer_id: row.customerId,
    start_time: row.startTime.toISOString(),
    end_time: row.endTime.toISOString(),
    duration: row.duration,
    status: row.status,
    type: row.type,
    series_id: row.seriesId,
    recurrence_rule: row.recurrenceRule ?? null,
    price: centsToDollars(row.priceCents),
    price_cents: row.priceCents,
    payment_status: row.paymentStatus,
    reference_code: row.referenceCode,
    access_code: row.accessCode,
    qr_code: qrToken,
    hold_expires_at: isoOrNull(row.holdExpiresAt),
    check_in_time: isoOrNull(row.checkInTime),
    cancelled_at: isoOrNull(row.cancelledAt),
    cancellation_reason: row.cancellationReason,
    refund_cents: row.refundCents,
    refund: row.refundCents === null ? null : centsToDollars(row.refundCents),
    preferences: metadata.preferences ?? {},
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * What the edge replicates for a booking (change log `booking.upsert`): enough to admit the
 * customer by PIN or reference code and to run the bay session, nothing more.
 *
 * `preferences` (what the bay sets up at `session.prepare`) are the booking's own when it has any,
 * else `customerPreferences`, the customer's stored ones, when the caller has them at hand. When it
 * has not (`undefined`), the key is left out and the change log fills in the customer's stored
 * preferences in the same statement that appends the entry (`ChangeLogRepository.appendMany`).
 */
export function toFeedPayload(
  row: BookingRow,
  customerPreferences?: Record<string, unknown> | null,
): BookingFeedData {
  const own = ((row.metadata ?? {}) as { preferences?: unknown }).preferences;
  const hasOwn =
    own !== null && typeof own === 'object' && !Array.isArray(own) && Object.keys(own).length > 0;
  const preferences = hasOwn
    ? (own as Record<string, unknown>)
    : customerPreferences === undefined
      ? undefined
      : (customerPreferences ?? {});
  return {
    id: row.id,
    facility_id: row.facilityId,
    simulator_id: row.simulatorId,
    customer_id: row.customerId,
    start_time: row.startTime.toISOString(),
    end_time: row.endTime.toISOString(),
    blocked_until: row.blockedUntil.toISOString(),
    status: row.status,
    access_code: row.accessCode,
    reference_code: row.referenceCode,
    updated_at: row.updatedAt.toISOString(),
    ...(preferences === undefined ? {} : { preferences }),
  };
}
