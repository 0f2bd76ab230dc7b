import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { expectRefused } from '../testing/refusal.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('admin facilities and bays on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const feedSince = async (facilityId: string, seq: number) =>
    t.app.services.changeLog.after(facilityId, seq, 100);
  const seqOf = async (facilityId: string) => (await t.app.services.changeLog.cursor(facilityId)).lastSeq;

  describe('facilities', () => {
    it('lets an admin create a facility and starts its change log', async () => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/admin/facilities',
        token: w.tokens.admin,
        payload: {
          name: 'Downtown Golf',
          slug: 'downtown',
          timezone: 'America/Toronto',
          address: '1 King St',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const facility = res.json();
      expect(facility).toMatchObject({
        name: 'Downtown Golf',
        slug: 'downtown',
        timezone: 'America/Toronto',
      });
      const feed = await feedSince(facility.id, 0);
      expect(feed.map((c) => [c.entity, c.op])).toEqual([['facility', 'upsert']]);
      expect(feed[0]!.data).toMatchObject({ name: 'Downtown Golf', timezone: 'America/Toronto' });

      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/admin/facilities',
          token: w.tokens.admin,
          payload: { name: 'Copy', slug: 'downtown' },
        },
        409,
        'slug',
      );
    });

    it('honours Idempotency-Key: a retry replays the first answer, a different body is a 422', async () => {
      const send = (name: string) =>
        t.request({
          method: 'POST',
          url: '/api/v1/admin/facilities',
          token: w.tokens.admin,
          headers: { 'idempotency-key': 'create-uptown-1' },
          payload: { name },
        });
      const first = await send('Uptown');
      const retry = await send('Uptown');
      expect(first.statusCode).toBe(201);
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json().id).toBe(first.json().id);
      const other = await send('Midtown');
      expect(other.statusCode).toBe(422);
      expect(other.json().error.field).toBe('Idempotency-Key');
      const all = await t.request({ method: 'GET', url: '/api/v1/admin/facilities', token: w.tokens.admin });
      expect(all.json().facilities.filter((f: { name: string }) => f.name === 'Uptown')).toHaveLength(1);
    });

    it('refuses an unknown time zone and a malformed cancellation policy, naming the field', async () => {
      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/admin/facilities',
          token: w.tokens.admin,
          payload: { name: 'X', timezone: 'Mars/Olympus' },
        },
        400,
        'timezone',
      );
      await expectRefused(
        t,
        {
          method: 'PATCH',
          url: `/api/v1/admin/facilities/${w.facilityA}`,
          token: w.tokens.staffA,
          payload: { settings: { cancellation_policy: { late_refund_percent: 150 } } },
        },
        400,
        'settings.cancellation_policy.late_refund_percent',
      );
      await expectRefused(
        t,
        {
          method: 'PATCH',
          url: `/api/v1/admin/facilities/${w.facilityA}`,
          token: w.tokens.staffA,
          payload: { settings: { tax_rate_bps: 12.5 } },
        },
        400,
        'settings.tax_rate_bps',
      );
    });

    it('lists only the facilities a staff member works at', async () => {
      const admin = await t.request({
        method: 'GET',
        url: '/api/v1/admin/facilities',
        token: w.tokens.admin,
      });
      expect(admin.json().facilities.map((f: { id: string }) => f.id)).toEqual(
        expect.arrayContaining([w.facilityA, w.facilityB]),
      );
      const staff = await t.request({
        method: 'GET',
        url: '/api/v1/admin/facilities',
        token: w.tokens.staffA,
      });
      expect(staff.json().facilities.map((f: { id: string }) => f.id)).toEqual([w.facilityA]);
      const other = await t.request({
        method: 'GET',
        url: `/api/v1/admin/facilities/${w.facilityB}`,
        token: w.tokens.staffA,
      });
      expect(other.statusCode).toBe(403);
      const missing = await t.request({
        method: 'GET',
        url: '/api/v1/admin/facilities/00000000-0000-4000-8000-000000000000',
        token: w.tokens.admin,
      });
      expect(missing.statusCode).toBe(404);
    });

    it('lets staff rename their facility, fed to the edge', async () => {
      const before = await seqOf(w.facilityA);
      const res = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/facilities/${w.facilityA}`,
        token: w.tokens.staffA,
        payload: { name: 'Venue A (renamed)', settings: { tax_rate_bps: 1300 } },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ name: 'Venue A (renamed)', settings: { tax_rate_bps: 1300 } });
      const feed = await feedSince(w.facilityA, before);
      expect(feed).toHaveLength(1);
      expect(feed[0]).toMatchObject({ entity: 'facility', op: 'upsert', entity_id: w.facilityA });
    });

    it('deletes only an empty facility', async () => {
      const busy = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/facilities/${w.facilityB}`,
        token: w.tokens.admin,
      });
      expect(busy.statusCode).toBe(409);
      expect(busy.json().error.message).toContain('1 bay(s)');
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/admin/facilities',
        token: w.tokens.admin,
        payload: { name: 'Pop-up' },
      });
      const id = created.json().id as string;
      const res = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/facilities/${id}`,
        token: w.tokens.admin,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ id, deleted: true });
      expect(
        (await t.request({ method: 'GET', url: `/api/v1/admin/facilities/${id}`, token: w.tokens.admin }))
          .statusCode,
      ).toBe(404);
      expect(
        (await t.request({ method: 'DELETE', url: `/api/v1/admin/facilities/${id}`, token: w.tokens.admin }))
          .statusCode,
      ).toBe(404);
    });
  });

  describe('simulators', () => {
    it('adds a bay with the seed decimal rate and feeds it to the edge', async () => {
      const before = await seqOf(w.facilityA);
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/admin/simulators',
        token: w.tokens.staffA,
        payload: {
          facility_id: w.facilityA,
          name: 'Bay 3',
          type: 'trackman',
          bay_number: 3,
          hourly_rate: 55.5,
          features: ['lefty'],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        hourly_rate: 55.5,
        hourly_rate_cents: 5550,
        status: 'active',
        features: ['lefty'],
      });
      const feed = await feedSince(w.facilityA, before);
      expect(feed.map((c) => [c.entity, c.op, c.entity_id])).toEqual([['bay', 'upsert', res.json().id]]);

      const list = await t.request({
        method: 'GET',
        url: `/api/v1/admin/simulators?facility_id=${w.facilityA}`,
        token: w.tokens.staffA,
      });
      expect(list.json().simulators.map((s: { name: string }) => s.name)).toEqual([
        'Bay 1',
        'Bay 2',
        'Bay 3',
      ]);
      const got = await t.request({
        method: 'GET',
        url: `/api/v1/admin/simulators/${res.json().id}`,
        token: w.tokens.admin,
      });
      expect(got.json().name).toBe('Bay 3');
    });

    it('refuses a rate given twice in disagreement, an unknown facility and another facility', async () => {
      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/admin/simulators',
          token: w.tokens.admin,
          payload: { facility_id: w.facilityA, name: 'X', hourly_rate: 50, hourly_rate_cents: 4000 },
        },
        400,
        'hourly_rate',
      );
      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/admin/simulators',
          token: w.tokens.admin,
          payload: { facility_id: '00000000-0000-4000-8000-000000000000', name: 'X' },
        },
        404,
        'facility_id',
      );
      const other = await t.request({
        method: 'POST',
        url: '/api/v1/admin/simulators',
        token: w.tokens.staffB,
        payload: { facility_id: w.facilityA, name: 'X' },
      });
      expect(other.statusCode).toBe(403);
    });

    it('puts a bay into maintenance (seed body), lists the bookings it blocks, and brings it back', async () => {
      const start = hoursFromNow(5);
      const booking = await book(t, w.tokens.customer, w.bayA2, start);
      const until = new Date(Date.parse(start) + 2 * 3_600_000).toISOString();
      const before = await seqOf(w.facilityA);
      const res = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/simulators/${w.bayA2}`,
        token: w.tokens.staffA,
        payload: { status: 'maintenance', maintenance_until: until, reason: 'Software update' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().simulator).toMatchObject({
        status: 'maintenance',
        maintenance_until: until,
        maintenance_reason: 'Software update',
      });
      expect(res.json().affected_bookings.map((b: { id: string }) => b.id)).toEqual([booking.id]);
      expect((await feedSince(w.facilityA, before)).map((c) => c.entity)).toEqual(['bay']);

      // The bay cannot be sold during the maintenance.
      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/bookings',
          token: w.tokens.otherCustomer,
          payload: { simulator_id: w.bayA2, start_time: hoursFromNow(6), duration: 60 },
        },
        409,
        'simulator_id',
      );

      const back = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/simulators/${w.bayA2}`,
        token: w.tokens.staffA,
        payload: { status: 'active' },
      });
      expect(back.statusCode).toBe(200);
      expect(back.json().simulator).toMatchObject({
        status: 'active',
        maintenance_until: null,
        maintenance_reason: null,
      });
      expect(back.json().affected_bookings).toEqual([]);
      await book(t, w.tokens.otherCustomer, w.bayA2, hoursFromNow(6));
    });

    it('refuses maintenance without a reason, an end in the past, and maintenance fields on an active bay', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ status: 'maintenance' }, 'reason'],
        [
          { status: 'maintenance', reason: 'x', maintenance_until: '2020-01-01T00:00:00Z' },
          'maintenance_until',
        ],
        [{ status: 'active', reason: 'why' }, 'reason'],
        [{ maintenance_until: hoursFromNow(3) }, 'maintenance_until'],
        [{ status: 'broken' }, 'status'],
        [{}, 'body'],
      ];
      for (const [payload, field] of cases) {
        const res = await t.request({
          method: 'PATCH',
          url: `/api/v1/admin/simulators/${w.bayA1}`,
          token: w.tokens.admin,
          payload,
        });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
      }
      const bay = await t.request({
        method: 'GET',
        url: `/api/v1/admin/simulators/${w.bayA1}`,
        token: w.tokens.admin,
      });
      expect(bay.json()).toMatchObject({ status: 'active', maintenance_reason: null });
    });

    it('retires a bay instead of deleting it', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/admin/simulators',
        token: w.tokens.admin,
        payload: { facility_id: w.facilityB, name: 'Old bay' },
      });
      const id = created.json().id as string;
      const res = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/simulators/${id}`,
        token: w.tokens.staffB,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().simulator.status).toBe('inactive');
      const missing = await t.request({
        method: 'DELETE',
        url: '/api/v1/admin/simulators/00000000-0000-4000-8000-000000000000',
        token: w.tokens.admin,
      });
      expect(missing.statusCode).toBe(404);
    });
  });
});
