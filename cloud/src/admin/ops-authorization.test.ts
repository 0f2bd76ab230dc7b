import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  documentedRoutes,
  expectMatrixRow,
  type MatrixCall,
  type MatrixEndpoint,
  row,
} from '../testing/authorization-matrix.js';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())(
  'authorization matrix of the customers, waitlist and admin APIs on %s',
  (kind) => {
    let t: TestApp;
    let w: OpsWorld;
    let hour = 100;
    beforeAll(async () => {
      ({ t, w } = await openOpsWorld(kind));
      // The customer is a customer of facility A (staff of A may see them, staff of B may not).
      await book(t, w.tokens.customer, w.bayA1, hoursFromNow(hour++));
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => t?.close());

    const admin = (method: MatrixCall['method'], url: string, payload?: Record<string, unknown>) =>
      t.request({ method, url, token: w.tokens.admin, ...(payload ? { payload } : {}) });
    const freshBay = async () =>
      (
        await admin('POST', '/api/v1/admin/simulators', { facility_id: w.facilityA, name: `Spare ${hour++}` })
      ).json().id as string;
    const freshRule = async () =>
      (
        await admin('POST', '/api/v1/admin/availability-rules', {
          simulator_id: w.bayA2,
          day_of_week: 3,
          start_time: '06:00',
          end_time: '07:00',
        })
      ).json().id as string;
    const pricing = () => ({
      facility_id: w.facilityA,
      name: 'Matrix',
      type: 'time_based',
      conditions: {},
      price_modifier: 1,
    });
    const freshPricing = async () =>
      (await admin('POST', '/api/v1/admin/pricing-rules', pricing())).json().id as string;
    const closureBody = () => ({
      facility_id: w.facilityA,
      starts_at: hoursFromNow(500),
      ends_at: hoursFromNow(501),
    });
    const freshClosure = async () =>
      (await admin('POST', '/api/v1/admin/closures', closureBody())).json().closure.id as string;
    /** A taken slot the customer waits for. */
    const freshEntry = async () => {
      const start = hoursFromNow(hour++);
      await book(t, w.tokens.otherCustomer, w.bayA1, start);
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/waitlist',
        token: w.tokens.customer,
        payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    /** A customer of facility A with an account, for the destructive GDPR call. */
    const freshCustomer = async () => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: `gdpr-${hour++}@example.com`, password: 'customer-password-9' },
      });
      await book(t, res.json().access_token, w.bayA2, hoursFromNow(hour++));
      return { id: res.json().user.customer_id as string, token: res.json().access_token as string };
    };

    const endpoints: MatrixEndpoint[] = [
      // Customers
      {
        name: 'GET /customers/:id',
        expect: row(401, 200, 200, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: `/api/v1/customers/${w.customerId}` }),
      },
      {
        name: 'PATCH /customers/:id/preferences',
        expect: row(401, 200, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'PATCH',
          url: `/api/v1/customers/${w.customerId}/preferences`,
          payload: { preferred_times: ['evening'] },
        }),
      },
      {
        name: 'GET /customers/:id/export',
        expect: row(401, 200, 403, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: `/api/v1/customers/${w.customerId}/export` }),
      },
      {
        name: 'DELETE /customers/:id',
        expect: row(401, 200, 403, 403, 200, 403),
        prepare: async (role) => {
          const c = await freshCustomer();
          return {
            method: 'DELETE',
            url: `/api/v1/customers/${c.id}`,
            ...(role === 'customer' ? { headers: { authorization: `Bearer ${c.token}` } } : {}),
          };
        },
      },
      {
        name: 'POST /customers/me/claim',
        expect: row(401, 200, 403, 403, 403, 403),
        prepare: async () => {
          const guest = await t.request({
            method: 'POST',
            url: '/api/v1/bookings',
            payload: {
              simulator_id: w.bayA2,
              start_time: hoursFromNow(hour++),
              duration: 60,
              customer: { email: `guest-${hour}@example.com` },
            },
          });
          expect(guest.statusCode, guest.body).toBe(201);
          const made = guest.json();
          return {
            method: 'POST',
            url: '/api/v1/customers/me/claim',
            payload: { reference_code: made.reference_code, pin: made.access_code },
          };
        },
      },
      // Waitlist
      {
        name: 'POST /waitlist',
        expect: row(401, 201, 403, 403, 403, 403),
        prepare: async () => {
          const start = hoursFromNow(hour++);
          await book(t, w.tokens.otherCustomer, w.bayA1, start);
          return {
            method: 'POST',
            url: '/api/v1/waitlist',
            payload: { simulator_id: w.bayA1, start_time: start, duration: 60 },
          };
        },
      },
      {
        name: 'GET /waitlist',
        expect: row(401, 200, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/waitlist' }),
      },
      {
        name: 'DELETE /waitlist/:id',
        expect: row(401, 200, 200, 403, 200, 403),
        prepare: async () => ({ method: 'DELETE', url: `/api/v1/waitlist/${await freshEntry()}` }),
      },
      {
        // The owner passes the access check and meets the state check: there is no offer to accept.
        name: 'POST /waitlist/:id/accept',
        expect: row(401, 409, 403, 403, 403, 403),
        prepare: async () => ({ method: 'POST', url: `/api/v1/waitlist/${await freshEntry()}/accept` }),
      },
      {
        name: 'POST /waitlist/:id/decline',
        expect: row(401, 409, 403, 403, 403, 403),
        prepare: async () => ({ method: 'POST', url: `/api/v1/waitlist/${await freshEntry()}/decline` }),
      },
      // Admin: dashboard, facilities, bays
      {
        name: 'GET /admin/dashboard',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: `/api/v1/admin/dashboard?facility_id=${w.facilityA}` }),
      },
      {
        name: 'GET /admin/facilities',
        expect: row(401, 403, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/facilities' }),
      },
      {
        name: 'GET /admin/facilities/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: `/api/v1/admin/facilities/${w.facilityA}` }),
      },
      {
        name: 'GET /admin/facilities/:id/staff-alerts',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: `/api/v1/admin/facilities/${w.facilityA}/staff-alerts` }),
      },
      {
        name: 'POST /admin/facilities',
        expect: row(401, 403, 403, 403, 201, 403),
        prepare: async () => ({
          method: 'POST',
          url: '/api/v1/admin/facilities',
          payload: { name: `New ${hour++}` },
        }),
      },
      {
        name: 'PATCH /admin/facilities/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'PATCH',
          url: `/api/v1/admin/facilities/${w.facilityA}`,
          payload: { address: '2 Main St' },
        }),
      },
      {
        name: 'DELETE /admin/facilities/:id',
        expect: row(401, 403, 403, 403, 200, 403),
        prepare: async () => {
          const id = (await admin('POST', '/api/v1/admin/facilities', { name: `Empty ${hour++}` })).json().id;
          return { method: 'DELETE', url: `/api/v1/admin/facilities/${id}` };
        },
      },
      {
        name: 'GET /admin/simulators',
        expect: row(401, 403, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/simulators' }),
      },
      {
        name: 'GET /admin/simulators/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: `/api/v1/admin/simulators/${w.bayA1}` }),
      },
      {
        name: 'POST /admin/simulators',
        expect: row(401, 403, 201, 403, 201, 403),
        prepare: async () => ({
          method: 'POST',
          url: '/api/v1/admin/simulators',
          payload: { facility_id: w.facilityA, name: 'New' },
        }),
      },
      {
        name: 'PATCH /admin/simulators/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'PATCH',
          url: `/api/v1/admin/simulators/${w.bayA1}`,
          payload: { type: 'trackman' },
        }),
      },
      {
        name: 'DELETE /admin/simulators/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({ method: 'DELETE', url: `/api/v1/admin/simulators/${await freshBay()}` }),
      },
      // Admin: availability rules, pricing rules, closures
      {
        name: 'GET /admin/availability-rules',
        expect: row(401, 403, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/availability-rules' }),
      },
      {
        name: 'POST /admin/availability-rules',
        expect: row(401, 403, 201, 403, 201, 403),
        prepare: async () => ({
          method: 'POST',
          url: '/api/v1/admin/availability-rules',
          payload: { simulator_id: w.bayA2, day_of_week: 2, start_time: '05:00', end_time: '06:00' },
        }),
      },
      {
        name: 'PATCH /admin/availability-rules/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'PATCH',
          url: `/api/v1/admin/availability-rules/${await freshRule()}`,
          payload: { buffer_time: 5 },
        }),
      },
      {
        name: 'DELETE /admin/availability-rules/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'DELETE',
          url: `/api/v1/admin/availability-rules/${await freshRule()}`,
        }),
      },
      {
        name: 'GET /admin/pricing-rules',
        expect: row(401, 403, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/pricing-rules' }),
      },
      {
        name: 'POST /admin/pricing-rules',
        expect: row(401, 403, 201, 403, 201, 403),
        prepare: async () => ({ method: 'POST', url: '/api/v1/admin/pricing-rules', payload: pricing() }),
      },
      {
        name: 'PATCH /admin/pricing-rules/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'PATCH',
          url: `/api/v1/admin/pricing-rules/${await freshPricing()}`,
          payload: { priority: 2 },
        }),
      },
      {
        name: 'DELETE /admin/pricing-rules/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'DELETE',
          url: `/api/v1/admin/pricing-rules/${await freshPricing()}`,
        }),
      },
      {
        name: 'GET /admin/closures',
        expect: row(401, 403, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/closures' }),
      },
      {
        name: 'POST /admin/closures',
        expect: row(401, 403, 201, 403, 201, 403),
        prepare: async () => ({ method: 'POST', url: '/api/v1/admin/closures', payload: closureBody() }),
      },
      {
        name: 'PATCH /admin/closures/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({
          method: 'PATCH',
          url: `/api/v1/admin/closures/${await freshClosure()}`,
          payload: { reason: 'x' },
        }),
      },
      {
        name: 'DELETE /admin/closures/:id',
        expect: row(401, 403, 200, 403, 200, 403),
        prepare: async () => ({ method: 'DELETE', url: `/api/v1/admin/closures/${await freshClosure()}` }),
      },
      // Admin: customer membership (member pricing)
      {
        name: 'PUT /admin/customers/:id/membership',
        expect: row(401, 403, 403, 403, 200, 403),
        prepare: async () => ({
          method: 'PUT',
          url: `/api/v1/admin/customers/${w.customerId}/membership`,
          payload: { member_tier: 'gold' },
        }),
      },
      // Admin: the Customers and Staff screens
      {
        name: 'GET /admin/customers',
        expect: row(401, 403, 200, 200, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/customers?q=casey' }),
      },
      {
        name: 'GET /admin/staff',
        expect: row(401, 403, 403, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/staff' }),
      },
      // Admin: customer messages (cloud/src/notifications); an unknown message is 404 once allowed.
      {
        name: 'GET /admin/notifications/status',
        expect: row(401, 403, 403, 403, 200, 403),
        prepare: async () => ({ method: 'GET', url: '/api/v1/admin/notifications/status' }),
      },
      {
        name: 'POST /admin/notifications/messages/:id/retry',
        expect: row(401, 403, 403, 403, 404, 403),
        prepare: async () => ({
          method: 'POST',
          url: '/api/v1/admin/notifications/messages/999999999/retry',
        }),
      },
    ];

    it('covers every route these features register', async () => {
      // /admin/hubspot belongs to the HubSpot feature, payments' routes to payments-authorization.test.ts.
      const ours = await documentedRoutes(
        t,
        (path, tags) =>
          /^\/api\/v1\/(customers|waitlist|admin)\b/.test(path) &&
          !path.startsWith('/api/v1/admin/hubspot') &&
          !tags.includes('payments'),
      );
      expect(endpoints.map((e) => e.name).sort()).toEqual(ours);
    });

    it.each(endpoints.map((e) => [e.name, e] as const))('%s', (_name, endpoint) =>
      expectMatrixRow(t, w, endpoint),
    );
  },
);
