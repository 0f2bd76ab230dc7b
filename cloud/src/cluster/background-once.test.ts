import { startHubspotSimulator } from '@clubos/simulators/hubspot/index';
import { startMailServer } from '@clubos/simulators/mail/index';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { TestClock } from 'pg-boss';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { type CloudConfig, testConfig } from '../config.js';
import { createFacility, utcSlot } from '../testing/facility.js';
import { HUBSPOT_TOKEN, jump } from '../testing/hubspot.js';
import {
  createTestDatabase,
  type TestApp,
  type TestDatabaseKind,
  testDatabases,
} from '../testing/test-app.js';

const STEP_MS = 30_000;
const STEPS = 20; // 10 minutes of clock
/** Only Date is faked (timers stay real), as in the HubSpot suites. */
const fakeDate = () => vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` instances on one database, sharing secrets, each with its own name; pushed as they start. */
async function startInstances(
  apps: FastifyInstance[],
  databaseUrl: string | undefined,
  count: number,
  name: string,
  more: (base: CloudConfig) => Partial<CloudConfig> = () => ({}),
): Promise<void> {
  const base = testConfig();
  for (let i = 1; i <= count; i++) {
    const config = testConfig({
      databaseUrl,
      jwtSecret: base.jwtSecret,
      accessSigningKey: base.accessSigningKey,
      cluster: { instanceId: `${name}-${i}`, leaderRetryMs: 200, drainMs: 0 },
      ...more(base),
    });
    apps.push(await buildApp({ config, fastify: { pluginTimeout: 120_000 } }));
  }
}

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
  fakeDate();
  const sim = await startHubspotSimulator({ accessToken: HUBSPOT_TOKEN, port: 0, logger: false });
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_once');
  const apps: FastifyInstance[] = [];
  try {
    await startInstances(apps, databaseUrl, instances, 'once', (base) => ({
      hubspot: { ...base.hubspot, accessToken: HUBSPOT_TOKEN, baseUrl: sim.url, dealMinValueCents: 10_000 },
    }));
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
  const apps: FastifyInstance[] = [];
  try {
    await startInstances(apps, databaseUrl, instances, 'mail', (base) => ({
      notifications: { ...base.notifications, smtpUrl: mail.smtpUrl, clock, pollIntervalMs: 1_000 },
    }));
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

const MINUTE = 60_000;

/**
 * Waitlist offers and the purge of their holds. Before the window, four slots are cancelled a minute
 * apart, each offered (15-minute hold) to the first of two customers waiting for it. The window
 * (10 minutes of faked clock, 30 s steps, the leader closed halfway) fires every instance's sweep
 * timer at each step; only the leader sweeps. Offers lapsing inside it are expired once, their hold
 * purged once, and the slot offered once to the second in line.
 */
async function waitlistOnce(kind: TestDatabaseKind, instances: number): Promise<void> {
  fakeDate();
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_once');
  const apps: FastifyInstance[] = [];
  try {
    await startInstances(apps, databaseUrl, instances, 'wait');
    const t = asTestApp(apps[0]!, kind);
    // Reads go through an instance that is still running (the first may be the leader that closes).
    let reader = apps[0]!;
    const facility = await createFacility(t, { bays: 4, minAdvanceHours: 0 });
    const token = async (email: string) => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password: 'customer-password-1' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().access_token as string;
    };
    const [owner, firstInLine, secondInLine] = [
      await token('owner@example.com'),
      await token('first@example.com'),
      await token('second@example.com'),
    ];
    const slots = facility.bayIds.map((bay, i) => ({
      simulator_id: bay,
      start_time: utcSlot(3, 9 + i),
      duration: 60,
    }));
    const entryIds: Array<{ first: string; second: string }> = [];
    const bookingIds: string[] = [];
    for (const slot of slots) {
      const booked = await t.request({
        method: 'POST',
        url: '/api/v1/bookings',
        token: owner,
        payload: slot,
      });
      expect(booked.statusCode, booked.body).toBe(201);
      bookingIds.push(booked.json().id);
      const first = await t.request({
        method: 'POST',
        url: '/api/v1/waitlist',
        token: firstInLine,
        payload: slot,
      });
      const second = await t.request({
        method: 'POST',
        url: '/api/v1/waitlist',
        token: secondInLine,
        payload: slot,
      });
      expect(first.statusCode, first.body).toBe(201);
      expect(second.statusCode, second.body).toBe(201);
      // The line is ordered by created_at, the database's clock; under this file's faked Date the
      // in-process (WASM) database's clock can give both joins the same instant, and the tie then
      // falls to the random ids. Say who queued first.
      await reader.db.execute(
        sql`UPDATE waitlist_entries SET created_at = created_at + interval '1 second' WHERE id = ${second.json().id}::uuid`,
      );
      entryIds.push({ first: first.json().id, second: second.json().id });
    }
    const status = async (id: string) =>
      (
        (await reader.db.execute(
          sql`SELECT status, offer_booking_id, offer_expires_at FROM waitlist_entries WHERE id = ${id}::uuid`,
        )) as unknown as {
          rows: Array<{
            status: string;
            offer_booking_id: string | null;
            offer_expires_at: string | Date | null;
          }>;
        }
      ).rows[0]!;
    const firstHolds: string[] = [];
    const lapsesAt: number[] = [];
    for (const [i, id] of bookingIds.entries()) {
      const res = await t.request({
        method: 'POST',
        url: `/api/v1/bookings/${id}/cancel`,
        token: owner,
        payload: { reason: 'plans changed' },
      });
      expect(res.statusCode, res.body).toBe(200);
      // The offer is made after the commit: wait for it.
      const deadline = Date.now() + 30_000;
      while ((await status(entryIds[i]!.first)).status !== 'offered' && Date.now() < deadline)
        await sleep(50);
      const offered = await status(entryIds[i]!.first);
      expect(offered.status, `slot ${i} offered to the first in line`).toBe('offered');
      firstHolds.push(offered.offer_booking_id!);
      lapsesAt.push(new Date(offered.offer_expires_at!).getTime());
      jump(MINUTE);
    }
    // Offers made at +0..+3 min lapse at +15..+18; the window runs from +7 to +17 min.
    jump(3 * MINUTE);
    let lastSweepAt = 0;
    const running = new Set(apps);
    const firstLeader = apps.find((app) => app.services.leaderLease.held)!;
    for (let step = 0; step < STEPS; step++) {
      jump(STEP_MS);
      lastSweepAt = Date.now();
      await Promise.all([...running].map((app) => app.services.periodicWork.tick('waitlist-sweep')));
      if (step === STEPS / 2 && instances > 1) {
        running.delete(firstLeader);
        reader = [...running][0]!;
        await firstLeader.close();
        await until(() => [...running].some((app) => app.services.leaderLease.held));
      }
    }
    const sweeps = apps.map((app) => app.services.periodicWork.runs()['waitlist-sweep'] ?? 0);
    expect(
      sweeps.reduce((a, b) => a + b, 0),
      'one sweep per step, deployment-wide',
    ).toBe(STEPS);
    if (instances > 1) expect(sweeps.filter((n) => n > 0).length).toBeGreaterThan(1);

    const offerMails = async (bookingId: string) =>
      (
        (await reader.db.execute(
          sql`SELECT count(*)::int AS n FROM notification_messages WHERE booking_id = ${bookingId}::uuid AND kind = 'waitlist_offer'`,
        )) as unknown as { rows: Array<{ n: number }> }
      ).rows[0]!.n;
    const holdExists = async (id: string) =>
      (
        (await reader.db.execute(
          sql`SELECT count(*)::int AS n FROM bookings WHERE id = ${id}::uuid`,
        )) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]!.n === 1;
    let lapsed = 0;
    for (const [i, entry] of entryIds.entries()) {
      const first = await status(entry.first);
      const second = await status(entry.second);
      expect(await offerMails(firstHolds[i]!), `slot ${i}: the first offer mailed once`).toBe(1);
      // Lapsed before the last sweep: expired; still open after it: offered (Date also runs on by itself).
      if (lapsesAt[i]! < lastSweepAt - 1_000) {
        expect(first.status).toBe('expired');
        lapsed++;
        expect(await holdExists(firstHolds[i]!), 'the lapsed hold is purged').toBe(false);
        expect(second.status).toBe('offered');
        expect(await offerMails(second.offer_booking_id!), 'the next offer mailed once').toBe(1);
      } else if (lapsesAt[i]! > Date.now()) {
        expect(first.status).toBe('offered');
      }
    }
    expect(lapsed).toBeGreaterThanOrEqual(2);
  } finally {
    for (const app of apps) await app.close().catch(() => {});
    await drop?.();
    vi.useRealTimers();
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
  it(`${instances} instance(s), 10 minutes of clock: every lapsed offer expired, purged and passed on once`, async () => {
    await waitlistOnce(kind, instances);
  });
});
