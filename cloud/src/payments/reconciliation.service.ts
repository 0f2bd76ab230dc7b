import type { ReconciliationReport } from '@clubos/shared/api/payment-reports.schemas';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import { type ReconciledRecord, reconcileRecords } from '@clubos/shared/payments';
import { addDays } from '@clubos/shared/time';
import { DateTime } from 'luxon';
import type Stripe from 'stripe';
import type { ReconciliationRepository, ReconciliationRow } from './reconciliation.repository.js';
import { isMissingAtStripe } from './stripe.client.js';
import { META } from './stripe-event.mapper.js';

/** A PaymentIntent's state in our ledger's words (a declined attempt waits for another card: failed). */
function intentState(pi: Stripe.PaymentIntent): string {
  if (pi.status === 'succeeded') return 'succeeded';
  if (pi.status === 'canceled') return 'canceled';
  if (pi.status === 'requires_payment_method' && pi.last_payment_error) return 'failed';
  return 'pending';
}

const REFUND_STATES: Record<string, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
};

const fromIntent = (pi: Stripe.PaymentIntent): ReconciledRecord => ({
  providerId: pi.id,
  ourId: pi.metadata?.[META.payment] ?? null,
  bookingId: pi.metadata?.[META.booking] ?? null,
  amountCents: pi.status === 'succeeded' ? pi.amount_received : pi.amount,
  status: intentState(pi),
});

const fromRefund = (r: Stripe.Refund): ReconciledRecord => ({
  providerId: r.id,
  ourId: r.metadata?.[META.refund] ?? null,
  bookingId: r.metadata?.[META.booking] ?? null,
  amountCents: r.amount,
  status: REFUND_STATES[r.status ?? ''] ?? 'pending',
});

/**
 * The nightly reconciliation (docs/decisions/018-payments.md): Stripe's PaymentIntents and Refunds
 * created on a UTC date, listed with the SDK's auto-pagination, against our ledger rows; every
 * difference is stored as that date's report and logged. Our rows of the period that Stripe's list
 * lacks are looked up one by one (created just across midnight, or truly missing at Stripe).
 */
export class ReconciliationService {
  constructor(
    private readonly repo: ReconciliationRepository,
    private readonly stripe: Stripe | null,
    private readonly warn: (message: string, details: object) => void,
  ) {}

  async run(date: string): Promise<ReconciliationReport> {
    const stripe = this.stripe;
    if (!stripe)
      throw new DomainError('UNPROCESSABLE', 'Online payment is off (no Stripe key): nothing to reconcile');
    assertDate(date);
    const from = new Date(`${date}T00:00:00Z`);
    const to = new Date(`${addDays(date, 1)}T00:00:00Z`);
    const created = { gte: from.getTime() / 1000, lt: to.getTime() / 1000 };

    const intents: ReconciledRecord[] = [];
    for await (const pi of stripe.paymentIntents.list({ created, limit: 100 })) intents.push(fromIntent(pi));
    const stripeRefunds: ReconciledRecord[] = [];
    for await (const r of stripe.refunds.list({ created, limit: 100 })) stripeRefunds.push(fromRefund(r));

    const ourPayments = (
      await this.repo.stripePayments(
        from,
        to,
        intents.map((i) => i.providerId),
      )
    ).map(
      (p): ReconciledRecord => ({
        providerId: p.providerPaymentId!,
        ourId: p.id,
        bookingId: p.bookingId,
        amountCents: p.amountCents,
        status: p.status,
      }),
    );
    const ourRefunds = (
      await this.repo.stripeRefunds(
        from,
        to,
        stripeRefunds.map((r) => r.providerId),
      )
    ).map(
      (r): ReconciledRecord => ({
        providerId: r.providerRefundId!,
        ourId: r.id,
        bookingId: r.bookingId,
        amountCents: r.amountCents,
        status: r.status,
      }),
    );
    await this.fillIn(intents, ourPayments, (id) => stripe.paymentIntents.retrieve(id).then(fromIntent));
    await this.fillIn(stripeRefunds, ourRefunds, (id) => stripe.refunds.retrieve(id).then(fromRefund));

    const differences = [
      ...reconcileRecords('payment', intents, ourPayments),
      ...reconcileRecords('refund', stripeRefunds, ourRefunds),
    ];
    const row = await this.repo.save({
      date,
      periodStart: from,
      periodEnd: to,
      stripePayments: intents.length,
      stripeRefunds: stripeRefunds.length,
      differences,
    });
    for (const d of differences) this.warn(`payments reconciliation ${date}: ${d.object} ${d.kind}`, d);
    return toReport(row);
  }

  /** Yesterday (UTC) — what the nightly job compares. */
  runYesterday(now = Date.now()): Promise<ReconciliationReport> {
    return this.run(addDays(DateTime.fromMillis(now, { zone: 'utc' }).toISODate()!, -1));
  }

  async report(date: string | undefined): Promise<ReconciliationReport> {
    if (date !== undefined) assertDate(date);
    const row = await this.repo.find(date);
    if (!row) throw notFound('Reconciliation report', date ?? 'latest');
    return toReport(row);
  }

  /** Adds Stripe's own record of our rows its list for the period did not have. */
  private async fillIn(
    listed: ReconciledRecord[],
    ours: ReconciledRecord[],
    retrieve: (id: string) => Promise<ReconciledRecord>,
  ): Promise<void> {
    const known = new Set(listed.map((r) => r.providerId));
    for (const row of ours) {
      if (known.has(row.providerId)) continue;
      try {
        listed.push(await retrieve(row.providerId));
      } catch (error) {
        if (!isMissingAtStripe(error)) throw error;
      }
    }
  }
}

function assertDate(date: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid) {
    throw badRequest('date', `'${date}' is not a calendar date (YYYY-MM-DD)`);
  }
}

const toReport = (row: ReconciliationRow): ReconciliationReport => ({
  date: row.date,
  period_start: row.periodStart.toISOString(),
  period_end: row.periodEnd.toISOString(),
  ran_at: row.ranAt.toISOString(),
  stripe_payments: row.stripePayments,
  stripe_refunds: row.stripeRefunds,
  differences: row.differences,
});
