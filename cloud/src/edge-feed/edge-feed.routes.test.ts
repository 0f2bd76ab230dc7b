import { randomUUID } from 'node:crypto';
import { parsePublicKey, verifyAccessToken } from '@clubos/shared/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asEdge } from '../testing/edge-node.js';
import { bookAsGuest, type FacilityFixture, openVenue, type Tokens, utcSlot } from '../testing/facility.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('edge feed on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let other: FacilityFixture;
  let u: Tokens;
  let key: string;
  let otherKey: string;

  beforeAll(async () => ({ t, f, other, u } = await openVenue(kind)));
  afterAll(async () => t?.close());

  const edge = (method: 'GET' | 'POST', url: string, k: string, payload?: object) =>
    asEdge(t, k, method, url, payload);

  it('lets only an admin register an edge, and returns its key once', async () => {
    const payload = { facility_id: f.facilityId, name: 'Front desk PC' };
    expect(
      (await t.request({ method: 'POST', url: '/api/v1/edge/nodes', payload, token: u.staff })).statusCode,
    ).toBe(403);
    expect((await t.request({ method: 'POST', url: '/api/v1/edge/nodes', payload })).statusCode).toBe(401);
    const res = await t.request({ method: 'POST', url: '/api/v1/edge/nodes', payload, token: u.admin });
    expect(res.statusCode, res.body).toBe(201);
    key = res.json().key;
    expect(key).toMatch(/^edge_[0-9a-f]{8}_/);
    const second = await t.request({
      method: 'POST',
      url: '/api/v1/edge/nodes',
      payload: { facility_id: other.facilityId, name: 'Other PC' },
      token: u.admin,
    });
    otherKey = second.json().key;
    const unknown = await t.request({
      method: 'POST',
      url: '/api/v1/edge/nodes',
      payload: { facility_id: randomUUID(), name: 'x' },
      token: u.admin,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.field).toBe('facility_id');
  });

  it('gives the edge its facility and the public key that verifies booking QR codes', async () => {
    const config = await edge('GET', '/api/v1/edge/config', key);
    expect(config.statusCode).toBe(200);
    expect(config.json()).toMatchObject({ facility_id: f.facilityId, timezone: 'UTC' });
    const booking = await bookAsGuest(t, f.bayIds[0], utcSlot(2, 10), 'e@x.co');
    const publicKey = parsePublicKey(config.json().access_public_key, 'key');
    const verdict = verifyAccessToken(booking.json().qr_code, {
      publicKey,
      facilityId: f.facilityId,
      door: 'door-bay-1',
      now: Date.parse(utcSlot(2, 10)),
    });
    expect(verdict.ok).toBe(true);
  });

  it('serves a snapshot of only its facility, then the changes after its seq, including revocations', async () => {
    const snap = await edge('GET', '/api/v1/edge/snapshot', key);
    expect(snap.statusCode, snap.body).toBe(200);
    const s = snap.json();
    expect(s.facility_id).toBe(f.facilityId);
    expect(s.items.filter((i: { entity: string }) => i.entity === 'bay')).toHaveLength(2);
    expect(s.items.filter((i: { entity: string }) => i.entity === 'booking')).toHaveLength(1);
    expect(s.seq).toBe(1);

    const created = await bookAsGuest(t, f.bayIds[1], utcSlot(2, 12), 'e@x.co');
    await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${created.json().id}/cancel`,
      token: u.admin,
      payload: {},
    });
    await bookAsGuest(t, other.bayIds[0], utcSlot(2, 12), 'e@x.co');

    const changes = await edge('GET', `/api/v1/edge/changes?after=${s.seq}`, key);
    expect(changes.statusCode, changes.body).toBe(200);
    const c = changes.json();
    expect(c.changes.map((x: { seq: number; entity: string }) => [x.seq, x.entity])).toEqual([
      [2, 'booking'],
      [3, 'booking'],
      [4, 'revocation'],
    ]);
    expect(c.changes[1].data.status).toBe('cancelled');
    expect(c.changes[2].data.booking_id).toBe(created.json().id);
    expect(c).toMatchObject({ next_after: 4, head: 4, snapshot_required: false });
    const paged = await edge('GET', `/api/v1/edge/changes?after=1&limit=2`, key);
    expect(paged.json()).toMatchObject({ next_after: 3, head: 4 });
    const ahead = await edge('GET', '/api/v1/edge/changes?after=999', key);
    expect(ahead.json().snapshot_required).toBe(true);
    const bad = await edge('GET', '/api/v1/edge/changes?after=-1', key);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('after');
  });

  it('refuses users and unknown keys on edge routes', async () => {
    expect(
      (await t.request({ method: 'GET', url: '/api/v1/edge/snapshot', token: u.admin })).statusCode,
    ).toBe(403);
    expect((await edge('GET', '/api/v1/edge/snapshot', 'edge_00000000_nope')).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/v1/edge/snapshot' })).statusCode).toBe(401);
  });

  it('stores uploaded events once, applies check-ins, and rejects bad events one by one', async () => {
    const booking = await bookAsGuest(t, f.bayIds[0], utcSlot(3, 10), 'e@x.co');
    const checkIn = {
      v: 1,
      event_id: randomUUID(),
      type: 'booking.checked_in',
      occurred_at: new Date().toISOString(),
      facility_id: f.facilityId,
      payload: { booking_id: booking.json().id, checked_in_at: new Date().toISOString(), method: 'pin' },
    };
    const broken = { ...checkIn, event_id: randomUUID(), payload: { booking_id: 'nope' } };
    const batch = { v: 1, facility_id: f.facilityId, events: [checkIn, broken] };
    const first = await edge('POST', '/api/v1/edge/events', key, batch);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
    expect(first.json().results[1].reason).toContain('payload.booking_id');
    const again = await edge('POST', '/api/v1/edge/events', key, { ...batch, events: [checkIn] });
    expect(again.json().results[0].status).toBe('duplicate');
    const after = await t.request({
      method: 'GET',
      url: `/api/v1/bookings/${booking.json().id}`,
      token: u.admin,
    });
    expect(after.json().status).toBe('checked_in');

    const foreign = await edge('POST', '/api/v1/edge/events', otherKey, batch);
    expect(foreign.statusCode).toBe(403);
    const empty = await edge('POST', '/api/v1/edge/events', key, {
      v: 1,
      facility_id: f.facilityId,
      events: [],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('events');
  });

  it('stops accepting a revoked key', async () => {
    const reg = await t.request({
      method: 'POST',
      url: '/api/v1/edge/nodes',
      payload: { facility_id: f.facilityId, name: 'Spare' },
      token: u.admin,
    });
    expect((await edge('GET', '/api/v1/edge/config', reg.json().key)).statusCode).toBe(200);
    const del = await t.request({
      method: 'DELETE',
      url: `/api/v1/edge/nodes/${reg.json().id}`,
      token: u.admin,
    });
    expect(del.statusCode).toBe(200);
    expect((await edge('GET', '/api/v1/edge/config', reg.json().key)).statusCode).toBe(401);
  });
});
