import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAsGuest, createFacility, type FacilityFixture, utcDate, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('availability and quote API on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let toronto: FacilityFixture;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, {
      bays: 2,
      open: '09:00',
      close: '17:00',
      pricingRules: [
        {
          name: 'Evening peak',
          conditions: { start_time: '15:00', end_time: '17:00' },
          modifier_type: 'percentage',
          price_modifier: 25,
        },
      ],
    });
    toronto = await createFacility(t, {
      name: 'Toronto Golf',
      timezone: 'America/Toronto',
      bays: 1,
      open: '10:00',
      close: '22:00',
    });
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.request({ method: 'GET', url });

  it('lists free hourly slots for every bay of a facility with prices', async () => {
    const res = await get(`/api/v1/availability?facility_id=${f.facilityId}&date=${utcDate(3)}&duration=60`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      facility_id: f.facilityId,
      timezone: 'UTC',
      date: utcDate(3),
      days: 1,
      duration: 60,
    });
    expect(body.simulators).toHaveLength(2);
    const slots = body.simulators[0].slots;
    expect(slots.map((s: { start_time: string }) => s.start_time)).toEqual(
      [9, 10, 11, 12, 13, 14, 15, 16].map((h) => utcSlot(3, h)),
    );
    expect(slots[0]).toMatchObject({ price: 40, price_cents: 4000, duration: 60 });
    expect(slots.at(-1)).toMatchObject({ price_cents: 5000 });
  });

  it('drops booked time from the listing of one bay (seed query with simulator_id and timezone)', async () => {
    const booked = await bookAsGuest(t, f.bayIds[0], utcSlot(3, 10), 'a@b.co', 120);
    expect(booked.statusCode, booked.body).toBe(201);
    const res = await get(
      `/api/v1/availability?simulator_id=${f.bayIds[0]}&date=${utcDate(3)}&duration=60&timezone=America/Toronto`,
    );
    expect(res.statusCode).toBe(200);
    const bay = res.json().simulators;
    expect(bay).toHaveLength(1);
    const starts = bay[0].slots.map((s: { start_time: string }) => s.start_time);
    expect(starts).not.toContain(utcSlot(3, 10));
    expect(starts).not.toContain(utcSlot(3, 11));
    expect(starts).toContain(utcSlot(3, 12));
    // Display zone: the same instants as local time with offset.
    expect(bay[0].slots[0].start_local).toMatch(/T0[45]:00:00\.000-0[45]:00$/);
  });

  it('evaluates opening hours in the facility zone', async () => {
    const res = await get(
      `/api/v1/availability?facility_id=${toronto.facilityId}&date=${utcDate(4)}&duration=60`,
    );
    const first = res.json().simulators[0].slots[0].start_time as string;
    // 10:00 in Toronto is 14:00 or 15:00 UTC depending on DST.
    expect(['14', '15']).toContain(first.slice(11, 13));
  });

  it('rejects bad queries with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      [`date=${utcDate(3)}&duration=60`, 'simulator_id'],
      [`facility_id=${f.facilityId}&date=2025-13-45&duration=60`, 'date'],
      [`facility_id=${f.facilityId}&date=tomorrow&duration=60`, 'date'],
      [`facility_id=${f.facilityId}&date=${utcDate(3)}&duration=5`, 'duration'],
      [`facility_id=${f.facilityId}&date=${utcDate(3)}`, 'duration'],
      [`facility_id=${f.facilityId}&date=${utcDate(3)}&duration=60&timezone=Mars/Base`, 'timezone'],
      [`facility_id=nope&date=${utcDate(3)}&duration=60`, 'facility_id'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/api/v1/availability?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.field, query).toBe(field);
    }
  });

  it('404s unknown bays and facilities', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(
      (await get(`/api/v1/availability?simulator_id=${unknown}&date=${utcDate(3)}&duration=60`)).statusCode,
    ).toBe(404);
    expect(
      (await get(`/api/v1/availability?facility_id=${unknown}&date=${utcDate(3)}&duration=60`)).statusCode,
    ).toBe(404);
  });

  it('quotes a slot with explanation lines that sum to the total', async () => {
    const res = await get(
      `/api/v1/quote?simulator_id=${f.bayIds[1]}&start_time=${utcSlot(3, 14)}&duration=120`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const q = res.json();
    expect(q).toMatchObject({ available: true, unavailable_reason: null, duration: 120, hourly_rate: 40 });
    expect(q.total_cents).toBe(8000 + 1000);
    expect(q.lines.reduce((sum: number, l: { amount_cents: number }) => sum + l.amount_cents, 0)).toBe(
      q.total_cents,
    );
    expect(q.lines.find((l: { kind: string }) => l.kind === 'rule').explanation).toContain('Evening peak');
  });

  it('quotes an unavailable slot with the reason', async () => {
    const res = await get(
      `/api/v1/quote?simulator_id=${f.bayIds[0]}&start_time=${utcSlot(3, 10)}&duration=60`,
    );
    expect(res.json()).toMatchObject({ available: false });
    expect(res.json().unavailable_reason).toContain('already booked');
    const closed = await get(
      `/api/v1/quote?simulator_id=${f.bayIds[0]}&start_time=${utcSlot(3, 20)}&duration=60`,
    );
    expect(closed.json().available).toBe(false);
    const bad = await get(`/api/v1/quote?simulator_id=${f.bayIds[0]}&start_time=yesterday&duration=60`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('start_time');
  });
});
