import { startHubspotSimulator } from '@clubos/simulators/hubspot/index';
import { startMailServer } from '@clubos/simulators/mail/index';
import type { FastifyInstance } from 'fastify';
import { TestClock } from 'pg-boss';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { testConfig } from '../config.js';
import { createFacility, utcSlot } from '../testing/facility.js';
import { HUBSPOT_TOKEN, jump, useFakeDate } from '../testing/hubspot.js';
import {
  createTestDatabase,
  type TestApp,
  type TestDatabaseKind,
  testDatabases,
} from '../testing/test-app.js';

const STEP_MS = 30_000;
const STEPS = 20; // 10 minutes of clock
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(50);
  }
}

const asTestApp = (app: FastifyInstance, kind: TestDatabaseKind): TestApp => ({
  app,
  kind,
  config: app.config,
  request: ({ token, headers, ...options }) =>
    app.inject({
      ...options,
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    }),
  close: () => app.close(),
});

/**
 * `instances` cloud instances on one database and one HubSpot simulator. Date is faked (timers stay
 * real) and moved 30 s at a time over 10 minutes; a booking is made through a different instance at
 * each step, and every instance that holds the lease then runs a HubSpot pass, as its worker would.
 * Halfway the leader is closed; the lease and the sync move to another instance. At the end every
 * booking is one contact and one note in HubSpot: nothing lost, nothing sent twice.
 */
