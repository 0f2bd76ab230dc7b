import { setImmediate as yieldLoop } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../config.js';
import { bookAsGuest, createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { SHED_SAMPLE_MS } from './load-shedding.plugin.js';

const resilience = { ...testConfig().resilience, maxEventLoopDelayMs: 50, retryAfterSeconds: 3 };

/** Keeps the loop busy in 150 ms slices for a few sampling periods, as a CPU-bound request storm would. */
async function blockLoop(totalMs: number): Promise<void> {
  const until = Date.now() + totalMs;
  while (Date.now() < until) {
    const sliceEnd = Date.now() + 150;
    while (Date.now() < sliceEnd) {
      // busy: nothing else runs
    }
    await yieldLoop();
  }
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testDatabases())('load shedding on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let f: FacilityFixture;

  beforeAll(async () => {
    t = await createTestApp(kind, { resilience });
    f = await createFacility(t);
  });
  afterAll(async () => t?.close());

  it('answers 503 OVERLOADED with Retry-After while the loop lags, keeps /health/live, then books again', async () => {
    // Start-up (migrations, seeding) itself lags the loop: wait for a calm sample first.
    const calm = await eventually(
      () => bookAsGuest(t, f.bayIds[0], utcSlot(2, 9), 'calm@example.com'),
      (r) => r.statusCode !== 503,
    );
    expect(calm.statusCode, calm.body).toBe(201);

    await blockLoop(SHED_SAMPLE_MS * 4);
    const shed = await bookAsGuest(t, f.bayIds[0], utcSlot(2, 10), 'shed@example.com');
    const live = await t.request({ method: 'GET', url: '/health/live' });

    expect(shed.statusCode, shed.body).toBe(503);
    expect(shed.headers['retry-after']).toBe('3');
    expect(shed.json().error.code).toBe('OVERLOADED');
    expect(shed.json().error.message).toMatch(/event loop (\d+|over 1000) ms behind/);
    expect(live.statusCode).toBe(200);

    // Once the loop is free again, the next sample lifts the pressure and the same booking goes in.
    const after = await eventually(
      () => bookAsGuest(t, f.bayIds[0], utcSlot(2, 10), 'shed@example.com'),
      (r) => r.statusCode !== 503,
    );
    expect(after.statusCode, after.body).toBe(201);
  });
});

describe.each(testDatabases().filter((k) => k === 'postgres'))(
  'load shedding on the database queue on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(kind, {
        resilience: { ...resilience, maxEventLoopDelayMs: 0, maxDbWaiting: 10 },
      });
    });
    afterAll(async () => t?.close());

    it('sheds while queries queue for a pool connection, and serves again once the queue drains', async () => {
      // 60 slow queries on a pool of 20: 40 wait for a connection, past the threshold of 10.
      // (Drizzle queries start when awaited: Promise.all starts them.)
      const slow = Promise.all(Array.from({ length: 60 }, () => t.app.db.execute(sql`select pg_sleep(0.6)`)));
      // Requests arrive while the queue builds (not one after another: each would wait in the queue).
      const answers = [];
      for (let i = 0; i < 30; i++) {
        answers.push(t.request({ method: 'GET', url: '/health' }));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const shed = (await Promise.all(answers)).find((r) => r.statusCode === 503);
      expect(shed, 'no request was shed').toBeDefined();
      if (!shed) return;
      expect(shed.statusCode).toBe(503);
      expect(shed.json().error.code).toBe('OVERLOADED');
      expect(shed.json().error.message).toMatch(/database connection queue/);
      expect(shed.headers['retry-after']).toBe('3');
      await slow;
      const ready = await eventually(
        () => t.request({ method: 'GET', url: '/health' }),
        (r) => r.statusCode === 200,
      );
      expect(ready.statusCode).toBe(200);
    });
  },
);
