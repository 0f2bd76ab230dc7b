import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe.each(testDatabases())('exactly once on %s', (kind) => {
  let w: NotificationsWorld;
  beforeAll(async () => {
    w = await notificationsWorld(kind);
  }, 120_000);
  afterAll(async () => w?.close());

  it('an outbox row dispatched again (a crash before it was marked) makes no second message', async () => {
    const email = 'replayed@example.com';
    const booking = await guestBooking(w.t, w.facility.bayIds[0]!, slot(4, 15), { email });
    await w.mail.waitForMessage({ to: email }, 15_000);
    // As if the instance died between inserting the job and marking the row: the row is pending again.
    for (let i = 0; i < 50; i++) {
      const { rows } = (await w.t.app.db.execute(
        sql`UPDATE notification_messages SET status = 'pending' WHERE booking_id = ${booking.id} AND status = 'sent' RETURNING id`,
      )) as unknown as { rows: unknown[] };
      if (rows.length === 1) break;
      await settle(50);
    }
    expect(await w.t.app.services.notificationQueue!.dispatch()).toBe(1);
    await settle(1_500);
    expect(w.mail.messages({ to: email })).toHaveLength(1);
  }, 60_000);
});

// Two instances need one shared server: PostgreSQL only (PGlite is in-process).
describe.each(testDatabases().filter((k) => k === 'postgres'))('two cloud instances on %s', (kind) => {
  let w: NotificationsWorld;
  let second: FastifyInstance | undefined;
  beforeAll(async () => {
    w = await notificationsWorld(kind, { facility: { bays: 4 } });
    second = await buildApp({ config: w.t.config });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await w?.close();
  });

  it('both run the dispatcher and the workers; each confirmation is sent once', async () => {
    const emails = Array.from({ length: 16 }, (_, i) => `twin${i}@example.com`);
    await Promise.all(
      emails.map((email, i) =>
        guestBooking(w.t, w.facility.bayIds[i % 4]!, slot(5, 6 + Math.floor(i / 4)), { email }),
      ),
    );
    for (let i = 0; i < 200 && emails.some((e) => w.mail.messages({ to: e }).length === 0); i++)
      await settle(100);
    await settle(1_500);
    for (const email of emails) expect(w.mail.messages({ to: email }), email).toHaveLength(1);
  }, 60_000);
});
