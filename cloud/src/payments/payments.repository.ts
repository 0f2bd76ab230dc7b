import type { Ledger, LedgerPayment, LedgerRefund, PaymentState, RefundState } from '@clubos/shared/payments';
import { and, eq, sql } from 'drizzle-orm';
import { executeNamed } from '../common/named-statement.js';
import type { Database, Executor } from '../db/client.js';
import { payments, refunds } from '../db/schema/payments.schema.js';

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
interface LedgerLine {
  line: 'p' | 'r';
  id: string;
  payment_id: string | null;
  status: string;
  amount_cents: number;
}

export type PaymentKind = 'online' | 'terminal' | 'cash' | 'no_show_fee';

/** The `payments` and `refunds` tables: the stored ledger of each booking. */
export class PaymentsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Serialises everything that changes one booking's ledger (webhooks, refunds, checkouts) until
   * the transaction ends, without locking the booking row the booking path writes.
   */
  async lockBooking(tx: Executor, bookingId: string): Promise<void> {
    await executeNamed(
      tx,
      sql`select pg_advisory_xact_lock(hashtextextended(${`payments:${bookingId}`}, 0))`,
    );
  }

  /**
   * Orders "an event found no payment for a provider id" against "a payment got that provider id":
   * the first holds the id's lock while it looks up and marks itself held, the second while it
   * records the id and then looks for held events, so neither can miss the other (no lost wake-up).
   * Keyed by the provider ids, so unrelated payments do not wait for each other.
   */
  async lockProviderIds(tx: Executor, ids: string[]): Promise<void> {
    for (const id of [...new Set(ids)].sort()) {
      await executeNamed(
        tx,
        sql`select pg_advisory_xact_lock(hashtextextended(${`payments:provider:${id}`}, 0))`,
      );
    }
  }

  async insertPayment(
    tx: Executor,
    values: Pick<PaymentRow, 'bookingId' | 'facilityId' | 'amountCents' | 'currency'> & {
      kind: PaymentKind;
      provider: 'stripe' | 'venue';
      attempt: number;
    },
  ): Promise<PaymentRow> {
    const [row] = await tx.insert(payments).values(values).returning();
    return row!;
  }

  async findPayment(id: string, tx: Executor = this.db): Promise<PaymentRow | undefined> {
    const [row] = await tx.select().from(payments).where(eq(payments.id, id));
    return row;
  }

  async findPaymentByProviderId(providerPaymentId: string, tx: Executor = this.db) {
    const [row] = await tx.select().from(payments).where(eq(payments.providerPaymentId, providerPaymentId));
    return row;
  }

  async findPaymentByCheckoutId(checkoutId: string, tx: Executor = this.db) {
    const [row] = await tx.select().from(payments).where(eq(payments.providerCheckoutId, checkoutId));
    return row;
  }

  async paymentsOf(bookingId: string, tx: Executor = this.db): Promise<PaymentRow[]> {
    return tx.select().from(payments).where(eq(payments.bookingId, bookingId)).orderBy(payments.createdAt);
  }

  async refundsOf(bookingId: string, tx: Executor = this.db): Promise<RefundRow[]> {
    return tx.select().from(refunds).where(eq(refunds.bookingId, bookingId)).orderBy(refunds.seq);
  }

  /**
   * The booking's ledger as the pure state machine sees it (payments and refunds by row id), in
   * one prepared statement: every webhook reads it (bench/payments-webhooks.md).
   */
  async ledgerOf(tx: Executor, bookingId: string): Promise<Ledger> {
    const { rows } = await executeNamed<LedgerLine>(
      tx,
      sql`select 'p' as line, id, null::uuid as payment_id, status, amount_cents from payments where booking_id = ${bookingId}
          union all
          select 'r', id, payment_id, status, amount_cents from refunds where booking_id = ${bookingId}`,
    );
    const ledger: { payments: Record<string, LedgerPayment>; refunds: Record<string, LedgerRefund> } = {
      payments: {},
      refunds: {},
    };
    for (const r of rows) {
      const amountCents = Number(r.amount_cents);
      if (r.line === 'p')
        ledger.payments[r.id] = { ref: r.id, status: r.status as PaymentState, amountCents };
      else
        ledger.refunds[r.id] = {
          ref: r.id,
          paymentRef: r.payment_id!,
          status: r.status as RefundState,
          amountCents,
        };
    }
    return ledger;
  }

  async nextAttempt(tx: Executor, bookingId: string, kind: PaymentKind): Promise<number> {
    const [row] = await tx
      .select({ max: sql<number>`coalesce(max(${payments.attempt}), 0)::int` })
      .from(payments)
      .where(and(eq(payments.bookingId, bookingId), eq(payments.kind, kind)));
    return (row?.max ?? 0) + 1;
  }

  async updatePayment(
    tx: Executor,
    id: string,
    values: Partial<
      Pick<PaymentRow, 'status' | 'amountCents' | 'providerPaymentId' | 'providerCheckoutId' | 'succeededAt'>
    >,
  ): Promise<void> {
    await tx
      .update(payments)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(payments.id, id));
  }

  async nextRefundSeq(tx: Executor, bookingId: string): Promise<number> {
    const [row] = await tx
      .select({ max: sql<number>`coalesce(max(${refunds.seq}), 0)::int` })
      .from(refunds)
      .where(eq(refunds.bookingId, bookingId));
    return (row?.max ?? 0) + 1;
  }

  async insertRefund(
    tx: Executor,
    values: Pick<RefundRow, 'paymentId' | 'bookingId' | 'seq' | 'amountCents' | 'reason' | 'actor'> &
      Partial<Pick<RefundRow, 'providerRefundId' | 'status'>>,
  ): Promise<RefundRow> {
    const [row] = await tx.insert(refunds).values(values).returning();
    return row!;
  }

  async findRefund(id: string, tx: Executor = this.db): Promise<RefundRow | undefined> {
    const [row] = await tx.select().from(refunds).where(eq(refunds.id, id));
    return row;
  }

  async findRefundByProviderId(providerRefundId: string, tx: Executor = this.db) {
    const [row] = await tx.select().from(refunds).where(eq(refunds.providerRefundId, providerRefundId));
    return row;
  }

  async updateRefund(
    tx: Executor,
    id: string,
    values: Partial<Pick<RefundRow, 'status' | 'amountCents' | 'providerRefundId'>>,
  ): Promise<void> {
    await tx
      .update(refunds)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(refunds.id, id));
  }
}
