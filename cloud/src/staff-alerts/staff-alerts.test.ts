import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import {
  createFacility,
  createUsers,
  type FacilityFixture,
  loginAdmin,
  type Tokens,
} from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('staff alerts from an edge on %s', (kind) => {
  let t: TestApp;
  let venue: FacilityFixture;
  let other: FacilityFixture;
  let users: Tokens;
  let key: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    venue = await createFacility(t, { name: 'Alert Arena' });
    other = await createFacility(t, { name: 'Elsewhere' });
    admin = await loginAdmin(t);
    users = await createUsers(t, venue.facilityId, other.facilityId);
    key = (await registerEdge(t, admin, venue.facilityId)).key;
    await registerEdge(t, admin, other.facilityId, 'Elsewhere desk');
  }, 120_000);
  afterAll(async () => t?.close());

  const raised = (alertId: number, payload: Record<string, unknown> = {}) => ({
    v: 1,
    event_id: randomUUID(),
    type: 'staff_alert.raised',
    occurred_at: new Date().toISOString(),
    facility_id: venue.facilityId,
    payload: {
      alert_id: alertId,
      dedupe_key: 'door_position:front',
      kind: 'door_forced_open',
      severity: 'critical',
      subject: 'front',
      message: 'Front door forced open',
      raised_at: new Date().toISOString(),
      ...payload,
    },
  });
  const upload = async (events: object[]) => {
    const res = await asEdge(t, key, 'POST', '/api/v1/edge/events', {
      v: 1,
      facility_id: venue.facilityId,
      events,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results as { status: string; reason?: string }[];
  };
  const list = (token: string, facilityId = venue.facilityId) =>
    t.request({ method: 'GET', url: `/api/v1/admin/facilities/${facilityId}/staff-alerts`, token });

  it('records an incident once, whichever event carries it again', async () => {
    const first = raised(1);
    expect((await upload([first]))[0]!.status).toBe('accepted');
    // The same event re-sent, and the same incident under a new event id (an edge restored from a backup).
    expect((await upload([first, raised(1)])).map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    expect(
      (
        await upload([raised(2, { kind: 'bay_pc_offline', subject: 'bay-1', message: 'Bay 1 PC offline' })])
      )[0]!.status,
    ).toBe('accepted');

    const res = await list(users.staff);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .alerts.map((a: { kind: string; severity: string }) => a.kind)
        .sort(),
    ).toEqual(['bay_pc_offline', 'door_forced_open']);
  });

  it('refuses a malformed alert event by naming the field', async () => {
    const [result] = await upload([raised(3, { severity: 'apocalyptic' })]);
    expect(result!.status).toBe('rejected');
    expect(result!.reason).toMatch(/severity/);
  });

  it('shows a facility’s alerts to its staff and admins only', async () => {
    expect((await list(users.otherStaff)).statusCode).toBe(403);
    expect((await list(users.customer)).statusCode).toBe(403);
    expect(
      (await t.request({ method: 'GET', url: `/api/v1/admin/facilities/${venue.facilityId}/staff-alerts` }))
        .statusCode,
    ).toBe(401);
    expect((await list(users.staff, other.facilityId)).statusCode).toBe(403);
    const bad = await t.request({
      method: 'GET',
      url: `/api/v1/admin/facilities/${venue.facilityId}/staff-alerts?limit=0`,
      token: users.staff,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/limit/);
  });

  it('reports an edge silent longer than its facility allows once per silence, on every pass', async () => {
    const setTo = await t.request({
      method: 'PATCH',
      url: `/api/v1/admin/facilities/${other.facilityId}`,
      token: admin,
      payload: { settings: { edge_offline_alert_minutes: 60 } },
    });
    expect(setTo.statusCode, setTo.body).toBe(200);
    const bad = await t.request({
      method: 'PATCH',
      url: `/api/v1/admin/facilities/${other.facilityId}`,
      token: admin,
      payload: { settings: { edge_offline_alert_minutes: 0 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('settings.edge_offline_alert_minutes');

    // Both edges last synced 20 minutes ago: past the default 10 minutes, within the other venue's 60.
    await t.app.db.execute(sql`UPDATE edge_nodes SET last_seen_at = now() - interval '20 minutes'`);
    const monitor = t.app.services.edgeOffline;
    expect(await monitor.pass(new Date())).toBe(1);
    expect(await monitor.pass(new Date())).toBe(0);
    const kinds = async (facilityId: string) =>
      (await list(admin, facilityId)).json().alerts.map((a: { kind: string }) => a.kind);
    expect((await kinds(venue.facilityId)).filter((k: string) => k === 'edge_offline')).toHaveLength(1);
    expect(await kinds(other.facilityId)).toEqual([]);

    // Back (a later sync), then silent again: a new incident.
    await t.app.db.execute(
      sql`UPDATE edge_nodes SET last_seen_at = now() - interval '15 minutes' WHERE facility_id = ${venue.facilityId}::uuid`,
    );
    expect(await monitor.pass(new Date())).toBe(1);
    expect((await kinds(venue.facilityId)).filter((k: string) => k === 'edge_offline')).toHaveLength(2);
  });

  it('asks staff to collect a walk-in sold offline once its due reaches the cloud, once', async () => {
    const bookingId = randomUUID();
    const start = Date.now() + 2 * 3_600_000;
    const event = (type: string, payload: object) => ({
      v: 1,
      event_id: randomUUID(),
      type,
      occurred_at: new Date().toISOString(),
      facility_id: venue.facilityId,
      payload,
    });
    const sale = event('walk_in.created', {
      booking_id: bookingId,
      simulator_id: venue.bayIds[0],
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 3_600_000).toISOString(),
      duration: 60,
      price_cents: 4500,
      provisional: false,
    });
    const due = event('walk_in.to_collect', { booking_id: bookingId, amount_cents: 4500 });
    expect((await upload([sale, due])).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(
      (await upload([event('walk_in.to_collect', { booking_id: bookingId, amount_cents: 4500 })]))[0]!.status,
    ).toBe('accepted');
    const alerts = (await list(users.staff)).json().alerts as { kind: string; message: string }[];
    const toCollect = alerts.filter((a) => a.kind === 'walk_in_to_collect');
    expect(toCollect).toHaveLength(1);
    expect(toCollect[0]!.message).toContain('$45.00');
  });
});
