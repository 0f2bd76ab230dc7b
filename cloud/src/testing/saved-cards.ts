import { expect } from 'vitest';
import type { StripeHarness } from './stripe.js';

/** A customer saves a card for a facility's no-show fee the way the site does it: consent, Checkout in setup mode. */
export async function saveCardFor(
  h: StripeHarness,
  token: string,
  facilityId: string,
  card: string,
): Promise<{ consent_text: string; checkout_url: string }> {
  const res = await h.t.request({
    method: 'POST',
    url: '/api/v1/customers/me/card',
    token,
    payload: { facility_id: facilityId, return_url: 'http://site.test/account', accept_consent: true },
  });
  expect(res.statusCode, res.body).toBe(201);
  const session = h.sim.store.checkoutSessions.require(res.json().checkout_url.split('/').pop());
  h.sim.control.payCheckoutSession(session.id, { number: card });
  await h.settle();
  return res.json();
}

/** Takes every saved card off Stripe's customers (a customer who removed their card). */
export async function detachSavedCards(h: StripeHarness): Promise<void> {
  for (const pm of h.sim.store.paymentMethods.all().filter((p) => p.customer)) {
    await h.t.app.services.stripe!.paymentMethods.detach(pm.id);
  }
}
