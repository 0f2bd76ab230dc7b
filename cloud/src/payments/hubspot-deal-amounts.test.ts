import { centsToDecimal } from '@clubos/shared/pricing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../testing/hubspot.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type PaidBooking, payHold, setPaymentPolicy } from '../testing/paid-bookings.js';
import { startStripeHubspotHarness } from '../testing/stripe-hubspot.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('HubSpot deal amounts from what was paid on %s', (kind) => {
  let h: Awaited<ReturnType<typeof startStripeHubspotHarness>>;
  let paid: PaidBooking;
  beforeAll(async () => {
    h = await startStripeHubspotHarness(kind);
    // A 40 % deposit: the deal's amount must be the deposit, not the list price.
    await setPaymentPolicy(h, h.w.facilityA, { mode: 'deposit', deposit_bps: 4000 });
    paid = await payHold(h, h.w.bayA1, 30);
    await drain(h.hubspot);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  const dealOf = (bookingId: string) =>
    h.hubspot.sim.state.deals().filter((d) => d.properties.clubos_event_id === `deal:${bookingId}`);

  it('sends the paid deposit as the deal amount once the payment lands', async () => {
    expect(paid.paidCents).toBeLessThan(paid.priceCents);
    const deals = dealOf(paid.bookingId);
    expect(deals).toHaveLength(1);
    expect(deals[0]!.properties.amount).toBe(centsToDecimal(paid.paidCents));
  });

  it('lowers the amount to the net when a refund lands, on the same deal', async () => {
    await h.t.app.services.payments.refund(paid.bookingId, 500, 'goodwill', 'user:staff');
    await h.settle();
    await drain(h.hubspot);
    const deals = dealOf(paid.bookingId);
    expect(deals).toHaveLength(1);
    expect(deals[0]!.properties.amount).toBe(centsToDecimal(paid.paidCents - 500));
  });

  it('opens no deal for a checkout hold whose card was declined (nothing was paid)', async () => {
    const declined = await payHold(h, h.w.bayA2, 31, '4000000000000002');
    await drain(h.hubspot);
    expect(dealOf(declined.bookingId)).toEqual([]);
  });
});
