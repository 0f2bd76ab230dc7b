import { type HubspotSimulator, startHubspotSimulator } from '@clubos/simulators/hubspot/index';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { buildApp } from '../app.js';
import { type CloudConfig, type HubspotConfig, testConfig } from '../config.js';
import type { HubspotSyncWorker, PassReport } from '../hubspot/hubspot-sync.worker.js';
import {
  createFacility,
  createUsers,
  type FacilityFixture,
  type FacilityOptions,
  type Tokens,
  utcSlot,
} from './facility.js';
import { createTestDatabase, type TestApp, type TestDatabaseKind } from './test-app.js';

/**
 * Shared by the HubSpot sync suites: the real cloud app (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set) with the sync pointed at a HubSpot simulator over real HTTP.
 * The worker's own timer polls hourly here; tests drive passes with `worker.runOnce()` and move
 * time with `jump` (Date is faked, timers are real), so backoff never means real waiting.
 */
export const HUBSPOT_TOKEN = 'pat-na1-cloud-test';

export interface HubspotHarness {
  t: TestApp;
  sim: HubspotSimulator;
  worker: HubspotSyncWorker;
  close(): Promise<void>;
}

export async function startHubspotHarness(
  kind: TestDatabaseKind,
  hubspot: Partial<HubspotConfig> = {},
  config: Partial<CloudConfig> = {},
): Promise<HubspotHarness> {
  const sim = await startHubspotSimulator({ accessToken: HUBSPOT_TOKEN, port: 0 });
  const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_hubspot');
  const base = testConfig();
  const cloudConfig = testConfig({
    databaseUrl,
    // Tokens must outlive the simulated hours the suites jump over.
    accessTokenTtlSeconds: 30 * 86_400,
    ...config,
    hubspot: {
      ...base.hubspot,
      accessToken: HUBSPOT_TOKEN,
      baseUrl: sim.url,
      dealMinValueCents: 10_000,
      pollIntervalMs: 3_600_000,
      requestTimeoutMs: 2_000,
      ...hubspot,
    },
  });
  // The machine is shared: give PGlite and the migrations time to start.
  const app = await buildApp({ config: cloudConfig, fastify: { pluginTimeout: 120_000 } });
  const t: TestApp = {
    app,
    kind,
    config: cloudConfig,
    request: ({ token, headers, ...options }) =>
      app.inject({
        ...options,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }),
    close: async () => {
      await app.close();
      await drop?.();
    },
  };
  const worker = app.hubspotSync.worker!;
  return {
    t,
    sim,
    worker,
    close: async () => {
      await t.close();
      await sim.close();
    },
  };
}

/** Fakes only `Date` (timers stay real), so the app, the simulator and PGlite share one clock. */
export function useFakeDate(): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
}

/** Moves the shared clock forward. */
export function jump(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

/**
 * Runs passes, jumping over every pause, until nothing is pending: the sync's steady state.
 * Returns the reports so a test can see how much work it took.
 */
export async function drain(h: HubspotHarness, maxPasses = 50): Promise<PassReport[]> {
  const reports: PassReport[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const report = await h.worker.runOnce();
    reports.push(report);
    const { totals } = await h.t.app.hubspotSync.service.status({ limit: 1, offset: 0 });
    if (totals.pending === 0 && totals.events_waiting === 0) return reports;
    const paused = h.worker.health().pausedUntil;
    // Past any pause and any item's backoff (the longest is the backoff cap).
    jump(paused ? paused - Date.now() + 1 : 60_000);
  }
  throw new Error(`HubSpot sync did not drain in ${maxPasses} passes`);
}

export async function facilityWithBays(t: TestApp, options: FacilityOptions = {}): Promise<FacilityFixture> {
  return createFacility(t, { bays: 4, hourlyRateCents: 4_000, minAdvanceHours: 0, ...options });
}

/** A guest checkout: `POST /api/v1/bookings` with a `customer` block. */
export async function guestBooking(
  t: TestApp,
  simulatorId: string,
  startTime: string,
  customer: { email: string; first_name?: string; last_name?: string; phone?: string },
): Promise<{ id: string; customer_id: string; ms: number }> {
  const started = performance.now();
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/bookings',
    payload: { simulator_id: simulatorId, start_time: startTime, duration: 60, customer },
  });
  const ms = performance.now() - started;
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json();
  return { id: body.id ?? body.booking?.id, customer_id: body.customer_id ?? body.booking?.customer_id, ms };
}

/** An instant `days` from now at `hour`:00 UTC (the fixtures' facility runs on UTC). */
export const slot = utcSlot;

export interface HubspotSuite extends HubspotHarness {
  /** A 4-bay facility, and logged-in users of every role (staff of it and of another facility). */
  facility: FacilityFixture;
  users: Tokens;
}

/**
 * The opening the driven sync suites share, registered as the suite's first hooks: `Date` faked,
 * the harness started, a facility and users created and their registrations drained.
 */
export function hubspotSuite(kind: TestDatabaseKind, hubspot: Partial<HubspotConfig> = {}): HubspotSuite {
  let h: HubspotHarness | undefined;
  let facility: FacilityFixture | undefined;
  let users: Tokens | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('hubspotSuite: used before the suite started');
    return value;
  };
  beforeAll(async () => {
    useFakeDate();
    h = await startHubspotHarness(kind, hubspot);
    facility = await facilityWithBays(h.t);
    const other = await facilityWithBays(h.t, { name: 'Other Golf' });
    users = await createUsers(h.t, facility.facilityId, other.facilityId);
    await drain(h); // the two registrations
  }, 180_000); // a busy shared machine: PGlite start-up, migrations, argon2 logins
  afterAll(async () => {
    await h?.close();
    vi.useRealTimers();
  });
  return {
    get t() {
      return started(h).t;
    },
    get sim() {
      return started(h).sim;
    },
    get worker() {
      return started(h).worker;
    },
    get facility() {
      return started(facility);
    },
    get users() {
      return started(users);
    },
    close: () => started(h).close(),
  };
}
