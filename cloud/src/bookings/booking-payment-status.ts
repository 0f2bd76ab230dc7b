import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { executeNamed } from '../common/named-statement.js';
import type { Executor } from '../db/client.js';
import { bookings } from '../db/schema/bookings.schema.js';

/** What the payments side reads of a booking to decide its `payment_status`. */
export interface BookingMoney {
  status: string;
  paymentStatus: string | null;
  priceCents: number;
  refundCents: number | null;
}

/** The booking's money columns, or undefined while the booking has not reached the cloud. */
export async function bookingMoneyOf(tx: Executor, id: string): Promise<BookingMoney | undefined> {
  const [row] = await tx
    .select({
      status: bookings.status,
      paymentStatus: bookings.paymentStatus,
      priceCents: bookings.priceCents,
      refundCents: bookings.refundCents,
    })
    .from(bookings)
    .where(eq(bookings.id, id));
  return row;
}

/**
 * Sets `payment_status` only while it is one of `from` (a concurrent cancellation's `refund_due`
 * is never overwritten by a payment's `paid`, nor the reverse): the update re-checks what it read.
 */
export async function setPaymentStatus(
  tx: Executor,
  id: string,
  to: string,
  from: readonly (string | null)[],
): Promise<void> {
  const was = await bookingMoneyOf(tx, id);
  if (!was || was.paymentStatus === to || !from.includes(was.paymentStatus)) return;
  const unchanged =
    was.paymentStatus === null
      ? isNull(bookings.paymentStatus)
      : eq(bookings.paymentStatus, was.paymentStatus);
  await tx
    .update(bookings)
    .set({ paymentStatus: to, updatedAt: new Date() })
    .where(and(eq(bookings.id, id), unchanged));
}

/** `bookingMoneyOf` for many bookings in one statement (a webhook batch's). */
export async function bookingMoneyOfMany(tx: Executor, ids: string[]): Promise<Map<string, BookingMoney>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({
      id: bookings.id,
      status: bookings.status,
      paymentStatus: bookings.paymentStatus,
      priceCents: bookings.priceCents,
      refundCents: bookings.refundCents,
    })
    .from(bookings)
    .where(inArray(bookings.id, ids));
  return new Map(rows.map(({ id, ...money }) => [id, money]));
}

/**
 * Many `setPaymentStatus` in one statement: each row changes only while its `payment_status` is
 * still `was` (what the caller read under the booking's locks).
 */
export async function setPaymentStatuses(
  tx: Executor,
  changes: { id: string; to: string; was: string | null }[],
): Promise<void> {
  if (changes.length === 0) return;
  await executeNamed(
    tx,
    sql`update bookings b set payment_status = v.to, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as v(id uuid, "to" text, was text)
        where b.id = v.id and b.payment_status is not distinct from v.was`,
  );
}
