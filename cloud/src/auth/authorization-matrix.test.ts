import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEdge } from '../testing/edge-node.js';
import { type FacilityFixture, openVenue, type Tokens, utcDate, utcSlot } from '../testing/facility.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

type Role =
  | 'anonymous'
  | 'customer'
  | 'otherCustomer'
  | 'staff'
  | 'otherStaff'
  | 'admin'
  | 'edge'
  | 'otherEdge';
const ROLES: Role[] = [
  'anonymous',
  'customer',
  'otherCustomer',
  'staff',
  'otherStaff',
  'admin',
  'edge',
  'otherEdge',
];

/**
 * Every role against every endpoint of this service, asserted. `customer` owns the booking under
 * test; `staff` and `edge` belong to its facility; the `other…` roles belong elsewhere.
 */
describe.each(testDatabases())('authorization matrix on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let other: FacilityFixture;
  let u: Tokens;
  const headers: Partial<Record<Role, Record<string, string>>> = {};
  let hour = 0;

  beforeAll(async () => {
    ({ t, f, other, u } = await openVenue(kind));
    const edgeKey = async (facilityId: string) => (await registerEdge(t, u.admin, facilityId, 'edge')).key;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    headers.anonymous = {};
    headers.customer = bearer(u.customer);
    headers.otherCustomer = bearer(u.otherCustomer);
    headers.staff = bearer(u.staff);
    headers.otherStaff = bearer(u.otherStaff);
    headers.admin = bearer(u.admin);
    headers.edge = { authorization: `Edge ${await edgeKey(f.facilityId)}` };
    headers.otherEdge = { authorization: `Edge ${await edgeKey(other.facilityId)}` };
  });
  afterAll(async () => t?.close());

  /** A fresh booking owned by `customer`, at a new time each call. */
  const ownedBooking = async (): Promise<string> => {
    hour += 1;
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: u.customer,
      payload: {
        simulator_id: f.bayIds[0],
        start_time: utcSlot(10 + Math.floor(hour / 20), hour % 20),
        duration: 60,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  };

  /** A fresh guest booking and the manage token its guest gets from a lookup. */
  const guestBooking = async (): Promise<{ id: string; code: string; token: string }> => {
    hour += 1;
    const email = `guest-${hour}@example.com`;
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: f.bayIds[1],
        start_time: utcSlot(10 + Math.floor(hour / 20), hour % 20),
        duration: 60,
        customer: { email },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id, reference_code: code } = res.json();
    const found = await t.request({
      method: 'POST',
      url: '/api/v1/bookings/lookup',
      payload: { reference_code: code, email },
    });
    expect(found.statusCode, found.body).toBe(200);
    return { id, code, token: found.json().manage_token };
  };
  const everyone = (status: number) =>
    Object.fromEntries(ROLES.map((role) => [role, status])) as Record<Role, number>;

  type Case = {
    name: string;
    expect: Record<Role, number>;
    request: (role: Role) => Promise<{
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
      url: string;
      payload?: object;
      headers?: Record<string, string>;
    }>;
  };

  const cases: Case[] = [
    {
      name: 'GET /availability',
      expect: everyone(200),
      request: async () => ({
        method: 'GET',
        url: `/api/v1/availability?facility_id=${f.facilityId}&date=${utcDate(3)}&duration=60`,
      }),
    },
    {
      name: 'GET /quote',
      expect: everyone(200),
      request: async () => ({
        method: 'GET',
        url: `/api/v1/quote?simulator_id=${f.bayIds[0]}&start_time=${utcSlot(3, 9)}&duration=60`,
      }),
    },
    {
      name: 'POST /bookings (for a customer)',
      expect: { ...everyone(201), otherStaff: 403, otherEdge: 403 },
      request: async (role) => ({
        method: 'POST',
        url: '/api/v1/bookings',
        payload: {
          simulator_id: f.bayIds[1],
          start_time: utcSlot(5, ROLES.indexOf(role)),
          duration: 60,
          customer: { email: `${role}-guest@example.com` },
        },
      }),
    },
    {
      name: 'GET /bookings/:id',
      expect: { ...everyone(200), anonymous: 401, otherCustomer: 404, otherStaff: 404, otherEdge: 404 },
      request: async () => ({ method: 'GET', url: `/api/v1/bookings/${await ownedBooking()}` }),
    },
    {
      name: 'GET /bookings',
      expect: { ...everyone(200), anonymous: 401 },
      request: async () => ({ method: 'GET', url: '/api/v1/bookings' }),
    },
    {
      name: 'GET /bookings?facility_id',
      expect: { ...everyone(200), anonymous: 401, otherStaff: 403, otherEdge: 403 },
      request: async () => ({ method: 'GET', url: `/api/v1/bookings?facility_id=${f.facilityId}` }),
    },
    {
      name: 'POST /bookings/:id/cancel',
      expect: { ...everyone(200), anonymous: 401, otherCustomer: 404, otherStaff: 404, otherEdge: 404 },
      request: async () => ({
        method: 'POST',
        url: `/api/v1/bookings/${await ownedBooking()}/cancel`,
        payload: {},
      }),
    },
    {
      name: 'POST /bookings/:id/reschedule',
      expect: { ...everyone(200), anonymous: 401, otherCustomer: 404, otherStaff: 404, otherEdge: 404 },
      request: async (role) => ({
        method: 'POST',
        url: `/api/v1/bookings/${await ownedBooking()}/reschedule`,
        payload: { start_time: utcSlot(20, ROLES.indexOf(role)) },
      }),
    },
    {
      name: 'POST /bookings/:id/checkin (method staff)',
      expect: { ...everyone(403), staff: 409, admin: 409, edge: 409 },
      // 409 = allowed, but the check-in window of a booking days ahead is not open.
      request: async () => ({
        method: 'POST',
        url: `/api/v1/bookings/${await ownedBooking()}/checkin`,
        payload: { method: 'staff' },
      }),
    },
    {
      name: 'GET /auth/me',
      expect: { ...everyone(200), anonymous: 401, edge: 403, otherEdge: 403 },
      request: async () => ({ method: 'GET', url: '/api/v1/auth/me' }),
    },
    {
      name: 'POST /auth/users',
      expect: { ...everyone(403), anonymous: 401, admin: 201 },
      request: async (role) => ({
        method: 'POST',
        url: '/api/v1/auth/users',
        payload: { email: `made-by-${role}@example.com`, password: 'password-123', role: 'admin' },
      }),
    },
    {
      name: 'PATCH /auth/users/:id',
      expect: { ...everyone(403), anonymous: 401, admin: 200 },
      request: async (role) => {
        const staff = await t.request({
          method: 'POST',
          url: '/api/v1/auth/users',
          token: u.admin,
          payload: {
            email: `patched-by-${role}@example.com`,
            password: 'password-123',
            role: 'staff',
            facility_ids: [f.facilityId],
          },
        });
        expect(staff.statusCode, staff.body).toBe(201);
        return {
          method: 'PATCH',
          url: `/api/v1/auth/users/${staff.json().id}`,
          payload: { facility_ids: [f.facilityId, other.facilityId] },
        };
      },
    },
    {
      name: 'POST /edge/nodes',
      expect: { ...everyone(403), anonymous: 401, admin: 201 },
      request: async () => ({
        method: 'POST',
        url: '/api/v1/edge/nodes',
        payload: { facility_id: f.facilityId, name: 'x' },
      }),
    },
    // Guest access: the manage token decides, whoever else the caller is.
    {
      name: 'POST /bookings/:id/manage/cancel (with its manage token)',
      expect: everyone(200),
      request: async () => {
        const guest = await guestBooking();
        return {
          method: 'POST',
          url: `/api/v1/bookings/${guest.id}/manage/cancel`,
          payload: {},
          headers: { 'x-manage-token': guest.token },
        };
      },
    },
    {
      name: 'POST /bookings/:id/manage/cancel (with another booking’s token)',
      expect: everyone(403),
      request: async () => {
        const [target, mine] = [await guestBooking(), await guestBooking()];
        return {
          method: 'POST',
          url: `/api/v1/bookings/${target.id}/manage/cancel`,
          payload: {},
          headers: { 'x-manage-token': mine.token },
        };
      },
    },
    {
      name: 'GET /edge/snapshot',
      expect: { ...everyone(403), anonymous: 401, edge: 200, otherEdge: 200 },
      request: async () => ({ method: 'GET', url: '/api/v1/edge/snapshot' }),
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const actual: Partial<Record<Role, number>> = {};
      for (const role of ROLES) {
        const req = await c.request(role);
        const res = await t.app.inject({ ...req, headers: { ...headers[role], ...req.headers } });
        actual[role] = res.statusCode;
      }
      expect(actual).toEqual(c.expect);
    });
  }
});
