import { expect } from 'vitest';
import { FacilityRepository } from '../facilities/facility.repository.js';
import { createTestApp, type TestApp, type TestDatabaseKind } from './test-app.js';

export interface FacilityFixture {
  facilityId: string;
  bayIds: string[];
  timezone: string;
}

export interface FacilityOptions {
  name?: string;
  timezone?: string;
  bays?: number;
  hourlyRateCents?: number;
  /** Opening hours every day, facility-local. */
  open?: string;
  close?: string;
  slotMinutes?: number;
  bufferMinutes?: number;
  minAdvanceHours?: number;
  maxAdvanceDays?: number;
  settings?: Record<string, unknown>;
  pricingRules?: {
    name: string;
    type?: string;
    conditions: Record<string, unknown>;
    modifier_type: 'percentage' | 'fixed';
    price_modifier: number;
    priority?: number;
  }[];
}

/** A facility with bays open every day, straight through the repository (admin CRUD is elsewhere). */
export async function createFacility(t: TestApp, options: FacilityOptions = {}): Promise<FacilityFixture> {
  const repo = new FacilityRepository(t.app.db);
  const timezone = options.timezone ?? 'UTC';
  const facility = await repo.insertFacility({
    name: options.name ?? 'Test Golf',
    timezone,
    settings: { tax_rate_bps: 0, ...options.settings },
  });
  const bayIds: string[] = [];
  for (let i = 1; i <= (options.bays ?? 2); i++) {
    const bay = await repo.insertBay({
      facilityId: facility.id,
      name: `Bay ${i}`,
      bayNumber: i,
      type: 'trackman',
      hourlyRateCents: options.hourlyRateCents ?? 4000,
      unifiDoorId: `door-bay-${i}`,
    });
    bayIds.push(bay.id);
    await repo.insertAvailabilityRules(
      Array.from({ length: 7 }, (_, day) => ({
        simulatorId: bay.id,
        dayOfWeek: day,
        startTime: options.open ?? '00:00',
        endTime: options.close ?? '24:00',
        slotDuration: options.slotMinutes ?? 60,
        bufferTime: options.bufferMinutes ?? 0,
        maxAdvanceDays: options.maxAdvanceDays ?? 60,
        minAdvanceHours: options.minAdvanceHours ?? 1,
      })),
    );
  }
  await repo.insertPricingRules(
    (options.pricingRules ?? []).map((r) => ({
      facilityId: facility.id,
      name: r.name,
      type: r.type ?? 'time_based',
      conditions: r.conditions,
      modifierType: r.modifier_type,
      priceModifier: String(r.price_modifier),
      priority: r.priority ?? 0,
    })),
  );
  return { facilityId: facility.id, bayIds, timezone };
}

/** `days` from today (UTC) at `hour`:00 UTC, as an ISO instant: on the hourly grid of a UTC facility. */
export function utcSlot(days: number, hour: number): string {
  const now = new Date();
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour),
  ).toISOString();
}

/** POST /bookings as a guest known by an email only; the answer is returned as is. */
export function bookAsGuest(
  t: TestApp,
  simulatorId: string | undefined,
  startTime: string,
  email: string,
  duration = 60,
) {
  return t.request({
    method: 'POST',
    url: '/api/v1/bookings',
    payload: { simulator_id: simulatorId, start_time: startTime, duration, customer: { email } },
  });
}

export function utcDate(days: number): string {
  return utcSlot(days, 0).slice(0, 10);
}

/** The configured admin's access token (POST /auth/login). */
export async function loginAdmin(t: TestApp): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: t.config.adminEmail, password: t.config.adminPassword },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token as string;
}

export interface Tokens {
  admin: string;
  staff: string;
  otherStaff: string;
  customer: string;
  otherCustomer: string;
  customerId: string;
  otherCustomerId: string;
}

let counter = 0;

/** Logged-in users of every role: staff of `facilityId`, staff of another facility, two customers. */
export async function createUsers(t: TestApp, facilityId: string, otherFacilityId: string): Promise<Tokens> {
  const n = ++counter;
  const login = async (email: string, password: string) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().access_token as string;
  };
  const admin = await login(t.config.adminEmail, t.config.adminPassword!);
  const staffUser = async (email: string, facility: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      token: admin,
      payload: { email, password: 'staff-password-1', role: 'staff', facility_ids: [facility] },
    });
    expect(res.statusCode, res.body).toBe(201);
    return login(email, 'staff-password-1');
  };
  const customer = async (email: string) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: 'customer-pass-1', first_name: 'Casey' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { token: res.json().access_token as string, id: res.json().user.customer_id as string };
  };
  const c1 = await customer(`customer${n}@example.com`);
  const c2 = await customer(`other${n}@example.com`);
  return {
    admin,
    staff: await staffUser(`staff${n}@example.com`, facilityId),
    otherStaff: await staffUser(`otherstaff${n}@example.com`, otherFacilityId),
    customer: c1.token,
    otherCustomer: c2.token,
    customerId: c1.id,
    otherCustomerId: c2.id,
  };
}

export interface Venue {
  t: TestApp;
  f: FacilityFixture;
  other: FacilityFixture;
  u: Tokens;
}

/**
 * A fresh app on `kind` with a facility (two bays unless `facility` says otherwise), another
 * facility with one bay, and a logged-in user of every role: the opening of the booking and edge suites.
 */
export async function openVenue(
  kind: TestDatabaseKind,
  options: { facility?: FacilityOptions; other?: FacilityOptions } = {},
): Promise<Venue> {
  const t = await createTestApp(kind);
  try {
    const f = await createFacility(t, { bays: 2, ...options.facility });
    const other = await createFacility(t, { name: 'Other', bays: 1, ...options.other });
    return { t, f, other, u: await createUsers(t, f.facilityId, other.facilityId) };
  } catch (error) {
    await t.close();
    throw error;
  }
}
