import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BookingWriter } from './bookings/booking.writer.js';
import { testConfig } from './config.js';
import { asEdge } from './testing/edge-node.js';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from './testing/ops-world.js';
import { createTestApp, type TestApp, testDatabases } from './testing/test-app.js';

// One composition root: the booking route, the waitlist (its offer hold and the accepted offer) and
// the edge feed (a walk-in) all write through the app's ONE BookingWriter, so a facility has one
// group-commit queue and at most one batch in flight (docs/decisions/016-booking-group-commit.md).
describe.each(testDatabases())('one booking writer per app on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('condition not reached');
  };

  it('the booking route, the waitlist and the edge feed write through the same writer', async () => {
    const write = vi.spyOn(BookingWriter.prototype, 'write');
    const writeIn = vi.spyOn(BookingWriter.prototype, 'writeIn');
    const confirmHold = vi.spyOn(BookingWriter.prototype, 'confirmHold');
    try {
      const start = hoursFromNow(30);
      const booked = await book(t, w.tokens.customer, w.bayA1, start);
      const joined = await t.request({
        method: 'POST',
        url: '/api/v1/waitlist',
        token: w.tokens.otherCustomer,
        payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
      });
      expect(joined.statusCode, joined.body).toBe(201);
      const cancelled = await t.request({
        method: 'POST',
        url: `/api/v1/bookings/${booked.id}/cancel`,
        token: w.tokens.customer,
        payload: { reason: 'plans changed' },
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      // The offer (a hold through the writer) is made by an after-commit listener.
      const entry = async () =>
        (await t.request({ method: 'GET', url: '/api/v1/waitlist', token: w.tokens.otherCustomer })).json()
          .entries[0] as { id: string; status: string };
      await eventually(async () => (await entry()).status === 'offered');
      const accepted = await t.request({
        method: 'POST',
        url: `/api/v1/waitlist/${(await entry()).id}/accept`,
        token: w.tokens.otherCustomer,
      });
      expect(accepted.statusCode, accepted.body).toBe(201);

      const walkInStart = hoursFromNow(32);
      const uploaded = await asEdge(t, w.edgeKeyA, 'POST', '/api/v1/edge/events', {
        v: 1,
        facility_id: w.facilityA,
        events: [
          {
            v: 1,
            event_id: randomUUID(),
            type: 'walk_in.created',
            occurred_at: new Date().toISOString(),
            facility_id: w.facilityA,
            payload: {
              booking_id: randomUUID(),
              reference_code: generateBookingCode(),
              simulator_id: w.bayA2,
              start_time: walkInStart,
              end_time: new Date(Date.parse(walkInStart) + 3_600_000).toISOString(),
              duration: 60,
              price_cents: 3500,
              provisional: false,
              excluded_simulator_ids: [],
            },
          },
        ],
      });
      expect(uploaded.statusCode, uploaded.body).toBe(200);
      expect(uploaded.json().results[0].status).toBe('accepted');

      // Booking route + waitlist offer; accepted offer; walk-in: every path was taken ...
      expect(write.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(confirmHold).toHaveBeenCalledTimes(1);
      expect(writeIn).toHaveBeenCalledTimes(1);
      // ... and every call ran on the app's one writer.
      const writers = new Set([
        ...write.mock.contexts,
        ...writeIn.mock.contexts,
        ...confirmHold.mock.contexts,
      ]);
      expect(writers.size).toBe(1);
      expect([...writers][0]).toBe(t.app.services.bookingWriter);
    } finally {
      write.mockRestore();
      writeIn.mockRestore();
      confirmHold.mockRestore();
    }
  });
});

// The HubSpot sync's worker is built by the composition root too; its plugin only starts and stops it.
describe('the HubSpot sync worker comes from the composition root', () => {
  it('is the one the plugin runs, and none without an access token', async () => {
    const on = await createTestApp('pglite', {
      hubspot: { ...testConfig().hubspot, accessToken: 'pat-test', baseUrl: 'http://127.0.0.1:9' },
    });
    try {
      expect(on.app.services.hubspotWorker).not.toBeNull();
      expect(on.app.hubspotSync.worker).toBe(on.app.services.hubspotWorker);
      expect(on.app.hubspotSync.service).toBe(on.app.services.hubspotSync);
    } finally {
      await on.close();
    }
    const off = await createTestApp('pglite');
    try {
      expect(off.app.services.hubspotWorker).toBeNull();
      expect(off.app.hubspotSync.worker).toBeNull();
    } finally {
      await off.close();
    }
  });
});
