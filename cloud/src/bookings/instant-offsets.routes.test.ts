import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, loginAdmin } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

interface ListedSlot {
  start_time: string;
  start_local: string;
}

const ZONE = 'America/Toronto';
const guest = { email: 'offsets@example.com', first_name: 'Olive', last_name: 'Offset' };

// The instants a listing gives in a venue's zone (`start_local`, with its offset) are instants the
// API takes back: every start, in both its forms, on every route that takes one.
describe.each(testDatabases())('instants with any offset on %s', { timeout: 180_000 }, (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let slots: ListedSlot[];
  let admin: string;
  const date = DateTime.now().setZone(ZONE).plus({ days: 3 }).toISODate()!;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await loginAdmin(t);
    f = await createFacility(t, { timezone: ZONE, bays: 4, open: '10:00', close: '16:00' });
    const listing = await t.request({
      method: 'GET',
      url: `/api/v1/availability?simulator_id=${f.bayIds[0]}&date=${date}&duration=60&timezone=${encodeURIComponent(ZONE)}`,
    });
    expect(listing.statusCode, listing.body).toBe(200);
    slots = listing.json().simulators[0].slots;
    expect(slots.length).toBe(6);
    for (const slot of slots) expect(slot.start_local).toMatch(/-0[45]:00$/);
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url, payload, token: admin });
  const both = (slot: ListedSlot) => [slot.start_time, slot.start_local];

  it('quotes every listed start in both forms, at the same instant and price', async () => {
    for (const slot of slots) {
      const answers = [];
      for (const start of both(slot)) {
        const res = await t.request({
          method: 'GET',
          url: `/api/v1/quote?simulator_id=${f.bayIds[0]}&start_time=${encodeURIComponent(start)}&duration=60`,
        });
        expect(res.statusCode, `${start}: ${res.body}`).toBe(200);
        answers.push(res.json());
      }
      expect(answers[1].start_time).toBe(slot.start_time);
      expect(answers[1].total_cents).toBe(answers[0].total_cents);
    }
  });

  it('holds and books every listed start in both forms', async () => {
    for (const slot of slots) {
      for (const start of both(slot)) {
        const hold = await post('/api/v1/holds', {
          simulator_id: f.bayIds[0],
          start_time: start,
          duration: 60,
          customer: guest,
        });
        expect(hold.statusCode, `hold ${start}: ${hold.body}`).toBe(201);
        expect(hold.json().start_time).toBe(slot.start_time);
        const confirmed = await post('/api/v1/bookings', {
          simulator_id: f.bayIds[0],
          start_time: start,
          duration: 60,
          customer: guest,
          hold_id: hold.json().id,
        });
        expect(confirmed.statusCode, `confirm ${start}: ${confirmed.body}`).toBe(201);
        const cancelled = await post(`/api/v1/bookings/${confirmed.json().id}/cancel`, {});
        expect(cancelled.statusCode, cancelled.body).toBe(200);

        const booked = await post('/api/v1/bookings', {
          simulator_id: f.bayIds[1],
          start_time: start,
          duration: 60,
          customer: guest,
        });
        expect(booked.statusCode, `book ${start}: ${booked.body}`).toBe(201);
        expect(booked.json().start_time).toBe(slot.start_time);
        expect((await post(`/api/v1/bookings/${booked.json().id}/cancel`, {})).statusCode).toBe(200);
      }
    }
  });

  it('moves a booking to every listed start in both forms', async () => {
    const booking = await post('/api/v1/bookings', {
      simulator_id: f.bayIds[2],
      start_time: slots[0]!.start_local,
      duration: 60,
      customer: guest,
    });
    expect(booking.statusCode, booking.body).toBe(201);
    const id = booking.json().id;
    for (const slot of [...slots].reverse()) {
      for (const start of both(slot)) {
        const moved = await post(`/api/v1/bookings/${id}/reschedule`, { start_time: start });
        expect(moved.statusCode, `reschedule ${start}: ${moved.body}`).toBe(200);
        expect(moved.json().start_time).toBe(slot.start_time);
      }
    }
  });

  it('books groups and weekly series from every listed start in both forms', async () => {
    for (const slot of slots) {
      for (const start of both(slot)) {
        const group = await post('/api/v1/bookings/group', {
          simulator_ids: [f.bayIds[1], f.bayIds[3]],
          start_time: start,
          duration: 60,
          customer: guest,
        });
        expect(group.statusCode, `group ${start}: ${group.body}`).toBe(201);
        const series = await post('/api/v1/bookings/recurring', {
          simulator_id: f.bayIds[0],
          start_time: start,
          duration: 60,
          customer: guest,
          recurrence: { freq: 'weekly', count: 2 },
        });
        expect(series.statusCode, `recurring ${start}: ${series.body}`).toBe(201);
        for (const b of [...group.json().bookings, ...series.json().bookings]) {
          expect((await post(`/api/v1/bookings/${b.id}/cancel`, {})).statusCode).toBe(200);
        }
      }
    }
  });

  it('still refuses an offset instant on an impossible date, naming the field', async () => {
    const res = await post('/api/v1/bookings', {
      simulator_id: f.bayIds[0],
      start_time: '2031-02-30T10:00:00-05:00',
      duration: 60,
      customer: guest,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'start_time' });
  });
});
