import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  documentedRoutes,
  expectMatrixRow,
  type MatrixEndpoint,
  row,
} from '../testing/authorization-matrix.js';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

// Who may call the payments routes under /customers and /admin. This world has no Stripe key, so
// what needs Stripe answers 404/422 once the caller is allowed.
describe.each(testDatabases())('authorization matrix of the payments APIs on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  /** A booking of facility A whose money the admin views list (made once). */
  let moneyBooking: string | undefined;
  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const endpoints: MatrixEndpoint[] = [
    // Admin: the facility's payment policy (cloud/src/payments)
    {
      name: 'GET /admin/facilities/:id/payment-policy',
      expect: row(401, 403, 200, 403, 200, 403),
      prepare: async () => ({
        method: 'GET',
        url: `/api/v1/admin/facilities/${w.facilityA}/payment-policy`,
      }),
    },
    {
      name: 'PUT /admin/facilities/:id/payment-policy',
      expect: row(401, 403, 200, 403, 200, 403),
      prepare: async () => ({
        method: 'PUT',
        url: `/api/v1/admin/facilities/${w.facilityA}/payment-policy`,
        payload: { mode: 'at_venue' },
      }),
    },
    // Admin: money views and the reconciliation (cloud/src/payments); no Stripe key here, so an
    // admin finds no report (404) and cannot run one (422).
    {
      name: 'GET /admin/bookings/:id/payments',
      expect: row(401, 403, 200, 403, 200, 403),
      prepare: async () => {
        moneyBooking ??= (await book(t, w.tokens.customer, w.bayA2, hoursFromNow(900))).id;
        return { method: 'GET', url: `/api/v1/admin/bookings/${moneyBooking}/payments` };
      },
    },
    {
      name: 'GET /admin/facilities/:id/payments',
      expect: row(401, 403, 200, 403, 200, 403),
      prepare: async () => ({
        method: 'GET',
        url: `/api/v1/admin/facilities/${w.facilityA}/payments?date=2026-01-01`,
      }),
    },
    {
      name: 'GET /admin/payments/reconciliation',
      expect: row(401, 403, 403, 403, 404, 403),
      prepare: async () => ({ method: 'GET', url: '/api/v1/admin/payments/reconciliation' }),
    },
    {
      name: 'POST /admin/payments/reconciliation/run',
      expect: row(401, 403, 403, 403, 422, 403),
      prepare: async () => ({
        method: 'POST',
        url: '/api/v1/admin/payments/reconciliation/run',
        payload: { date: '2026-01-01' },
      }),
    },
    // Card on file and no-show fees (cloud/src/payments); no Stripe key here, so saving a card is 422.
    {
      name: 'GET /customers/me/card/consent',
      expect: row(401, 200, 403, 403, 403, 403),
      prepare: async () => ({
        method: 'GET',
        url: `/api/v1/customers/me/card/consent?facility_id=${w.facilityA}`,
      }),
    },
    {
      name: 'POST /customers/me/card',
      expect: row(401, 422, 403, 403, 403, 403),
      prepare: async () => ({
        method: 'POST',
        url: '/api/v1/customers/me/card',
        payload: {
          facility_id: w.facilityA,
          return_url: 'https://venue.example/account',
          accept_consent: true,
        },
      }),
    },
    {
      name: 'GET /customers/me/card',
      expect: row(401, 200, 403, 403, 403, 403),
      prepare: async () => ({ method: 'GET', url: '/api/v1/customers/me/card' }),
    },
    {
      name: 'GET /admin/facilities/:id/no-show-fees',
      expect: row(401, 403, 200, 403, 200, 403),
      prepare: async () => ({ method: 'GET', url: `/api/v1/admin/facilities/${w.facilityA}/no-show-fees` }),
    },
    // Admin: the facility's card reader for walk-ins; this world has no Stripe key, so 422 once allowed
    {
      name: 'GET /admin/facilities/:id/terminal-reader',
      expect: row(401, 403, 200, 403, 200, 403),
      prepare: async () => ({
        method: 'GET',
        url: `/api/v1/admin/facilities/${w.facilityA}/terminal-reader`,
      }),
    },
    {
      name: 'PUT /admin/facilities/:id/terminal-reader',
      expect: row(401, 403, 422, 403, 422, 403),
      prepare: async () => ({
        method: 'PUT',
        url: `/api/v1/admin/facilities/${w.facilityA}/terminal-reader`,
        payload: { reader_id: 'tmr_front' },
      }),
    },
  ];

  it('covers every payments route under /customers and /admin', async () => {
    const ours = await documentedRoutes(
      t,
      (path, tags) => /^\/api\/v1\/(customers|admin)\b/.test(path) && tags.includes('payments'),
    );
    expect(endpoints.map((e) => e.name).sort()).toEqual(ours);
  });

  it.each(endpoints.map((e) => [e.name, e] as const))('%s', (_name, endpoint) =>
    expectMatrixRow(t, w, endpoint),
  );
});
