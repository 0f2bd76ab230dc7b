import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { BookingRepository, type NewBookingRow } from '../bookings/booking.repository.js';
import { createTestApp, type TestApp, type TestDatabaseKind } from './test-app.js';

/**
 * A small world for the customers / waitlist / admin suites: two facilities (A with two bays,
 * B with one), bays open around the clock on a 60-minute grid with no notice period, and a
 * logged-in user of every role plus an edge key for facility A.
 */
export interface OpsWorld {
  facilityA: string;
  facilityB: string;
  bayA1: string;
  bayA2: string;
  bayB1: string;
  customerId: string;
  otherCustomerId: string;
  tokens: { admin: string; staffA: string; staffB: string; customer: string; otherCustomer: string };
  edgeKeyA: string;
}

/**
 * Building the app (PGlite + migrations) and the world (argon2 for five accounts) takes seconds on
 * an idle machine and much longer on a loaded 2-core one: setup hooks get this much time.
 */
export const SETUP_TIMEOUT_MS = 240_000;

export type Role = 'anonymous' | 'customer' | 'staffA' | 'staffB' | 'admin' | 'edgeA';
export const ROLES: Role[] = ['anonymous', 'customer', 'staffA', 'staffB', 'admin', 'edgeA'];

/** Authorization headers for a role of the world. */
export function headersFor(world: OpsWorld, role: Role): Record<string, string> {
  switch (role) {
    case 'anonymous':
      return {};
    case 'edgeA':
      return { authorization: `Edge ${world.edgeKeyA}` };
    case 'customer':
      return { authorization: `Bearer ${world.tokens.customer}` };
    default:
      return { authorization: `Bearer ${world.tokens[role]}` };
  }
}

const tag = () => randomBytes(4).toString('hex');

async function login(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  expect(res.statusCode).toBe(200);
  return res.json().access_token as string;
}

async function register(t: TestApp, email: string): Promise<{ token: string; customerId: string }> {
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      email,
      password: 'customer-password-1',
      first_name: 'Casey',
      last_name: 'Golfer',
      phone: '+14165550100',
    },
  });
  expect(res.statusCode).toBe(201);
  return { token: res.json().access_token, customerId: res.json().user.customer_id };
}

/** Opening hours every day, all day, on a 60-minute grid, bookable from now. */
export async function openAllDay(t: TestApp, simulatorIds: string[]): Promise<void> {
  await t.app.services.facilityRepository.insertAvailabilityRules(
    simulatorIds.flatMap((simulatorId) =>
      [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
        simulatorId,
        dayOfWeek,
        startTime: '00:00',
        endTime: '24:00',
        slotDuration: 60,
        bufferTime: 0,
        maxAdvanceDays: 60,
        minAdvanceHours: 0,
      })),
    ),
  );
}

export async function createOpsWorld(t: TestApp, timezone = 'UTC'): Promise<OpsWorld> {
  const repo = t.app.services.facilityRepository;
  const a = await repo.insertFacility({ name: `Venue A ${tag()}`, timezone });
  const b = await repo.insertFacility({ name: `Venue B ${tag()}`, timezone });
  const a1 = await repo.insertBay({ facilityId: a.id, name: 'Bay 1', bayNumber: 1, hourlyRateCents: 4500 });
  const a2 = await repo.insertBay({ facilityId: a.id, name: 'Bay 2', bayNumber: 2, hourlyRateCents: 4500 });
  const b1 = await repo.insertBay({ facilityId: b.id, name: 'Bay 1', bayNumber: 1, hourlyRateCents: 5000 });
  await openAllDay(t, [a1.id, a2.id, b1.id]);

  const admin = await login(t, t.config.adminEmail, t.config.adminPassword!);
  const staff = async (facilityId: string) => {
    const email = `staff-${tag()}@example.com`;
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      token: admin,
      payload: { email, password: 'staff-password-1', role: 'staff', facility_ids: [facilityId] },
    });
    expect(res.statusCode).toBe(201);
    return login(t, email, 'staff-password-1');
  };
  const customer = await register(t, `casey-${tag()}@example.com`);
  const other = await register(t, `robin-${tag()}@example.com`);
  const edge = await t.app.services.edgeFeed.register(a.id, 'edge A');
  return {
    facilityA: a.id,
    facilityB: b.id,
    bayA1: a1.id,
    bayA2: a2.id,
    bayB1: b1.id,
    customerId: customer.customerId,
    otherCustomerId: other.customerId,
    tokens: {
      admin,
      staffA: await staff(a.id),
      staffB: await staff(b.id),
      customer: customer.token,
      otherCustomer: other.token,
    },
    edgeKeyA: edge.key,
  };
}

/** A fresh app on `kind` with its world: the opening most ops suites share. */
export async function openOpsWorld(kind: TestDatabaseKind): Promise<{ t: TestApp; w: OpsWorld }> {
  const t = await createTestApp(kind);
  try {
    return { t, w: await createOpsWorld(t) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** An instant on the hour grid, `hours` whole hours after the current hour (UTC). */
export function hoursFromNow(hours: number): string {
  const now = new Date();
  now.setUTCMinutes(0, 0, 0);
  return new Date(now.getTime() + hours * 3_600_000).toISOString();
}

/** Books through the public API (as a customer, or as staff for a guest) and returns the booking. */
export async function book(
  t: TestApp,
  token: string,
  simulatorId: string,
  startTime: string,
  duration = 60,
  customer?: { email: string },
) {
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/bookings',
    token,
    payload: {
      simulator_id: simulatorId,
      start_time: startTime,
      duration,
      ...(customer ? { customer } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    id: string;
    status: string;
    start_time: string;
    end_time: string;
    price_cents: number;
  };
}

/** Writes a booking row directly: for history (past, completed, no-show) the API cannot create. */
export async function insertBooking(
  t: TestApp,
  values: Pick<NewBookingRow, 'facilityId' | 'simulatorId' | 'startTime' | 'duration'> &
    Partial<NewBookingRow>,
) {
  const end = new Date(values.startTime.getTime() + values.duration * 60_000);
  const [row] = await new BookingRepository(t.app.db).insert(t.app.db, [
    {
      endTime: end,
      blockedUntil: end,
      status: 'completed',
      referenceCode: `T${randomBytes(5).toString('hex').toUpperCase()}`,
      priceCents: 4500,
      ...values,
    },
  ]);
  return row!;
}
