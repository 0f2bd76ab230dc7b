import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmationTraces,
  confirmHoldRequest,
  expireHold,
  sessionIdOf,
  setPolicy,
} from '../testing/checkout.js';
import { SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { holdFor, type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('the cloud sweeps run-out checkout holds on its own on %s', (kind) => {
  let h: StripeHarness;
  beforeAll(async () => {
    h = await startStripeHarness(kind, { expirySweepMs: 100 });
    await setPolicy(h, h.w.facilityA, { mode: 'full' });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => h?.close());

  it('expires the session and the hold without being asked', async () => {
    const held = await holdFor(h, h.w.bayA1, 50);
    const res = await confirmHoldRequest(h, held);
    expect(res.statusCode, res.body).toBe(201);
    const sessionId = sessionIdOf(res.json().checkout_url);
    await expireHold(h, held.id);
    for (let i = 0; i < 100 && (await confirmationTraces(h, held.id)).row?.status !== 'expired'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await confirmationTraces(h, held.id)).row?.status).toBe('expired');
    expect(h.sim.store.checkoutSessions.require(sessionId).status).toBe('expired');
  });
});
