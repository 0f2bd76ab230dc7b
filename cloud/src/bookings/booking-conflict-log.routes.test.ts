import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { type CapturedLine, captureLog, type LogCapture } from '../testing/log-capture.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

// A 409 is an answer, not a failure. Concurrent twins (one Idempotency-Key) whose losers meet the
// winner's booking once logged "Promise errored, but reply.sent = true was set" at error level with
// the 409's stack: the replay helper returned the (thenable) reply from an async function.
describe.each(testDatabases())(
  'conflicts on the idempotent booking route on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let f: FacilityFixture;
    let log: LogCapture;
    const guest = { email: 'guest@example.com', first_name: 'Gus', last_name: 'Guest' };
    const slot = (hour: number) => ({
      simulator_id: f.bayIds[0],
      start_time: utcSlot(2, hour),
      duration: 60,
      customer: guest,
    });
    const book = (payload: object, key: string) =>
      t.request({ method: 'POST', url: '/api/v1/bookings', payload, headers: { 'idempotency-key': key } });
    const completed = (lines: CapturedLine[], status: number) =>
      lines.filter(
        (l) => l.msg === 'request completed' && (l.res as { statusCode?: number }).statusCode === status,
      );

    beforeAll(async () => {
      log = captureLog();
      t = await createTestApp(kind, {}, { logStream: log.stream });
      f = await createFacility(t, { bays: 1 });
    });
    afterAll(async () => t?.close());

    it('answers a taken slot with the 409 body and logs it at info, without a stack', async () => {
      expect((await book(slot(10), 'first-booking')).statusCode).toBe(201);
      const before = log.lines().length;
      const taken = await book(slot(10), 'second-booking');
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: 'start_time' });
      expect(taken.json().alternatives.length).toBeGreaterThan(0);
      const lines = log.lines().slice(before);
      expect(completed(lines, 409)).toHaveLength(1);
      expect(lines.filter((l) => l.level === 30 && l.code === 'SLOT_UNAVAILABLE')).toHaveLength(1);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      expect(lines.filter((l) => l.err?.stack !== undefined)).toEqual([]);
    });

    it('concurrent twins get the one booking (replayed) and log no error', async () => {
      const before = log.lines().length;
      const answers = await Promise.all(Array.from({ length: 6 }, () => book(slot(14), 'twin-key')));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(6).fill(201));
      expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
      expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
      const lines = log.lines().slice(before);
      expect(completed(lines, 201)).toHaveLength(6);
      expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    });
  },
);
