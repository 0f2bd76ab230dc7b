import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FacilityFixture, openVenue, type Tokens, utcSlot } from '../testing/facility.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

// `Idempotency-Key` on POST /holds and POST /bookings/:id/checkin, as on POST /bookings: the same
// key and body replay the first answer (and do nothing again), another body is a 422.
describe.each(testDatabases())(
  'Idempotency-Key on holds and check-in on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let f: FacilityFixture;
    let u: Tokens;
    const guest = {
      email: 'guest@example.com',
      first_name: 'Gus',
      last_name: 'Guest',
      phone: '+14165550001',
    };
    // A 5-minute grid keeps the next start 1–6 minutes away: inside the 15-minute check-in window.
    const nextSlot = () => new Date(Math.ceil((Date.now() + 60_000) / 300_000) * 300_000).toISOString();

    beforeAll(async () => {
      ({ t, f, u } = await openVenue(kind, {
        facility: { bays: 4, slotMinutes: 5, minAdvanceHours: 0 },
        other: { name: 'Other Golf' },
      }));
    });
    afterAll(async () => t?.close());

    const hold = (payload: object, key?: string) =>
      t.request({
        method: 'POST',
        url: '/api/v1/holds',
        payload,
        headers: key ? { 'idempotency-key': key } : {},
      });
    const checkin = (id: string, payload: object, key?: string, token?: string) =>
      t.request({
        method: 'POST',
        url: `/api/v1/bookings/${id}/checkin`,
        payload,
        headers: key ? { 'idempotency-key': key } : {},
        ...(token ? { token } : {}),
      });
    /** Proves the slot is free again once `holdId` is released: no second hold was left behind. */
    const expectOnlyHold = async (holdId: string, slot: object) => {
      const released = await t.request({ method: 'DELETE', url: `/api/v1/holds/${holdId}` });
      expect(released.statusCode).toBe(200);
      const booked = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { ...slot, customer: guest },
      });
      expect(booked.statusCode, booked.body).toBe(201);
    };

    it('POST /holds: same key and body replay the hold, another body is 422', async () => {
      const slot = { simulator_id: f.bayIds[0], start_time: utcSlot(2, 10), duration: 60 };
      const first = await hold({ ...slot, customer: guest }, 'hold-key-1');
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json().status).toBe('pending');

      const replay = await hold({ ...slot, customer: guest }, 'hold-key-1');
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(first.json());

      const different = await hold({ ...slot, start_time: utcSlot(2, 12), customer: guest }, 'hold-key-1');
      expect(different.statusCode).toBe(422);
      expect(different.json().error).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: 'Idempotency-Key',
      });
      // The refused body held nothing: its time is free.
      const later = await hold({ ...slot, start_time: utcSlot(2, 12), customer: guest });
      expect(later.statusCode).toBe(201);

      // Without a key the same body is a new request, refused because the slot is held.
      expect((await hold({ ...slot, customer: guest })).statusCode).toBe(409);
      await expectOnlyHold(first.json().id, slot);
    });

    it('POST /holds: concurrent twins with one key make one hold', async () => {
      const slot = { simulator_id: f.bayIds[1], start_time: utcSlot(2, 14), duration: 60 };
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => hold({ ...slot, customer: guest }, 'hold-twins')),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
      const ids = new Set(answers.map((a) => a.json().id));
      expect(ids.size).toBe(1);
      await expectOnlyHold([...ids][0], slot);
    });

    it('POST /bookings: concurrent twins with one key make one booking and all get its answer', async () => {
      const slot = { simulator_id: f.bayIds[1], start_time: utcSlot(3, 9), duration: 60 };
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.request({
            method: 'POST',
            url: '/api/v1/bookings',
            payload: { ...slot, customer: guest },
            headers: { 'idempotency-key': 'booking-twins' },
          }),
        ),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
      // A twin with another body during the race is still told the key was used for something else.
      const other = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { ...slot, duration: 30, customer: guest },
        headers: { 'idempotency-key': 'booking-twins' },
      });
      expect(other.statusCode).toBe(422);
    });

    it('POST /holds: a bad key is a 400 naming the header', async () => {
      const slot = { simulator_id: f.bayIds[0], start_time: utcSlot(2, 16), duration: 60, customer: guest };
      const res = await hold(slot, 'k'.repeat(256));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('idempotency-key');
    });

    it('check-in: a retried check-in replays its answer instead of a 409; another body is 422', async () => {
      const booked = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { simulator_id: f.bayIds[2], start_time: nextSlot(), duration: 60, customer: guest },
      });
      expect(booked.statusCode, booked.body).toBe(201);
      const b = booked.json();
      const first = await checkin(b.id, { method: 'pin', code: b.access_code }, 'checkin-1');
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().status).toBe('checked_in');

      const replay = await checkin(b.id, { method: 'pin', code: b.access_code }, 'checkin-1');
      expect(replay.statusCode).toBe(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(first.json());

      const different = await checkin(
        b.id,
        { method: 'reference_code', code: b.reference_code },
        'checkin-1',
      );
      expect(different.statusCode).toBe(422);
      expect(different.json().error).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        field: 'Idempotency-Key',
      });
      // Without the key, checking in twice is still refused.
      expect((await checkin(b.id, { method: 'pin', code: b.access_code })).statusCode).toBe(409);
    });

    it('check-in: concurrent twins check in once; a key is never replayed to another caller', async () => {
      const booked = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: { simulator_id: f.bayIds[3], start_time: nextSlot(), duration: 60, customer: guest },
      });
      const b = booked.json();
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => checkin(b.id, { method: 'staff' }, 'desk-1', u.staff)),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((a) => a.json().check_in_time)).size).toBe(1);

      // The same key and body from someone else is their own request: anonymous staff check-in is 403.
      const stranger = await checkin(b.id, { method: 'staff' }, 'desk-1');
      expect(stranger.statusCode).toBe(403);
      const otherStaff = await checkin(b.id, { method: 'staff' }, 'desk-1', u.otherStaff);
      expect(otherStaff.statusCode).toBe(403);
    });
  },
);
