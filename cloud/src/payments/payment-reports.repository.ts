import type { SignedMovement } from '@clubos/shared/payments';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bookings } from '../db/schema/bookings.schema.js';
import { payments, refunds } from '../db/schema/payments.schema.js';

export type ReportPayment = typeof payments.$inferSelect;
export type ReportRefund = typeof refunds.$inferSelect & { currency: string; facilityId: string };

/** When a payment counts: the moment it succeeded, or (never succeeded) when it was started. */
const paymentDay = sql`coalesce(${payments.succeededAt}, ${payments.createdAt})`;

const refundColumns = {
  id: refunds.id,
  paymentId: refunds.paymentId,
  bookingId: refunds.bookingId,
  seq: refunds.seq,
  amountCents: refunds.amountCents,
  reason: refunds.reason,
  actor: refunds.actor,
  providerRefundId: refunds.providerRefundId,
  status: refunds.status,
  createdAt: refunds.createdAt,
  updatedAt: refunds.updatedAt,
  currency: payments.currency,
  facilityId: payments.facilityId,
};

/** Read-only queries of the ledger tables for the admin money views and the dashboard. */
export class PaymentReportsRepository {
  constructor(private readonly db: Database) {}

  async bookingFacility(bookingId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ facilityId: bookings.facilityId })
      .from(bookings)
      .where(eq(bookings.id, bookingId));
    if (row) return row.facilityId;
    // An expired checkout hold is deleted; its payments keep the facility.
    const [paid] = await this.db
      .select({ facilityId: payments.facilityId })
      .from(payments)
      .where(eq(payments.bookingId, bookingId))
      .limit(1);
    return paid?.facilityId;
  }

  async paymentsOfBooking(bookingId: string): Promise<ReportPayment[]> {
    return this.db
      .select()
      .from(payments)
      .where(eq(payments.bookingId, bookingId))
      .orderBy(asc(payments.createdAt), asc(payments.attempt));
  }

  async refundsOfBooking(bookingId: string): Promise<ReportRefund[]> {
    return this.db
      .select(refundColumns)
      .from(refunds)
      .innerJoin(payments, eq(payments.id, refunds.paymentId))
      .where(eq(refunds.bookingId, bookingId))
      .orderBy(asc(refunds.seq));
  }

  async paymentsBetween(facilityId: string, from: Date, to: Date): Promise<ReportPayment[]> {
    return this.db
      .select()
      .from(payments)
      .where(
        and(eq(payments.facilityId, facilityId), sql`${paymentDay} >= ${from}`, sql`${paymentDay} < ${to}`),
      )
      .orderBy(asc(paymentDay), asc(payments.id));
  }

  /**
   * Money that moved in `[from, to)`: each succeeded payment (+, when it succeeded; one recorded
   * without that instant, when it was made) and succeeded refund (−, when it was made), the same
   * days as the payout totals. The dashboard's revenue.
   */
  async movementsBetween(facilityId: string, from: Date, to: Date): Promise<SignedMovement[]> {
    const paid = await this.db
      .select({ at: sql<Date>`${paymentDay}`.mapWith(payments.createdAt), cents: payments.amountCents })
      .from(payments)
      .where(
        and(
          eq(payments.facilityId, facilityId),
          eq(payments.status, 'succeeded'),
          sql`${paymentDay} >= ${from}`,
          sql`${paymentDay} < ${to}`,
        ),
      );
    const refunded = await this.db
      .select({ at: refunds.createdAt, cents: refunds.amountCents })
      .from(refunds)
      .innerJoin(payments, eq(payments.id, refunds.paymentId))
      .where(
        and(
          eq(payments.facilityId, facilityId),
          eq(refunds.status, 'succeeded'),
          gte(refunds.createdAt, from),
          lt(refunds.createdAt, to),
        ),
      );
    return [
      ...paid.map((p) => ({ at: p.at.getTime(), signedCents: p.cents })),
      ...refunded.map((r) => ({ at: r.at.getTime(), signedCents: -r.cents })),
    ];
  }

  async refundsBetween(facilityId: string, from: Date, to: Date): Promise<ReportRefund[]> {
    return this.db
      .select(refundColumns)
      .from(refunds)
      .innerJoin(payments, eq(payments.id, refunds.paymentId))
      .where(
        and(eq(payments.facilityId, facilityId), gte(refunds.createdAt, from), lt(refunds.createdAt, to)),
      )
      .orderBy(asc(refunds.createdAt), asc(refunds.id));
  }
}
