import { validate } from '@clubos/shared/schema';
import { BookingFeedDataSchema } from '@clubos/shared/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import { bookAsGuest, type FacilityFixture, openVenue, type Tokens, utcSlot } from '../testing/facility.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

type Item = { entity: string; entity_id: string; data: Record<string, unknown> | null };

describe.each(testDatabases())('booking preferences in the edge feed on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let u: Tokens;
  let key: string;

  beforeAll(async () => {
    ({ t, f, u } = await openVenue(kind));
    ({ key } = await registerEdge(t, u.admin, f.facilityId));
    const stored = await t.request({
      method: 'PATCH',
      url: `/api/v1/customers/${u.customerId}/preferences`,
      payload: { preferred_simulator: f.bayIds[1], notifications: { sms: true } },
      token: u.customer,
    });
    expect(stored.statusCode, stored.body).toBe(200);
  });
  afterAll(async () => t?.close());

  const feed = async (url: string) => (await asEdge(t, key, 'GET', url)).json();
  const bookingData = (items: Item[], id: string) => {
    const data = items.find((i) => i.entity === 'booking' && i.entity_id === id)?.data;
    expect(validate(BookingFeedDataSchema, data).ok).toBe(true);
    return data as Record<string, unknown>;
  };
  const book = async (payload: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/bookings', payload, token: u.customer });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  it("carries the booking's own preferences, else the customer's stored ones, in changes and snapshots", async () => {
    const own = { handedness: 'left', ball: 'TP5' };
    const withOwn = await book({
      simulator_id: f.bayIds[0],
      start_time: utcSlot(2, 10),
      duration: 60,
      preferences: own,
    });
    const withoutOwn = await book({ simulator_id: f.bayIds[0], start_time: utcSlot(2, 12), duration: 60 });
    const guest = await bookAsGuest(t, f.bayIds[1], utcSlot(2, 12), 'guest-prefs@example.com');
    const customerStored = expect.objectContaining({
      preferred_simulator: f.bayIds[1],
      notifications: expect.objectContaining({ sms: true }),
    });

    const { changes } = await feed('/api/v1/edge/changes?after=0');
    expect(bookingData(changes, withOwn).preferences).toEqual(own);
    expect(bookingData(changes, withoutOwn).preferences).toEqual(customerStored);
    expect(bookingData(changes, guest.json().id).preferences).toEqual({});

    const snapshot = await feed('/api/v1/edge/snapshot');
    expect(bookingData(snapshot.items, withOwn).preferences).toEqual(own);
    expect(bookingData(snapshot.items, withoutOwn).preferences).toEqual(customerStored);
  });

  it('keeps them when a later change (a cancellation) rewrites the booking', async () => {
    const id = await book({ simulator_id: f.bayIds[1], start_time: utcSlot(3, 10), duration: 60 });
    const { head } = await feed('/api/v1/edge/changes?after=0');
    const cancelled = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      payload: {},
      token: u.admin,
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const { changes } = await feed(`/api/v1/edge/changes?after=${head}`);
    expect(bookingData(changes, id)).toMatchObject({
      status: 'cancelled',
      preferences: expect.objectContaining({ preferred_simulator: f.bayIds[1] }),
    });
  });
});
