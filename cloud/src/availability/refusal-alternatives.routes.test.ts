import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

interface Alternative {
  simulator_id: string;
  start_time: string;
}

// A rush on one released slot: every refusal offers the same alternatives until something in the
// facility changes, so they are computed once per version of the facility, not once per refusal.
describe.each(testDatabases())('alternatives of a refused slot on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 2 });
  });
  afterAll(async () => t?.close());

  const book = (simulatorId: string, startTime: string) =>
    t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: simulatorId,
        start_time: startTime,
        duration: 60,
        customer: { email: `rush${n++}@example.com` },
      },
    });
  const refused = async (simulatorId: string, startTime: string): Promise<Alternative[]> => {
    const res = await book(simulatorId, startTime);
    expect(res.statusCode, res.body).toBe(409);
    return res.json().alternatives;
  };

  it('computes them once while nothing changes, and afresh after a booking', async () => {
    const hot = utcSlot(4, 12);
    expect((await book(f.bayIds[0]!, hot)).statusCode).toBe(201);
    const loads = vi.spyOn(t.app.services.availability, 'loadInput');
    try {
      const first = await refused(f.bayIds[0]!, hot);
      expect(first.length).toBeGreaterThan(0);
      const rush = await Promise.all(Array.from({ length: 5 }, () => refused(f.bayIds[0]!, hot)));
      for (const again of rush) expect(again).toEqual(first);
      expect(loads).toHaveBeenCalledTimes(1);

      // Someone takes the first alternative: the next refusal no longer offers it.
      const taken = first[0]!;
      expect((await book(taken.simulator_id, taken.start_time)).statusCode).toBe(201);
      const after = await refused(f.bayIds[0]!, hot);
      expect(loads).toHaveBeenCalledTimes(2);
      expect(after).not.toContainEqual(
        expect.objectContaining({ simulator_id: taken.simulator_id, start_time: taken.start_time }),
      );
    } finally {
      loads.mockRestore();
    }
  });
});
