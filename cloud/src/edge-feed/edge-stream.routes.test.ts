import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAsGuest, createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { type OpenStream, openStream, until } from '../testing/sse-stream.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('edge change stream (SSE) on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let f: FacilityFixture;
  let other: FacilityFixture;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 1 });
    other = await createFacility(t, { name: 'Other', bays: 1 });
    base = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/api/v1/edge/changes/stream`;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t?.close();
  });

  const register = async (facilityId: string) => t.app.services.edgeFeed.register(facilityId, 'edge PC');
  const stream = async (key: string, query = '') => {
    const s = await openStream(`${base}${query}`, `Edge ${key}`);
    streams.push(s);
    return s;
  };
  const book = async (bay: string, hour: number) => {
    const res = await bookAsGuest(t, bay, utcSlot(2, hour), 'e@x.co');
    expect(res.statusCode, res.body).toBe(201);
  };
  const head = async (facilityId: string) => (await t.app.services.changeLog.cursor(facilityId)).lastSeq;

  it('sends the head on connect and on every change of its own facility only', async () => {
    const mine = await stream((await register(f.facilityId)).key);
    const theirs = await stream((await register(other.facilityId)).key);
    expect(mine.status).toBe(200);
    expect(await until(() => mine.heads.length === 1 && theirs.heads.length === 1)).toBe(true);
    expect(mine.heads).toEqual([await head(f.facilityId)]);

    await book(other.bayIds[0]!, 10);
    expect(await until(() => theirs.heads.length === 2)).toBe(true);
    await book(f.bayIds[0]!, 10);
    expect(await until(() => mine.heads.length === 2)).toBe(true);
    // The other facility's booking never reached this stream: one head on connect, one for its own.
    expect(mine.heads).toEqual([mine.heads[0], await head(f.facilityId)]);
    expect(new Set(mine.facilities)).toEqual(new Set([f.facilityId]));
    expect(new Set(theirs.facilities)).toEqual(new Set([other.facilityId]));
    expect(theirs.heads.at(-1)).toBe(await head(other.facilityId));
  });

  it('sends heartbeats at the interval the edge asks for', async () => {
    const s = await stream((await register(f.facilityId)).key, '?heartbeat_ms=200');
    expect(await until(() => s.heartbeats() >= 2, 3_000)).toBe(true);
    const bad = await fetch(`${base}?heartbeat_ms=5`, { headers: { authorization: 'Edge x' } });
    expect([400, 401]).toContain(bad.status);
  });

  it('refuses unknown and revoked keys and users, and cuts a stream whose key is revoked', async () => {
    expect((await stream('edge_00000000_nope')).status).toBe(401);
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: t.config.adminEmail, password: t.config.adminPassword },
    });
    const asAdmin = await openStream(base, `Bearer ${login.json().access_token}`);
    expect(asAdmin.status).toBe(403);

    const edge = await register(f.facilityId);
    const s = await stream(edge.key, '?heartbeat_ms=200');
    expect(await until(() => s.heads.length === 1)).toBe(true);
    await t.app.services.edgeFeed.revoke(edge.id);
    expect(await until(() => s.ended(), 3_000)).toBe(true);
    expect((await stream(edge.key)).status).toBe(401);
  });
});
