import { formatMoney } from '@clubos/shared/pricing';
import { type MailServer, startMailServer } from '@clubos/simulators/mail/index';
import { signatureHeader } from '@clubos/simulators/stripe/index';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../config.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { paidBooking, setPaymentPolicy, settleRefunds } from '../testing/paid-bookings.js';
import {
  connectStripe,
  openStripeSimulator,
  type StripeHarness,
  stripePaymentsConfig,
  WEBHOOK_SECRET,
} from '../testing/stripe.js';
import { createTestApp, testDatabases } from '../testing/test-app.js';

/** Payment and refund receipts: written with the ledger step, sent once, read from a real SMTP server. */
describe.each(testDatabases())('payment and refund receipts on %s', (kind) => {
  let h: StripeHarness;
  let mail: MailServer;
  let email: string;
  beforeAll(async () => {
    mail = await startMailServer({ httpPort: false });
    const sim = await openStripeSimulator();
    const t = await createTestApp(kind, {
      payments: stripePaymentsConfig(sim),
      notifications: { ...testConfig().notifications, smtpUrl: mail.smtpUrl, publicUrl: 'http://site.test' },
    });
    h = await connectStripe(t, sim, async () => {
      await t.close();
      await mail.close();
    });
    await setPaymentPolicy(h, h.w.facilityA, { mode: 'full' });
    const res = await h.t.app.db.execute(sql`SELECT email FROM customers WHERE id = ${h.w.customerId}::uuid`);
    email = (res as unknown as { rows: { email: string }[] }).rows[0]!.email;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const receiptRows = async (bookingId: string) =>
    (
      (await h.t.app.db.execute(
        sql`SELECT kind, status, receipt_for FROM notification_messages
          WHERE booking_id = ${bookingId}::uuid AND kind LIKE '%receipt' ORDER BY id`,
      )) as unknown as { rows: { kind: string; status: string; receipt_for: string }[] }
    ).rows;

  it('sends one receipt for the payment and one for the refund, each linking its own page', async () => {
    const paid = await paidBooking(h, h.w.bayA1, 50);
    const receipt = await mail.waitForMessage({ to: email, subject: /^Receipt:/ }, 20_000);
    const amount = formatMoney(paid.price_cents, 'USD');
    expect(receipt.subject).toMatch(new RegExp(`^Receipt: \\${amount} for booking [A-Z0-9-]+$`));
    expect(receipt.text).toContain(`Paid: ${amount}`);
    expect(receipt.text).toContain('How: Booking paid online');
    const link = /View or print the receipt: (\S+)/.exec(receipt.text ?? '')![1]!;
    expect(link).toContain(`/api/v1/bookings/${paid.id}/receipts/${paid.paymentId}?token=`);
    expect(receipt.html).toContain('View or print the receipt');

    // The link opens that receipt without logging in; altered, it opens nothing.
    const page = await h.t.app.inject({ method: 'GET', url: link.replace('http://site.test', '') });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain(amount);
    const forged = await h.t.app.inject({
      method: 'GET',
      url: `${link.replace('http://site.test', '').split('?')[0]}?token=${'x'.repeat(20)}.${'y'.repeat(43)}`,
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.field ?? forged.body).toContain('token');

    const cancelled = await h.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${paid.id}/cancel`,
      token: h.w.tokens.staffA,
      payload: { refund_cents: 1000, reason: 'goodwill' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await settleRefunds(h);
    const refund = await mail.waitForMessage({ to: email, subject: /^Refund:/ }, 20_000);
    expect(refund.subject).toMatch(/^Refund: \$10\.00 for booking /);
    expect(refund.text).toContain('Refunded: $10.00');
    expect(refund.text).toContain('Reason: cancelled: goodwill');

    // Stripe re-sends every event of the booking (a lost acknowledgement): the receipts stay one each.
    const stored = (
      (await h.t.app.db.execute(
        sql`SELECT payload FROM stripe_events WHERE booking_id = ${paid.id}::uuid`,
      )) as unknown as { rows: { payload: unknown }[] }
    ).rows;
    expect(stored.length).toBeGreaterThan(0);
    for (const { payload } of stored) {
      const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const signature = signatureHeader([WEBHOOK_SECRET], Math.floor(Date.now() / 1000), body);
      const res = await fetch(h.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
      expect(res.status).toBe(200);
    }
    await h.settle();
    await expect
      .poll(async () => (await receiptRows(paid.id)).map((r) => `${r.kind}:${r.status}`), { timeout: 15_000 })
      .toEqual(['payment_receipt:sent', 'refund_receipt:sent']);
    expect(mail.messages({ to: email, subject: /^(Receipt|Refund):/ })).toHaveLength(2);

    const inApp = await h.t.request({
      method: 'GET',
      url: '/api/v1/me/notifications',
      token: h.w.tokens.customer,
    });
    const titles = inApp.json().notifications.map((n: { title: string }) => n.title);
    expect(titles).toContain(`Payment of ${amount} received`);
    expect(titles).toContain('Refund of $10.00 sent');
  });
});
