import { randomUUID } from 'node:crypto';
import { generateBookingCode, parsePublicKey, verifyAccessToken } from '@clubos/shared/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingRepository } from '../bookings/booking.repository.js';
import { FacilityRepository } from '../facilities/facility.repository.js';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import {
  bookAsGuest,
  createFacility,
  type FacilityFixture,
  loginAdmin,
  utcSlot,
} from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { EdgeFeedRepository } from './edge-feed.repository.js';
import { WalkInIngest } from './walk-in.ingest.js';

const HOUR = 3_600_000;

describe.each(testDatabases())('walk-ins reported by an edge on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let other: FacilityFixture;
  let buffered: FacilityFixture;
  let admin: string;
  let key: string;
  let bufferedKey: string;
  let edgeId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 2 });
    other = await createFacility(t, { name: 'Other', bays: 1 });
    buffered = await createFacility(t, { name: 'Buffered', bays: 1, bufferMinutes: 15 });
    admin = await loginAdmin(t);
    const register = async (facilityId: string) => {
      const edge = await registerEdge(t, admin, facilityId, 'Front desk');
      edgeId ??= edge.id;
      return edge.key;
    };
    key = await register(f.facilityId);
    bufferedKey = await register(buffered.facilityId);
  });
  afterAll(async () => t?.close());

  const edge = (method: 'GET' | 'POST', url: string, k = key, payload?: object) =>
    asEdge(t, k, method, url, payload);

  /** A walk_in.created event as the edge's walk-in service builds it. */
  const walkIn = (
    v: { bookingId?: string; bay: string; start: string; hours?: number; facilityId?: string },
    extra: Record<string, unknown> = {},
  ) => {
    const hours = v.hours ?? 1;
    return {
      v: 1,
      event_id: randomUUID(),
      type: 'walk_in.created',
      occurred_at: new Date().toISOString(),
      facility_id: v.facilityId ?? f.facilityId,
      payload: {
        booking_id: v.bookingId ?? randomUUID(),
        reference_code: generateBookingCode(),
        simulator_id: v.bay,
        start_time: v.start,
        end_time: new Date(Date.parse(v.start) + hours * HOUR).toISOString(),
        duration: hours * 60,
        price_cents: 3500 * hours,
        provisional: false,
        excluded_simulator_ids: [],
        ...extra,
      },
    };
  };

  const upload = async (events: object[], k = key, facilityId = f.facilityId) => {
    const res = await edge('POST', '/api/v1/edge/events', k, { v: 1, facility_id: facilityId, events });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results as { event_id: string; status: string; reason?: string }[];
  };

  const head = async (k = key) => (await edge('GET', '/api/v1/edge/changes?after=0&limit=1', k)).json().head;
  const booking = (id: string) => edge('GET', `/api/v1/bookings/${id}`);

  it('creates the booking under the edge’s id and reference, with credentials, and feeds it back', async () => {
    const before = await head();
    const event = walkIn(
      { bay: f.bayIds[0]!, start: utcSlot(1, 9) },
      { customer: { email: 'Walker@Example.com', first_name: 'Wally', phone: '+15550100' } },
    );
    const [result] = await upload([event]);
    expect(result).toEqual({ event_id: event.event_id, status: 'accepted' });

    const res = await booking(event.payload.booking_id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: event.payload.booking_id,
      reference_code: event.payload.reference_code,
      simulator_id: f.bayIds[0],
      start_time: event.payload.start_time,
      end_time: event.payload.end_time,
      duration: 60,
      status: 'confirmed',
      price_cents: 3500,
      price: 35,
    });
    expect(res.json().access_code).toMatch(/^\d{6}$/);
    expect(res.json().qr_code).toEqual(expect.any(String));
    expect(res.json().customer_id).toEqual(expect.any(String));

    const row = await new BookingRepository(t.app.db).findById(event.payload.booking_id);
    expect(row?.source).toBe('kiosk');
    expect(row?.metadata).toMatchObject({
      channel: 'walk_in',
      walk_in: { provisional: false, customer: { first_name: 'Wally' } },
    });

    const changes = (await edge('GET', `/api/v1/edge/changes?after=${before}`)).json();
    expect(changes.changes).toHaveLength(1);
    expect(changes.changes[0]).toMatchObject({
      entity: 'booking',
      op: 'upsert',
      entity_id: event.payload.booking_id,
      data: {
        reference_code: event.payload.reference_code,
        simulator_id: f.bayIds[0],
        status: 'confirmed',
        access_code: res.json().access_code,
      },
    });
  });

  it('answers the same event again as a duplicate and writes nothing more', async () => {
    const event = walkIn({ bay: f.bayIds[1]!, start: utcSlot(1, 9) });
    expect((await upload([event]))[0]!.status).toBe('accepted');
    const seq = await head();
    expect((await upload([event]))[0]!.status).toBe('duplicate');
    expect(await head()).toBe(seq);
  });

  it('moves the booking when a later event names another bay for the same booking id', async () => {
    const bookingId = randomUUID();
    const first = walkIn({ bookingId, bay: f.bayIds[0]!, start: utcSlot(1, 12) });
    expect((await upload([first]))[0]!.status).toBe('accepted');
    const placed = (await booking(bookingId)).json();
    const seq = await head();

    const moved = walkIn({ bookingId, bay: f.bayIds[1]!, start: utcSlot(1, 12) });
    moved.payload.reference_code = first.payload.reference_code;
    expect((await upload([moved]))[0]).toEqual({ event_id: moved.event_id, status: 'accepted' });

    const after = (await booking(bookingId)).json();
    expect(after).toMatchObject({
      simulator_id: f.bayIds[1],
      reference_code: first.payload.reference_code,
      access_code: placed.access_code,
      status: 'confirmed',
    });
    // New door credentials for the new bay; the old QR code opened only the old bay's door.
    const publicKey = parsePublicKey(
      (await edge('GET', '/api/v1/edge/config')).json().access_public_key,
      'key',
    );
    const opens = (qr: string) =>
      verifyAccessToken(qr, {
        publicKey,
        facilityId: f.facilityId,
        door: 'door-bay-2',
        now: Date.parse(utcSlot(1, 12)),
      }).ok;
    expect(opens(after.qr_code)).toBe(true);
    expect(opens(placed.qr_code)).toBe(false);
    const changes = (await edge('GET', `/api/v1/edge/changes?after=${seq}`)).json().changes;
    expect(
      changes.map((c: { entity_id: string; data: { simulator_id: string } }) => c.data.simulator_id),
    ).toEqual([f.bayIds[1]]);
    // The first bay is free again: a cloud sale there now succeeds.
    const sale = await bookAsGuest(t, f.bayIds[0], utcSlot(1, 12), 'w@x.co');
    expect(sale.statusCode, sale.body).toBe(201);
  });

  it('rejects an overlap with a cloud booking as a conflict, writing nothing, until the time is free', async () => {
    const sale = await bookAsGuest(t, f.bayIds[0], utcSlot(2, 10), 'c@x.co');
    expect(sale.statusCode, sale.body).toBe(201);
    const seq = await head();
    const event = walkIn({
      bay: f.bayIds[0]!,
      start: new Date(Date.parse(utcSlot(2, 10)) + HOUR / 2).toISOString(),
    });
    const [result] = await upload([event]);
    expect(result!.status).toBe('rejected');
    expect(result!.reason).toMatch(/^conflict: /);
    expect(result!.reason).toContain(sale.json().id);
    expect((await booking(event.payload.booking_id)).statusCode).toBe(404);
    expect(await head()).toBe(seq);
    expect((await booking(sale.json().id)).json().status).toBe('confirmed');

    // Not even the event was stored: once the cloud booking is cancelled, the re-sent event is judged again.
    const cancel = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${sale.json().id}/cancel`,
      token: admin,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await upload([event]))[0]!.status).toBe('accepted');
  });

  it('refuses to move a booking onto a taken bay and leaves it where it was', async () => {
    const bookingId = randomUUID();
    const blocker = walkIn({ bay: f.bayIds[1]!, start: utcSlot(3, 15) });
    const first = walkIn({ bookingId, bay: f.bayIds[0]!, start: utcSlot(3, 15) });
    expect((await upload([blocker, first])).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const [moved] = await upload([walkIn({ bookingId, bay: f.bayIds[1]!, start: utcSlot(3, 15) })]);
    expect(moved!.status).toBe('rejected');
    expect(moved!.reason).toContain(`conflict: bay Bay 2 (${f.bayIds[1]}) is already booked then`);
    expect((await booking(bookingId)).json().simulator_id).toBe(f.bayIds[0]);
  });

  it('keeps the bay’s buffer clear in front of a cloud booking', async () => {
    const sale = await bookAsGuest(t, buffered.bayIds[0], utcSlot(2, 10), 'b@x.co');
    expect(sale.statusCode, sale.body).toBe(201);
    const before = walkIn({
      bay: buffered.bayIds[0]!,
      start: utcSlot(2, 9),
      facilityId: buffered.facilityId,
    });
    const [result] = await upload([before], bufferedKey, buffered.facilityId);
    expect(result!.reason).toMatch(/^conflict: /);
    const earlier = walkIn({
      bay: buffered.bayIds[0]!,
      start: utcSlot(2, 8),
      facilityId: buffered.facilityId,
    });
    expect((await upload([earlier], bufferedKey, buffered.facilityId))[0]!.status).toBe('accepted');
    const row = await new BookingRepository(t.app.db).findById(earlier.payload.booking_id);
    expect(row!.blockedUntil.toISOString()).toBe(
      new Date(Date.parse(utcSlot(2, 9)) + 15 * 60_000).toISOString(),
    );
  });

  it('accepts only bays of the edge’s own facility', async () => {
    const seq = await head();
    const event = walkIn({ bay: other.bayIds[0]!, start: utcSlot(4, 10) });
    const [result] = await upload([event]);
    expect(result!.status).toBe('rejected');
    expect(result!.reason).toBe(`payload.simulator_id: bay ${other.bayIds[0]} is not a bay of this facility`);
    const unknown = walkIn({ bay: randomUUID(), start: utcSlot(4, 10) });
    expect((await upload([unknown]))[0]!.reason).toContain(unknown.payload.simulator_id);
    expect((await booking(event.payload.booking_id)).statusCode).toBe(404);
    expect(await head()).toBe(seq);
  });

  it('rejects times that contradict the duration, naming the field', async () => {
    const event = walkIn({ bay: f.bayIds[0]!, start: utcSlot(5, 10) }, { duration: 90 });
    const [result] = await upload([event]);
    expect(result!.status).toBe('rejected');
    expect(result!.reason).toMatch(/^payload\.duration: /);
    const unreal = walkIn({ bay: f.bayIds[0]!, start: '2031-02-30T10:00:00Z' });
    expect((await upload([unreal]))[0]!.reason).toBe(
      "payload.start_time '2031-02-30T10:00:00Z' is not a valid instant: 2031-02 has no day 30",
    );
  });

  it('keeps details without a usable email on the booking only, creating no customer', async () => {
    const event = walkIn(
      { bay: f.bayIds[1]!, start: utcSlot(5, 14) },
      { customer: { email: 'not-an-email', first_name: 'Nia' } },
    );
    expect((await upload([event]))[0]!.status).toBe('accepted');
    const row = await new BookingRepository(t.app.db).findById(event.payload.booking_id);
    expect(row?.customerId).toBeNull();
    expect(row?.metadata).toMatchObject({ walk_in: { customer: { first_name: 'Nia' } } });
  });

  it('keeps a booking the edge reports again unchanged, and never moves one that is not confirmed', async () => {
    const bookingId = randomUUID();
    const first = walkIn({ bookingId, bay: f.bayIds[0]!, start: utcSlot(8, 10) });
    expect((await upload([first]))[0]!.status).toBe('accepted');
    const seq = await head();
    const same = walkIn({ bookingId, bay: f.bayIds[0]!, start: utcSlot(8, 10) });
    expect((await upload([same]))[0]!.status).toBe('accepted');
    expect(await head()).toBe(seq);

    const checkIn = {
      ...walkIn({ bay: f.bayIds[0]!, start: utcSlot(8, 10) }),
      type: 'booking.checked_in',
      payload: { booking_id: bookingId, checked_in_at: new Date().toISOString(), method: 'pin' },
    };
    expect((await upload([checkIn]))[0]!.status).toBe('accepted');
    const [moved] = await upload([walkIn({ bookingId, bay: f.bayIds[1]!, start: utcSlot(8, 10) })]);
    expect(moved).toMatchObject({
      status: 'rejected',
      reason: `payload.booking_id: booking ${bookingId} is checked_in and cannot be moved`,
    });
    expect((await booking(bookingId)).json().simulator_id).toBe(f.bayIds[0]);
  });

  it('refuses a booking id that belongs to another facility', async () => {
    const foreign = await bookAsGuest(t, other.bayIds[0], utcSlot(8, 14), 'o@x.co');
    expect(foreign.statusCode, foreign.body).toBe(201);
    const [result] = await upload([
      walkIn({ bookingId: foreign.json().id, bay: f.bayIds[0]!, start: utcSlot(8, 14) }),
    ]);
    expect(result).toMatchObject({
      status: 'rejected',
      reason: `payload.booking_id: booking ${foreign.json().id} belongs to another facility`,
    });
  });

  it('keeps the edge’s reference code unless another booking holds it, and rejects one that is no code', async () => {
    const taken = walkIn({ bay: f.bayIds[0]!, start: utcSlot(9, 10) });
    const clash = walkIn(
      { bay: f.bayIds[1]!, start: utcSlot(9, 10) },
      { reference_code: taken.payload.reference_code.toLowerCase() },
    );
    expect((await upload([taken, clash])).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const issued = (await booking(clash.payload.booking_id)).json().reference_code;
    expect(issued).not.toBe(taken.payload.reference_code);
    expect(issued).toMatch(/^[0-9A-Z]+$/);

    const bad = walkIn({ bay: f.bayIds[0]!, start: utcSlot(9, 12) }, { reference_code: 'not a code!' });
    expect((await upload([bad]))[0]!.reason).toBe(
      'payload.reference_code: not a code! is not a booking code',
    );
  });

  it('lets exactly one of two concurrent walk-ins for the same bay-time win', async () => {
    const a = walkIn({ bay: f.bayIds[0]!, start: utcSlot(6, 10) });
    const b = walkIn({ bay: f.bayIds[0]!, start: utcSlot(6, 10) });
    const [ra, rb] = await Promise.all([upload([a]), upload([b])]);
    const statuses = [ra![0]!.status, rb![0]!.status].sort();
    expect(statuses).toEqual(['accepted', 'rejected']);
    const loser = ra![0]!.status === 'rejected' ? ra![0]! : rb![0]!;
    expect(loser.reason).toMatch(/^conflict: /);
  });

  it('turns a race lost inside the exclusion constraint into a conflict, keeping nothing', async () => {
    const winner = walkIn({ bay: f.bayIds[1]!, start: utcSlot(7, 10) });
    expect((await upload([winner]))[0]!.status).toBe('accepted');
    // A check that ran before the winner committed: it sees the bay free.
    const stale = new FacilityRepository(t.app.db);
    stale.busyOf = async () => [];
    const db = t.app.db;
    const bookings = new BookingRepository(db);
    const ingest = new WalkInIngest(db, bookings, stale, t.app.services.bookingWriter);
    const events = new EdgeFeedRepository(db);
    const loser = walkIn({ bay: f.bayIds[1]!, start: utcSlot(7, 10) });
    const row = {
      eventId: loser.event_id,
      edgeId,
      facilityId: f.facilityId,
      type: loser.type,
      occurredAt: new Date(),
      payload: loser.payload,
    };
    const seq = await head();
    const result = await ingest.receive(f.facilityId, loser as Parameters<WalkInIngest['receive']>[1], (tx) =>
      events.insertEvent(row, tx),
    );
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(/^conflict: /);
    expect(await bookings.findById(loser.payload.booking_id)).toBeUndefined();
    expect(await head()).toBe(seq);
    // The dedupe row went with the rollback: the event id is still unknown.
    expect(await events.insertEvent(row)).toBe(true);
  });
});
