import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addGoldMemberRule, GOLD_CENTS, PUBLIC_CENTS, setMemberTier } from '../testing/member-pricing.js';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

// A waitlist offer is a checkout hold in the waiting customer's name: it carries their price, and
// accepting it books at that price.
describe.each(testDatabases())('waitlist offers at member prices on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    await addGoldMemberRule(t, w);
    await setMemberTier(t, w, w.customerId, 'gold');
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  /** The holder cancels; the waiting customer's entry gets an offer. Returns the entry id and its hold. */
  const offerTo = async (waiter: string, holder: string, start: string) => {
    const held = await book(t, holder, w.bayA1, start);
    const joined = await t.request({
      method: 'POST',
      url: '/api/v1/waitlist',
      token: waiter,
      payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
    });
    expect(joined.statusCode, joined.body).toBe(201);
    const cancelled = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${held.id}/cancel`,
      token: holder,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // The offer is made by an after-commit listener: wait for it.
    for (let i = 0; i < 100; i++) {
      const list = await t.request({ method: 'GET', url: '/api/v1/waitlist', token: waiter });
      const entry = (list.json().entries as { id: string; status: string; offer_booking_id: string }[]).find(
        (e) => e.id === joined.json().id,
      )!;
      if (entry.status === 'offered') {
        const hold = await t.request({
          method: 'GET',
          url: `/api/v1/bookings/${entry.offer_booking_id}`,
          token: w.tokens.admin,
        });
        expect(hold.statusCode, hold.body).toBe(200);
        return { entryId: entry.id, hold: hold.json() as { status: string; price_cents: number } };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no offer was made');
  };

  it("a gold member's offer holds the slot at the member price, and accepting books at it", async () => {
    const { entryId, hold } = await offerTo(w.tokens.customer, w.tokens.otherCustomer, hoursFromNow(40));
    expect(hold).toMatchObject({ status: 'pending', price_cents: GOLD_CENTS });
    const accepted = await t.request({
      method: 'POST',
      url: `/api/v1/waitlist/${entryId}/accept`,
      token: w.tokens.customer,
      payload: {},
    });
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ status: 'confirmed', price_cents: GOLD_CENTS });
  });

  it('a customer without a tier is offered the public price', async () => {
    const { hold } = await offerTo(w.tokens.otherCustomer, w.tokens.customer, hoursFromNow(41));
    expect(hold.price_cents).toBe(PUBLIC_CENTS);
  });
});