async function hubspotItemsOnce(kind: TestDatabaseKind, instances: number): Promise<void> {
  useFakeDate();
  const sim = await startHubspotSimulator({ accessToken: HUBSPOT_TOKEN, port: 0, logger: false });
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_once');
  const base = testConfig();
  const apps: FastifyInstance[] = [];
  try {
    for (let i = 1; i <= instances; i++) {
      const config = testConfig({
        databaseUrl,
        jwtSecret: base.jwtSecret,
        accessSigningKey: base.accessSigningKey,
        cluster: { instanceId: `once-${i}`, leaderRetryMs: 200, drainMs: 0 },
        hubspot: { ...base.hubspot, accessToken: HUBSPOT_TOKEN, baseUrl: sim.url, dealMinValueCents: 10_000 },
      });
      apps.push(await buildApp({ config, fastify: { pluginTimeout: 120_000 } }));
    }
    const leaders = () => apps.filter((app) => app.services.leaderLease.held);
    await until(() => leaders().length === 1);
    const firstLeader = leaders()[0]!;
    const facility = await createFacility(asTestApp(apps[0]!, kind), { bays: 4, minAdvanceHours: 0 });

    const emails: string[] = [];
    const running = new Set(apps);
    for (let step = 0; step < STEPS; step++) {
      const alive = [...running];
      const via = asTestApp(alive[step % alive.length]!, kind);
      const email = `once${step}@example.com`;
      const res = await via.request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: {
          simulator_id: facility.bayIds[step % 4],
          start_time: utcSlot(2 + Math.floor(step / 4), 8 + (step % 4)),
          duration: 60,
          customer: { email, first_name: `Once${step}` },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      emails.push(email);
      jump(STEP_MS);
      // Exactly one instance leads at every step; only it syncs.
      expect(leaders().filter((app) => running.has(app))).toHaveLength(1);
      await Promise.all(
        alive.filter((app) => app.services.leaderLease.held).map((app) => app.hubspotSync.worker!.runOnce()),
      );

      if (step === STEPS / 2 && instances > 1) {
        // The leader goes away halfway: another instance takes the lease (and the sync) over.
        running.delete(firstLeader);
        await firstLeader.close();
        await until(() => [...running].some((app) => app.services.leaderLease.held));
      }
    }
    // Past every backoff: the leader drains what is left.
    for (let pass = 0; pass < 10; pass++) {
      const leader = [...running].find((app) => app.services.leaderLease.held)!;
      await leader.hubspotSync.worker!.runOnce();
      jump(60_000);
    }

    if (instances > 1) {
      const nowLeading = [...running].find((app) => app.services.leaderLease.held)!;
      expect(nowLeading).not.toBe(firstLeader);
    }
    for (const email of emails) {
      expect(
        sim.state.contacts().filter((c) => c.properties.email === email),
        email,
      ).toHaveLength(1);
    }
    const noteKeys = sim.state.notes().map((n) => n.properties.clubos_event_id);
    expect(
      noteKeys.filter((k, i) => noteKeys.indexOf(k) !== i),
      'no note sent twice',
    ).toEqual([]);
    expect(noteKeys.filter((k) => k?.endsWith(':booking.created'))).toHaveLength(STEPS);
  } finally {
    for (const app of apps) await app.close().catch(() => {});
    await drop?.();
    await sim.close();
    vi.useRealTimers();
  }
}

/**
 * `instances` instances on one database and one SMTP server, sharing one pg-boss TestClock (the job
 * queue's time, the database's job time and the notifications' "now"), moved 30 s at a time over 10
 * minutes. Eight bookings start a little over 2 h from now, so their 2 h reminders fall due inside
 * the window; one instance is closed halfway. Every confirmation and every due reminder arrives
 * exactly once.
 */
async function remindersOnce(kind: TestDatabaseKind, instances: number): Promise<void> {
  const mail = await startMailServer({ httpPort: false });
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_once');
  const clock = new TestClock(Date.now());
  const base = testConfig();
  const apps: FastifyInstance[] = [];
  try {
    for (let i = 1; i <= instances; i++) {
      const config = testConfig({
        databaseUrl,
        jwtSecret: base.jwtSecret,
        accessSigningKey: base.accessSigningKey,
        cluster: { instanceId: `mail-${i}`, leaderRetryMs: 200, drainMs: 0 },
        notifications: { ...base.notifications, smtpUrl: mail.smtpUrl, clock, pollIntervalMs: 1_000 },
      });
      apps.push(await buildApp({ config, fastify: { pluginTimeout: 120_000 } }));
    }
    const facility = await createFacility(asTestApp(apps[0]!, kind), {
      bays: 8,
      slotMinutes: 5,
      minAdvanceHours: 0,
    });
    // Starts on the 5-minute grid, 2 h + 1 to 6 min and 2 h + 6 to 11 min away.
    const first = Math.ceil((clock.now() + 2 * 3_600_000 + 60_000) / 300_000) * 300_000;
    const bookings: Array<{ email: string; due: number }> = [];
    for (let i = 0; i < 8; i++) {
      const start = first + (i < 4 ? 0 : 300_000);
      const email = `remind${i}@example.com`;
      const res = await asTestApp(apps[i % apps.length]!, kind).request({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: {
          simulator_id: facility.bayIds[i],
          start_time: new Date(start).toISOString(),
          duration: 60,
          customer: { email },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      bookings.push({ email, due: start - 2 * 3_600_000 });
    }
    const end = clock.now() + STEPS * STEP_MS;
    const running = [...apps];
    for (let step = 0; step < STEPS; step++) {
      await clock.tick(STEP_MS);
      await sleep(50);
      if (step === STEPS / 2 && instances > 1) await running.shift()!.close();
    }
    // A reminder due in the last minute may still be on its way: one more minute, then count.
    for (let i = 0; i < 12; i++) {
      await clock.tick(5_000);
      await sleep(50);
    }
    await sleep(500);
    for (const b of bookings) {
      const confirmations = mail.messages({ to: b.email, subject: /^Booking confirmed/ });
      const reminders = mail.messages({ to: b.email, subject: /^Reminder/ });
      expect(confirmations, `${b.email} confirmation`).toHaveLength(1);
      // Due inside the 10 minutes: sent once. Due in the extra minute: at most once, never twice.
      if (b.due <= end) expect(reminders, `${b.email} reminder`).toHaveLength(1);
      else expect(reminders.length, `${b.email} reminder`).toBeLessThanOrEqual(1);
    }
    expect(bookings.filter((b) => b.due <= end).length).toBeGreaterThanOrEqual(4);
  } finally {
    for (const app of apps) await app.close().catch(() => {});
    await drop?.();
    await mail.close();
  }
}

describe.each(testDatabases())('background work runs once on %s', { timeout: 240_000 }, (kind) => {
  afterAll(() => vi.useRealTimers());

  // PGlite is in-process: one instance. PostgreSQL: three, with the leader closed halfway.
  const instances = kind === 'postgres' ? 3 : 1;
  it(`${instances} instance(s), 10 minutes of clock: every HubSpot item once, the sync moves with the lease`, async () => {
    await hubspotItemsOnce(kind, instances);
  });
  it(`${instances} instance(s), 10 minutes of clock: every confirmation and due reminder once`, async () => {
    await remindersOnce(kind, instances);
  });
});
