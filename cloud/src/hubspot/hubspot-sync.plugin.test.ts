import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  facilityWithBays,
  guestBooking,
  type HubspotHarness,
  slot,
  startHubspotHarness,
} from '../testing/hubspot.js';
import { testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('the HubSpot sync plugin on %s', (kind) => {
  let h: HubspotHarness;
  let closed = false;

  beforeAll(async () => {
    // Real time and a short poll: the worker runs by itself, as in production.
    h = await startHubspotHarness(kind, { pollIntervalMs: 100 });
  }, 180_000); // a busy shared machine: PGlite start-up, migrations, argon2 logins
  afterAll(async () => {
    if (!closed) await h?.close();
  });

  it('starts its worker when the app is ready and syncs a booking without being driven', async () => {
    const fixture = await facilityWithBays(h.t);
    const booking = await guestBooking(h.t, fixture.bayIds[0]!, slot(2, 10), { email: 'auto@example.com' });
    await vi.waitFor(
      () => {
        expect(h.sim.state.contactByEmail('auto@example.com')).toBeDefined();
        expect(
          h.sim.state
            .notes()
            .some((n) => n.properties.clubos_event_id === `note:${booking.id}:booking.created`),
        ).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
  });

  it('stops its worker on close: nothing reaches HubSpot afterwards', async () => {
    await h.t.close();
    const after = h.sim.state.requests().length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(h.sim.state.requests().length).toBe(after);
    await h.sim.close();
    closed = true;
  });
});
