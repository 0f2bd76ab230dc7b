import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type MailServer, startMailServer } from '@clubos/simulators/mail/index';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createFacility } from '../testing/facility.js';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

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

// Kill -9 while sending (PostgreSQL only: an in-memory PGlite dies with its process). In this file
// so that a run without TEST_DATABASE_URL still finds the file's PGlite suites.
const CHILD = join(import.meta.dirname, '../testing/notify-cloud.child.ts');

function startCloud(t: TestApp, mail: MailServer): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      NOTIFY_CHILD_DB: t.config.databaseUrl,
      NOTIFY_CHILD_SMTP: mail.smtpUrl,
      NOTIFY_CHILD_JWT: t.config.jwtSecret,
      NOTIFY_CHILD_KEY: t.config.accessSigningKey,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`cloud exited with ${code}`)));
  });
}

// A process killed and started again on the same data: PostgreSQL (in-memory PGlite dies with it).
describe.each(testDatabases().filter((k) => k === 'postgres'))('kill -9 while sending on %s', (kind) => {
  let t: TestApp;
  let mail: MailServer;
  let cloud: ChildProcess | undefined;
  beforeAll(async () => {
    mail = await startMailServer({ httpPort: false });
    // This app only writes bookings (no SMTP_URL: it sends nothing); the child process sends.
    t = await createTestApp(kind);
  }, 120_000);
  afterAll(async () => {
    cloud?.kill('SIGKILL');
    await t?.close();
    await mail?.close();
  });

  it('after a restart every message is out, and none twice except with its own Message-ID', async () => {
    const facility = await createFacility(t, { bays: 8, minAdvanceHours: 0 });
    const emails: string[] = [];
    for (let i = 0; i < 120; i++) {
      const email = `crash${i}@example.com`;
      emails.push(email);
      await guestBooking(
        t,
        facility.bayIds[i % 8]!,
        slot(2 + Math.floor(i / 64), (Math.floor(i / 8) % 8) + 8),
        { email },
      );
    }
    cloud = await startCloud(t, mail);
    while (mail.received() < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    cloud.kill('SIGKILL');
    const atKill = mail.received();
    expect(atKill).toBeLessThan(120);
    cloud = await startCloud(t, mail);
    for (let i = 0; i < 900 && emails.some((e) => mail.messages({ to: e }).length === 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const email of emails) expect(mail.messages({ to: email }).length, email).toBeGreaterThanOrEqual(1);
    const doubled = emails.filter((e) => mail.messages({ to: e }).length > 1);
    // Only a message in flight at the kill (SMTP accepted, not yet recorded) may go twice, and then
    // with the same Message-ID, which mail stores use to drop the copy (decision 011).
    for (const email of doubled) {
      expect(new Set(mail.messages({ to: email }).map((m) => m.messageId)).size, email).toBe(1);
    }
    expect(doubled.length).toBeLessThanOrEqual(50);
    // A message is recorded sent after the SMTP server accepted it: the last records trail the inbox.
    const sent = async () =>
      (
        (await t.app.db.execute(
          sql`SELECT count(*)::int AS n FROM notification_messages WHERE status = 'sent'`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]!.n;
    await expect.poll(sent, { timeout: 60_000, interval: 200 }).toBe(120);
    console.log(`kill -9 at ${atKill} received; ${doubled.length} sent twice (same Message-ID)`);
  }, 240_000);
});
