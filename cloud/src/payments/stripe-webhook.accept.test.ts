import { signatureHeader } from '@clubos/simulators/stripe/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { payHold, setPaymentPolicy } from '../testing/paid-bookings.js';
import { type StripeHarness, startStripeHarness, storedEvents, WEBHOOK_SECRET } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';
import { PaymentsRepository } from './payments.repository.js';

describe.each(testDatabases())('a webhook stored and applied in one transaction on %s', (kind) => {
  let h: StripeHarness;
  beforeAll(async () => {
    h = await startStripeHarness(kind);
    await setPaymentPolicy(h, h.w.facilityA);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const post = (event: object) => {
    const body = JSON.stringify(event);
    return h.t.request({
      method: 'POST',
      url: '/api/v1/payments/stripe/webhook',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signatureHeader([WEBHOOK_SECRET], Math.floor(Date.now() / 1000), body),
      },
      payload: body,
    });
  };

  it('is applied by the time it is acknowledged', async () => {
    const paid = await payHold(h, h.w.bayA1, 30);
    const res = await post({
      id: 'evt_refund_inline',
      object: 'event',
      type: 'refund.created',
      data: {
        object: {
          id: 're_inline',
          object: 'refund',
          amount: 500,
          status: 'succeeded',
          payment_intent: paid.intentId,
          metadata: { clubos_booking_id: paid.bookingId, clubos_payment_id: paid.paymentId },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    // No waiting for the background: the refund is in the ledger already.
    const refunds = await new PaymentsRepository(h.t.app.db).refundsOf(paid.bookingId);
    expect(refunds.map((r) => [r.providerRefundId, r.amountCents, r.status])).toEqual([
      ['re_inline', 500, 'succeeded'],
    ]);
    expect((await storedEvents(h)).find((e) => e.id === 'evt_refund_inline')?.appliedAt).not.toBeNull();
  });

  it('still stores and acknowledges an event that cannot be applied, for the retries', async () => {
    const paid = await payHold(h, h.w.bayA2, 31);
    // A negative amount makes the ledger throw: the transaction that would apply it rolls back.
    const res = await post({
      id: 'evt_poison',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: paid.intentId,
          object: 'payment_intent',
          amount: -1,
          amount_received: -1,
          metadata: { clubos_booking_id: paid.bookingId, clubos_payment_id: paid.paymentId },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true, duplicate: false });
    await h.t.app.services.stripeWebhooks.idle();
    const stored = (await storedEvents(h)).find((e) => e.id === 'evt_poison');
    expect(stored).toBeDefined();
    expect(stored?.appliedAt).toBeNull();
    // The payment is untouched by it.
    expect((await new PaymentsRepository(h.t.app.db).findPayment(paid.paymentId))?.amountCents).toBe(
      paid.paidCents,
    );
  });
});
