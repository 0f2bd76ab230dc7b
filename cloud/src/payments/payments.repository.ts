import type { Ledger, LedgerPayment, LedgerRefund, PaymentState, RefundState } from '@clubos/shared/payments';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
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

export type NewRefund = Pick<
  RefundRow,
  'facilityId' | 'paymentId' | 'bookingId' | 'seq' | 'amountCents' | 'reason' | 'actor'
> &
  Partial<Pick<RefundRow, 'id' | 'providerRefundId' | 'status'>>;
interface BatchRefundLine {
  booking_id: string;
  seq: number | null;
  provider_refund_id: string | null;
}
/** A refund row as a webhook batch looks it up (by our id or Stripe's). */
export interface BatchRefund {
  id: string;
  bookingId: string;
  seq: number;
  providerRefundId: string | null;
}
/** One payment's change in a webhook batch: null leaves the column as it is. */
export interface PaymentUpdate {
  id: string;
  status: string | null;
  amount_cents: number | null;
  provider_payment_id: string | null;
  provider_checkout_id: string | null;
  succeeded: boolean;
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
    await this.lockKeys(
      tx,
      ids.map((id) => `payments:provider:${id}`),
    );
  }

  /** `lockBooking` for every booking of a webhook batch, in one statement. */
  async lockBookings(tx: Executor, bookingIds: string[]): Promise<void> {
    await this.lockKeys(
      tx,
      bookingIds.map((id) => `payments:${id}`),
    );
  }

  /** Advisory locks taken in sorted order (so two batches never wait for each other in a cycle). */
  private async lockKeys(tx: Executor, keys: string[]): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return;
    await executeNamed(
      tx,
      sql`select pg_advisory_xact_lock(hashtextextended(k, 0))
          from jsonb_array_elements_text(${JSON.stringify(sorted)}::jsonb) with ordinality as t(k, n)`,
    );
  }

  /** The payments any of these ids name (ours, the PaymentIntent's, the Checkout Session's): one statement per batch. */
  async paymentsMatching(
    tx: Executor,
    ids: { ours: string[]; provider: string[]; checkout: string[] },
  ): Promise<PaymentRow[]> {
    const conditions = [
      ids.ours.length > 0 ? inArray(payments.id, ids.ours) : undefined,
      ids.provider.length > 0 ? inArray(payments.providerPaymentId, ids.provider) : undefined,
      ids.checkout.length > 0 ? inArray(payments.providerCheckoutId, ids.checkout) : undefined,
    ].filter((c) => c !== undefined);
    if (conditions.length === 0) return [];
    return tx
      .select()
      .from(payments)
      .where(or(...conditions));
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

  /**
   * The ledgers of a webhook batch's bookings in one statement, with the refund rows the batch's
   * refund events may name (by our id or Stripe's, whichever booking they belong to).
   */
  async ledgersOf(
    tx: Executor,
    bookingIds: string[],
    refundIds: string[],
    providerRefundIds: string[],
  ): Promise<{ ledgers: Map<string, Ledger>; refunds: BatchRefund[] }> {
    const { rows } = await executeNamed<LedgerLine & BatchRefundLine>(
      tx,
      sql`with b as (select v::uuid as id from jsonb_array_elements_text(${JSON.stringify(bookingIds)}::jsonb) v)
          select 'p' as line, id, booking_id, null::uuid as payment_id, status, amount_cents,
                 null::int as seq, null::text as provider_refund_id
          from payments where booking_id in (select id from b)
          union all
          select 'r', id, booking_id, payment_id, status, amount_cents, seq, provider_refund_id::text
          from refunds
          where booking_id in (select id from b)
             or id in (select v::uuid from jsonb_array_elements_text(${JSON.stringify(refundIds)}::jsonb) v)
             or provider_refund_id in (select jsonb_array_elements_text(${JSON.stringify(providerRefundIds)}::jsonb))`,
    );
    const ledgers = new Map<string, Ledger>(
      bookingIds.map((id) => [id, { payments: {}, refunds: {} }] as const),
    );
    const found: BatchRefund[] = [];
    for (const r of rows) {
      const amountCents = Number(r.amount_cents);
      const ledger = ledgers.get(r.booking_id) as
        | { payments: Record<string, LedgerPayment>; refunds: Record<string, LedgerRefund> }
        | undefined;
      if (r.line === 'p') {
        if (ledger) ledger.payments[r.id] = { ref: r.id, status: r.status as PaymentState, amountCents };
        continue;
      }
      const status = r.status as RefundState;
      if (ledger) ledger.refunds[r.id] = { ref: r.id, paymentRef: r.payment_id!, status, amountCents };
      found.push({
        id: r.id,
        bookingId: r.booking_id,
        seq: Number(r.seq),
        providerRefundId: r.provider_refund_id,
      });
    }
    return { ledgers, refunds: found };
  }

  /**
   * A webhook batch's payment changes in one statement; a null field is left as it is (the
   * provider ids are only ever set once).
   */
  async updatePayments(tx: Executor, updates: PaymentUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    await executeNamed(
      tx,
      sql`update payments p set
            status = coalesce(v.status, p.status),
            amount_cents = coalesce(v.amount_cents, p.amount_cents),
            provider_payment_id = coalesce(p.provider_payment_id, v.provider_payment_id),
            provider_checkout_id = coalesce(p.provider_checkout_id, v.provider_checkout_id),
            succeeded_at = case when v.succeeded then now() else p.succeeded_at end,
            updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(id uuid, status text,
            amount_cents int, provider_payment_id text, provider_checkout_id text, succeeded boolean)
          where p.id = v.id`,
    );
  }

  async insertRefunds(tx: Executor, rows: NewRefund[]): Promise<void> {
    if (rows.length > 0) await tx.insert(refunds).values(rows);
  }

  /** A webhook batch's refund changes in one statement (`updateRefund` for each; absent fields kept). */
  async updateRefunds(
    tx: Executor,
    updates: {
      id: string;
      values: Partial<Pick<RefundRow, 'status' | 'amountCents' | 'providerRefundId'>>;
    }[],
  ): Promise<void> {
    if (updates.length === 0) return;
    const rows = updates.map(({ id, values }) => ({
      id,
      status: values.status ?? null,
      amount_cents: values.amountCents ?? null,
      provider_refund_id: values.providerRefundId ?? null,
    }));
    await executeNamed(
      tx,
      sql`update refunds r set
            status = coalesce(v.status, r.status),
            amount_cents = coalesce(v.amount_cents, r.amount_cents),
            provider_refund_id = coalesce(v.provider_refund_id, r.provider_refund_id),
            updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, status text,
            amount_cents int, provider_refund_id text)
          where r.id = v.id`,
    );
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

  async insertRefund(tx: Executor, values: NewRefund): Promise<RefundRow> {
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
