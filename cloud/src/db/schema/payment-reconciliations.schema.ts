import type { ReconciliationDiff } from '@clubos/shared/payments';
import { integer, jsonb, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { tstz } from './facilities.schema.js';

/**
 * The nightly reconciliation (owned by `src/payments/`): one report per UTC date compared (a rerun
 * of the same date replaces it), with every difference found and how much was compared.
 */
export const paymentReconciliations = pgTable('payment_reconciliations', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The UTC date whose Stripe objects were compared (YYYY-MM-DD). */
  date: varchar('date', { length: 10 }).notNull().unique(),
  periodStart: tstz('period_start').notNull(),
  periodEnd: tstz('period_end').notNull(),
  ranAt: tstz('ran_at').notNull().defaultNow(),
  stripePayments: integer('stripe_payments').notNull(),
  stripeRefunds: integer('stripe_refunds').notNull(),
  differences: jsonb('differences').$type<ReconciliationDiff[]>().notNull(),
});
