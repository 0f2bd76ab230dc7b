import { randomUUID } from 'node:crypto';
import { generateBookingCode } from '@clubos/shared/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEdge } from '../testing/edge-node.js';
import { createFacility, type FacilityFixture, loginAdmin, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

const HOUR = 3_600_000;

/**
 * The kiosk shows the walk-in's door PIN at once (the edge picks it), so the cloud must keep that
 * PIN: a PIN of its own would come back through the feed and replace the one the customer holds.
 */
describe.each(testDatabases())('the door PIN of an edge walk-in on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let key: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 1 });
    ({ key } = await registerEdge(t, await loginAdmin(t), f.facilityId, 'Front desk'));
  });
  afterAll(async () => t?.close());

  const upload = async (payload: Record<string, unknown>) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/edge/events',
      headers: { authorization: `Edge ${key}` },
      payload: {
        v: 1,
        facility_id: f.facilityId,
        events: [
          {
            v: 1,
            event_id: randomUUID(),
            type: 'walk_in.created',
            occurred_at: new Date().toISOString(),
            facility_id: f.facilityId,
            payload,
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().results[0] as { status: string; reason?: string };
  };
  const walkIn = (start: string, extra: Record<string, unknown>) => ({
    booking_id: randomUUID(),
    reference_code: generateBookingCode(),
    simulator_id: f.bayIds[0],
    start_time: start,
    end_time: new Date(Date.parse(start) + HOUR).toISOString(),
    duration: 60,
    price_cents: 3500,
    provisional: false,
    ...extra,
  });
  const accessCodeOf = async (id: string) =>
    (
      await t.request({
        method: 'GET',
        url: `/api/v1/bookings/${id}`,
        headers: { authorization: `Edge ${key}` },
      })
    ).json().access_code as string;

  it('keeps the PIN the edge gave the customer, and the feed carries it back', async () => {
    const payload = walkIn(utcSlot(1, 10), { access_code: '004219' });
    expect((await upload(payload)).status).toBe('accepted');
    expect(await accessCodeOf(payload.booking_id)).toBe('004219');
  });

  it('issues a PIN when the edge sent none (an older edge)', async () => {
    const payload = walkIn(utcSlot(1, 12), {});
    expect((await upload(payload)).status).toBe('accepted');
    expect(await accessCodeOf(payload.booking_id)).toMatch(/^\d{6}$/);
  });

  it('refuses a PIN that is not six digits, naming the field', async () => {
    const payload = walkIn(utcSlot(1, 14), { access_code: '12ab' });
    const result = await upload(payload);
    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(/access_code/);
  });
});
