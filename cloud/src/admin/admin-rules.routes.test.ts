import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { expectRefused } from '../testing/refusal.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('admin rules and closures on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const seqOf = async (facilityId: string) => (await t.app.services.changeLog.cursor(facilityId)).lastSeq;
  const feedSince = (facilityId: string, seq: number) => t.app.services.changeLog.after(facilityId, seq, 100);
  const tomorrow = () => hoursFromNow(24).slice(0, 10);
  const slotsOf = async (simulatorId: string) => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/availability?simulator_id=${simulatorId}&date=${tomorrow()}&duration=60`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().simulators[0].slots as { start_time: string; price_cents: number }[];
  };
  const priceAt = async (simulatorId: string, start: string) => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/quote?simulator_id=${simulatorId}&start_time=${start}&duration=60`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().total_cents as number;
  };

  describe('availability rules', () => {
    it('opens a new bay by adding rules, and closes it again by deleting them', async () => {
      const bay = await t.request({
        method: 'POST',
        url: '/api/v1/admin/simulators',
        token: w.tokens.staffA,
        payload: { facility_id: w.facilityA, name: 'Bay 9', bay_number: 9, hourly_rate: 40 },
      });
      const bayId = bay.json().id as string;
      expect(await slotsOf(bayId)).toEqual([]);

      const before = await seqOf(w.facilityA);
      const day = new Date(`${tomorrow()}T00:00:00Z`).getUTCDay();
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/admin/availability-rules',
        token: w.tokens.staffA,
        payload: {
          simulator_id: bayId,
          day_of_week: day,
          start_time: '10:00',
          end_time: '14:00',
          min_advance_hours: 0,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const rule = res.json();
      expect(rule).toMatchObject({
        facility_id: w.facilityA,
        simulator_id: bayId,
        slot_duration: 60,
        buffer_time: 0,
      });
      expect((await slotsOf(bayId)).map((s) => s.start_time.slice(11, 16))).toEqual([
        '10:00',
        '11:00',
        '12:00',
        '13:00',
      ]);

      const patched = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/availability-rules/${rule.id}`,
        token: w.tokens.admin,
        payload: { end_time: '12:00' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect((await slotsOf(bayId)).map((s) => s.start_time.slice(11, 16))).toEqual(['10:00', '11:00']);

      const listed = await t.request({
        method: 'GET',
        url: `/api/v1/admin/availability-rules?simulator_id=${bayId}`,
        token: w.tokens.staffA,
      });
      expect(listed.json().rules.map((r: { id: string }) => r.id)).toEqual([rule.id]);

      const deleted = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/availability-rules/${rule.id}`,
        token: w.tokens.staffA,
      });
      expect(deleted.json()).toEqual({ id: rule.id, deleted: true });
      expect(await slotsOf(bayId)).toEqual([]);

      const feed = await feedSince(w.facilityA, before);
      expect(feed.map((c) => [c.entity, c.op])).toEqual([
        ['availability_rule', 'upsert'],
        ['availability_rule', 'upsert'],
        ['availability_rule', 'delete'],
      ]);
      expect(feed[2]!.data).toBeNull();
    });

    it('checks the bay and the caller', async () => {
      const other = await t.request({
        method: 'POST',
        url: '/api/v1/admin/availability-rules',
        token: w.tokens.staffB,
        payload: { simulator_id: w.bayA1, day_of_week: 1, start_time: '10:00', end_time: '12:00' },
      });
      expect(other.statusCode).toBe(403);
      const unknown = await t.request({
        method: 'POST',
        url: '/api/v1/admin/availability-rules',
        token: w.tokens.admin,
        payload: {
          simulator_id: '00000000-0000-4000-8000-000000000000',
          day_of_week: 1,
          start_time: '10:00',
          end_time: '12:00',
        },
      });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.field).toBe('simulator_id');
      await expectRefused(
        t,
        {
          method: 'POST',
          url: '/api/v1/admin/availability-rules',
          token: w.tokens.admin,
          payload: { simulator_id: w.bayA1, day_of_week: 1, start_time: '25:00', end_time: '12:00' },
        },
        400,
        'start_time',
      );
      const listB = await t.request({
        method: 'GET',
        url: `/api/v1/admin/availability-rules?simulator_id=${w.bayA1}`,
        token: w.tokens.staffB,
      });
      expect(listB.statusCode).toBe(403);
      const mine = await t.request({
        method: 'GET',
        url: '/api/v1/admin/availability-rules',
        token: w.tokens.staffB,
      });
      expect(mine.json().rules.every((r: { facility_id: string }) => r.facility_id === w.facilityB)).toBe(
        true,
      );
      expect(mine.json().rules).toHaveLength(7);
    });
  });

  describe('pricing rules', () => {
    it('changes quotes as rules are added, switched off and removed, feeding each change', async () => {
      const start = hoursFromNow(30);
      const full = await priceAt(w.bayA1, start);
      expect(full).toBe(4500);
      const before = await seqOf(w.facilityA);
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/admin/pricing-rules',
        token: w.tokens.staffA,
        payload: {
          facility_id: w.facilityA,
          name: 'Everyday 20% off',
          type: 'time_based',
          conditions: {},
          price_modifier: -20,
          modifier_type: 'percentage',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const rule = res.json();
      expect(rule).toMatchObject({
        price_modifier: -20,
        modifier_type: 'percentage',
        active: true,
        simulator_id: null,
      });
      expect(await priceAt(w.bayA1, start)).toBe(3600);

      const off = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/pricing-rules/${rule.id}`,
        token: w.tokens.staffA,
        payload: { active: false },
      });
      expect(off.statusCode).toBe(200);
      expect(await priceAt(w.bayA1, start)).toBe(4500);

      const listed = await t.request({
        method: 'GET',
        url: `/api/v1/admin/pricing-rules?facility_id=${w.facilityA}`,
        token: w.tokens.admin,
      });
      expect(listed.json().rules.map((r: { id: string }) => r.id)).toEqual([rule.id]);
      const gone = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/pricing-rules/${rule.id}`,
        token: w.tokens.staffA,
      });
      expect(gone.statusCode).toBe(200);
      expect(
        (
          await t.request({
            method: 'DELETE',
            url: `/api/v1/admin/pricing-rules/${rule.id}`,
            token: w.tokens.staffA,
          })
        ).statusCode,
      ).toBe(404);
      expect((await feedSince(w.facilityA, before)).map((c) => `${c.entity}.${c.op}`)).toEqual([
        'pricing_rule.upsert',
        'pricing_rule.upsert',
        'pricing_rule.delete',
      ]);
    });

    it('lets the pricing engine refuse a rule it could not apply, naming the field', async () => {
      const base = {
        facility_id: w.facilityA,
        name: 'r',
        type: 'time_based',
        conditions: {},
        price_modifier: 5,
      };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, conditions: { start_time: '17:00' } }, 'conditions'],
        [{ ...base, price_modifier: -150 }, 'price_modifier'],
        [{ ...base, valid_from: '2030-01-02T00:00:00Z', valid_until: '2030-01-01T00:00:00Z' }, 'valid_until'],
        [{ ...base, simulator_id: w.bayB1 }, 'simulator_id'],
        [{ ...base, conditions: { weekdays: [1] } }, 'conditions.weekdays'],
        [{ ...base, type: 'surge' }, 'type'],
      ];
      for (const [payload, field] of cases) {
        const res = await t.request({
          method: 'POST',
          url: '/api/v1/admin/pricing-rules',
          token: w.tokens.admin,
          payload,
        });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
      }
      const listed = await t.request({
        method: 'GET',
        url: `/api/v1/admin/pricing-rules?facility_id=${w.facilityA}`,
        token: w.tokens.admin,
      });
      expect(listed.json().rules).toEqual([]);
    });
  });

  describe('closures', () => {
    it('closes the facility, reports the bookings it overlaps and blocks sales, then reopens', async () => {
      const start = hoursFromNow(50);
      const booking = await book(t, w.tokens.customer, w.bayA1, start);
      const before = await seqOf(w.facilityA);
      const closes = new Date(Date.parse(start) - 3_600_000).toISOString();
      const opens = new Date(Date.parse(start) + 3 * 3_600_000).toISOString();
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/admin/closures',
        token: w.tokens.staffA,
        payload: { facility_id: w.facilityA, starts_at: closes, ends_at: opens, reason: 'Private event' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().closure).toMatchObject({
        kind: 'closure',
        simulator_id: null,
        reason: 'Private event',
      });
      expect(res.json().affected_bookings.map((b: { id: string }) => b.id)).toEqual([booking.id]);
      const id = res.json().closure.id as string;

      const blocked = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        token: w.tokens.otherCustomer,
        payload: { simulator_id: w.bayA2, start_time: start, duration: 60 },
      });
      expect(blocked.statusCode).toBe(409);

      const listed = await t.request({
        method: 'GET',
        url: `/api/v1/admin/closures?facility_id=${w.facilityA}&from=${closes}&to=${opens}`,
        token: w.tokens.staffA,
      });
      expect(listed.json().closures.map((c: { id: string }) => c.id)).toEqual([id]);
      const later = await t.request({
        method: 'GET',
        url: `/api/v1/admin/closures?from=${opens}`,
        token: w.tokens.staffA,
      });
      expect(later.json().closures).toEqual([]);

      const narrowed = await t.request({
        method: 'PATCH',
        url: `/api/v1/admin/closures/${id}`,
        token: w.tokens.staffA,
        payload: { simulator_id: w.bayA2, kind: 'maintenance' },
      });
      expect(narrowed.statusCode, narrowed.body).toBe(200);
      expect(narrowed.json().affected_bookings).toEqual([]);

      const removed = await t.request({
        method: 'DELETE',
        url: `/api/v1/admin/closures/${id}`,
        token: w.tokens.staffA,
      });
      expect(removed.statusCode).toBe(200);
      await book(t, w.tokens.otherCustomer, w.bayA2, start);
      expect((await feedSince(w.facilityA, before)).map((c) => `${c.entity}.${c.op}`)).toEqual([
        'closure.upsert',
        'closure.upsert',
        'closure.delete',
        'booking.upsert',
      ]);
    });

    it("refuses an empty span, a bay of another facility and someone else's facility", async () => {
      const at = hoursFromNow(80);
      const cases: [string, Record<string, unknown>, number, string | undefined][] = [
        [w.tokens.admin, { facility_id: w.facilityA, starts_at: at, ends_at: at }, 400, 'ends_at'],
        [
          w.tokens.admin,
          { facility_id: w.facilityA, simulator_id: w.bayB1, starts_at: at, ends_at: hoursFromNow(81) },
          400,
          'simulator_id',
        ],
        [
          w.tokens.staffB,
          { facility_id: w.facilityA, starts_at: at, ends_at: hoursFromNow(81) },
          403,
          undefined,
        ],
        [w.tokens.admin, { facility_id: w.facilityA, starts_at: 'tomorrow', ends_at: at }, 400, 'starts_at'],
      ];
      for (const [token, payload, status, field] of cases) {
        const res = await t.request({ method: 'POST', url: '/api/v1/admin/closures', token, payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        if (field) expect(res.json().error.field).toBe(field);
      }
      const all = await t.request({ method: 'GET', url: '/api/v1/admin/closures', token: w.tokens.admin });
      expect(all.json().closures).toEqual([]);
    });
  });
});
