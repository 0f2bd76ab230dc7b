import type { ReconciliationDiff } from '@clubos/shared/payments';
import { and, desc, eq, gte, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { paymentReconciliations } from '../db/schema/payment-reconciliations.schema.js';
import { payments, refunds } from '../db/schema/payments.schema.js';

export type ReconciliationRow = typeof paymentReconciliations.$inferSelect;

/** The `payment_reconciliations` reports, and the ledger rows a reconciliation compares (read only). */
export class ReconciliationRepository {
  constructor(private readonly db: Database) {}

  /** Our Stripe payments made in the period, or whose intent is among `providerIds`. */
  async stripePayments(from: Date, to: Date, providerIds: string[]) {
    const inPeriod = and(gte(payments.createdAt, from), lt(payments.createdAt, to));
    return this.db
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.provider, 'stripe'),
          isNotNull(payments.providerPaymentId),
          providerIds.length > 0 ? or(inPeriod, inArray(payments.providerPaymentId, providerIds)) : inPeriod,
        ),
      );
  }

  /** Our refunds known to Stripe, made in the period or among `providerIds`. */
  async stripeRefunds(from: Date, to: Date, providerIds: string[]) {
    const inPeriod = and(gte(refunds.createdAt, from), lt(refunds.createdAt, to));
    return this.db
      .select()
      .from(refunds)
      .where(
        and(
          isNotNull(refunds.providerRefundId),
          providerIds.length > 0 ? or(inPeriod, inArray(refunds.providerRefundId, providerIds)) : inPeriod,
        ),
      );
  }

  /** Stores the date's report, replacing an earlier run of the same date. */
  async save(values: {
    date: string;
    periodStart: Date;
    periodEnd: Date;
    stripePayments: number;
    stripeRefunds: number;
    differences: ReconciliationDiff[];
  }): Promise<ReconciliationRow> {
    const ranAt = new Date();
    const [row] = await this.db
      .insert(paymentReconciliations)
      .values({ ...values, ranAt })
      .onConflictDoUpdate({ target: paymentReconciliations.date, set: { ...values, ranAt } })
      .returning();
    return row!;
  }

  async find(date: string | undefined): Promise<ReconciliationRow | undefined> {
    const query = this.db.select().from(paymentReconciliations);
    const [row] = await (date === undefined
      ? query.orderBy(desc(paymentReconciliations.date)).limit(1)
      : query.where(eq(paymentReconciliations.date, date)));
    return row;
  }
}
