import type { Facility } from '@clubos/shared/model';
import { sql } from 'drizzle-orm';
import { executeNamed } from '../common/named-statement.js';
import type { Executor } from '../db/client.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { toFeedPayload } from './booking.mapper.js';
import type { BookingRow } from './booking.repository.js';
import { TOKEN } from './booking-write.columns.js';
import type { CredentialIssuer } from './credential.issuer.js';

/** A pending hold its caller has locked (row lock) and judged confirmable by its payment. */
export interface HoldToConfirm {
  hold: BookingRow;
  facility: Facility;
  bayDoorId: string | null;
  paymentStatus: string;
}

/**
 * `BookingWriter.confirmHoldIn` for many holds of ONE facility in one statement (a webhook batch's
 * confirmations): the rows, their door credentials, the customers' totals (locked in id order), the
 * HubSpot and notification outboxes and the change log, whose counter lock is taken last, as
 * `insertBuilt` does. Only pending holds: their time is theirs already, so the exclusion constraint
 * cannot refuse the update (an expired one goes through `confirmHoldIn` in a savepoint). The feed's
 * listeners are told at once, as `append` does, and should be again after the commit (the
 * settlement's `afterApplied`). Returns the confirmed rows.
 */
export async function confirmHoldsIn(
  tx: Executor,
  credentials: CredentialIssuer,
  changeLog: ChangeLogRepository,
  holds: HoldToConfirm[],
): Promise<BookingRow[]> {
  const facilityId = holds[0]?.hold.facilityId;
  if (facilityId === undefined) return [];
  if (holds.some((h) => h.hold.facilityId !== facilityId || h.hold.status !== 'pending'))
    throw new Error('confirmHoldsIn takes pending holds of one facility');
  const now = new Date();
  const tokens: Parameters<typeof TOKEN.json>[0][number][] = [];
  const confirmed = holds.map(({ hold, facility, bayDoorId, paymentStatus }) => {
    const doors = credentials.doorsFor(facility, bayDoorId);
    const issued = credentials.issue({
      bookingId: hold.id,
      facilityId: hold.facilityId,
      simulatorId: hold.simulatorId,
      doors,
      start: hold.startTime.getTime(),
      end: hold.endTime.getTime(),
    });
    const pin = credentials.newPin();
    const window = { validFrom: issued.validFrom, validUntil: issued.validUntil };
    tokens.push(
      { bookingId: hold.id, facilityId: hold.facilityId, token: issued.qrToken, type: 'qr', ...window },
      {
        bookingId: hold.id,
        facilityId: hold.facilityId,
        token: pin,
        type: 'pin',
        ...window,
        deviceId: doors.join(','),
      },
    );
    return {
      ...hold,
      status: 'confirmed',
      holdExpiresAt: null,
      accessCode: pin,
      paymentStatus,
      updatedAt: now,
    } satisfies BookingRow;
  });
  const rows = confirmed.map((r) => ({
    id: r.id,
    access_code: r.accessCode,
    payment_status: r.paymentStatus,
  }));
  const at = now.toISOString();
  const entries = confirmed.map((row) => ({
    entity: 'booking' as const,
    op: 'upsert' as const,
    entityId: row.id,
    data: toFeedPayload(row),
  }));
  const gate = sql`(SELECT (SELECT count(*) FROM upd) + (SELECT count(*) FROM tot)) AS gate`;
  await executeNamed(
    tx,
    sql`WITH upd AS (
      UPDATE bookings b SET status = 'confirmed', hold_expires_at = NULL, access_code = v.access_code,
        payment_status = v.payment_status, updated_at = ${at}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id uuid, access_code text, payment_status text)
      WHERE b.id = v.id
      RETURNING b.id, b.facility_id, b.customer_id, b.price_cents
    ), tok AS (
      INSERT INTO access_tokens (${TOKEN.names})
      SELECT ${TOKEN.selected}
      FROM jsonb_to_recordset(${TOKEN.json(tokens)}::jsonb) AS ${TOKEN.recordset}
      WHERE t.booking_id IN (SELECT id FROM upd)
    ), tot_rows AS (
      SELECT customer_id, count(*)::int AS n, coalesce(sum(price_cents), 0)::int AS s FROM upd
      WHERE customer_id IS NOT NULL GROUP BY customer_id
    ), tot_lock AS (
      SELECT c.id FROM customers c WHERE c.id IN (SELECT customer_id FROM tot_rows) ORDER BY c.id FOR UPDATE
    ), tot AS (
      UPDATE customers SET total_bookings = customers.total_bookings + k.n,
        total_spent_cents = greatest(0, customers.total_spent_cents + k.s),
        last_booking_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
      FROM tot_rows AS k, (SELECT count(*) FROM tot_lock) AS locked
      WHERE customers.id = k.customer_id
      RETURNING customers.id
    ), outbox AS (
      INSERT INTO hubspot_outbox (kind, aggregate_id, payload)
      SELECT 'booking.created', id, jsonb_build_object('booking_id', id) FROM upd
    ), notify AS (
      -- As enqueueNotification: one more than the booking's last confirmation/reschedule/cancellation.
      INSERT INTO notification_messages (booking_id, facility_id, kind, version)
      SELECT u.id, u.facility_id, 'confirmation', coalesce((SELECT max(m.version) FROM notification_messages m
        WHERE m.booking_id = u.id AND m.kind IN ('confirmation', 'reschedule', 'cancellation')), 0) + 1
      FROM upd u
      ON CONFLICT DO NOTHING
    ), ${changeLog.appendParts(facilityId, entries, gate)}
    SELECT count(*) FROM upd`,
  );
  changeLog.appended(facilityId);
  return confirmed;
}
