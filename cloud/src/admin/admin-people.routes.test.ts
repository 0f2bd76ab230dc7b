import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  headersFor,
  hoursFromNow,
  type OpsWorld,
  openOpsWorld,
  ROLES,
  SETUP_TIMEOUT_MS,
} from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import type { CustomerSummary, StaffMember } from './admin-people.schemas.js';

describe.each(testDatabases())('admin customer search and staff list on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let hour = 30;
  /** Unique to this run, so searches are not disturbed by other rows. */
  const mark = randomBytes(3).toString('hex');

  const search = async (query: Record<string, string>, role: 'admin' | 'staffA' | 'staffB' = 'admin') => {
    const res = await t.request({
      method: 'GET',
      url: '/api/v1/admin/customers',
      headers: headersFor(w, role),
      query,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { customers: CustomerSummary[]; total: number; limit: number; offset: number };
  };
  /** A guest booking made by the admin at a bay, which creates (or reuses) the guest's record. */
  const guestBooks = async (bay: string, customer: Record<string, string>) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      token: w.tokens.admin,
      payload: { simulator_id: bay, start_time: hoursFromNow(hour++), duration: 60, customer },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().customer_id as string;
  };
  /** What each role of the world is answered on GET `url`. */
  const statusByRole = async (url: string) => {
    const answers: Record<string, number> = {};
    for (const role of ROLES)
      answers[role] = (await t.request({ method: 'GET', url, headers: headersFor(w, role) })).statusCode;
    return answers;
  };

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    // Ada books at facility A, Grace only at facility B.
    await guestBooks(w.bayA1, { email: `ada.${mark}@example.com`, first_name: 'Ada', last_name: 'Lovelace' });
    await guestBooks(w.bayB1, {
      email: `grace.${mark}@example.com`,
      first_name: 'Grace',
      last_name: 'Hopper',
    });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  describe('GET /admin/customers', () => {
    it('finds a customer by part of the email, in any case, with the row an owner needs', async () => {
      const { customers, total } = await search({ q: `ADA.${mark.toUpperCase()}@EXAMPLE` });
      expect(total).toBe(1);
      expect(customers).toEqual([
        {
          id: expect.any(String),
          email: `ada.${mark}@example.com`,
          first_name: 'Ada',
          last_name: 'Lovelace',
          member_tier: null,
          vip_status: false,
          total_bookings: 1,
          last_booking_at: expect.any(String),
          has_account: false,
          detached_guest: false,
          created_at: expect.any(String),
        },
      ]);
      // The middle of the address matches too.
      expect((await search({ q: `${mark}@exa` })).customers.map((c) => c.first_name).sort()).toEqual([
        'Ada',
        'Grace',
      ]);
    });

    it('finds by first name, last name and full name', async () => {
      const ids = async (q: string) => (await search({ q })).customers.map((c) => c.email);
      expect(await ids('lovelace')).toEqual([`ada.${mark}@example.com`]);
      expect(await ids('GRAC')).toEqual([`grace.${mark}@example.com`]);
      expect(await ids('ada love')).toEqual([`ada.${mark}@example.com`]);
      expect(await ids('Nobody Atall')).toEqual([]);
    });

    it('takes % and _ literally', async () => {
      expect((await search({ q: '%' })).total).toBe(0);
      expect((await search({ q: '_' })).total).toBe(0);
      expect((await search({ q: 'ada_' })).total).toBe(0);
    });

    it('shows the tier and VIP flag an admin set', async () => {
      const ada = (await search({ q: `ada.${mark}` })).customers[0]!;
      const put = await t.request({
        method: 'PUT',
        url: `/api/v1/admin/customers/${ada.id}/membership`,
        token: w.tokens.admin,
        payload: { member_tier: 'gold', vip_status: true },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect((await search({ q: `ada.${mark}` })).customers[0]).toMatchObject({
        id: ada.id,
        member_tier: 'gold',
        vip_status: true,
      });
    });

    it('shows a detached guest record as a guest with its plain email, beside the account', async () => {
      const email = `linus.${mark}@example.com`;
      const guestId = await guestBooks(w.bayA2, { email, first_name: 'Linus' });
      const signUp = await t.request({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password: 'linus-password-1', first_name: 'Linus' },
      });
      expect(signUp.statusCode, signUp.body).toBe(201);
      const accountId = signUp.json().user.customer_id as string;

      const rows = (await search({ q: `linus.${mark}` })).customers;
      expect(rows.map((r) => [r.id, r.email, r.has_account, r.detached_guest])).toEqual([
        [accountId, email, true, false],
        [guestId, email, false, true],
      ]);
      // The stored prefix is not something an owner searches for.
      expect((await search({ q: 'unclaimed' })).total).toBe(0);
    });

    it('pages newest first: pages add up to the whole list, without overlap', async () => {
      for (let i = 0; i < 5; i++) await guestBooks(w.bayA1, { email: `page${i}.${mark}@example.com` });
      const all = await search({ q: `.${mark}@`, limit: '100' });
      expect(all.total).toBe(all.customers.length);
      expect(all.total).toBeGreaterThanOrEqual(8);
      const created = all.customers.map((c) => Date.parse(c.created_at));
      expect(created).toEqual([...created].sort((a, b) => b - a));
      expect(all.customers[0]!.email).toBe(`page4.${mark}@example.com`);

      const seen: string[] = [];
      for (let offset = 0; offset < all.total; offset += 3) {
        const page = await search({ q: `.${mark}@`, limit: '3', offset: String(offset) });
        expect(page).toMatchObject({ total: all.total, limit: 3, offset });
        expect(page.customers.length).toBe(Math.min(3, all.total - offset));
        seen.push(...page.customers.map((c) => c.id));
      }
      expect(seen).toEqual(all.customers.map((c) => c.id));
      const past = await search({ q: `.${mark}@`, offset: String(all.total) });
      expect(past.customers).toEqual([]);
      expect(past.total).toBe(all.total);
      // No q: everyone, 25 at a time by default.
      const everyone = await search({});
      expect(everyone.limit).toBe(25);
      expect(everyone.total).toBeGreaterThan(all.total);
    });

    it('staff see only customers who booked at a facility they manage', async () => {
      const emails = async (role: 'staffA' | 'staffB') =>
        (await search({ q: `${mark}@`, limit: '100' }, role)).customers.map((c) => c.email);
      const a = await emails('staffA');
      expect(a).toContain(`ada.${mark}@example.com`);
      expect(a).not.toContain(`grace.${mark}@example.com`);
      expect(await emails('staffB')).toEqual([`grace.${mark}@example.com`]);
      expect((await search({ q: `grace.${mark}` }, 'staffA')).total).toBe(0);
      // A registered customer with no booking is nobody's customer yet.
      expect((await search({ q: 'robin-' }, 'staffA')).total).toBe(0);
      expect((await search({ q: 'robin-' }, 'admin')).total).toBe(1);
    });

    it("shows staff a customer's totals at their own facilities only, and admins the customer's", async () => {
      const customer = { email: `mira-${mark}-totals@example.com`, first_name: 'Mira' };
      const post = async (url: string, payload: object) => {
        const res = await t.request({ method: 'POST', url, token: w.tokens.admin, payload });
        expect(res.statusCode, res.body).toBeLessThan(300);
        return res.json() as { id: string; created_at: string };
      };
      const slot = (bay: string) => ({
        simulator_id: bay,
        start_time: hoursFromNow(hour++),
        duration: 60,
        customer,
      });
      // Facility B first: its booking is not the customer's latest.
      const atB = await post('/api/v1/bookings', slot(w.bayB1));
      await post('/api/v1/bookings', slot(w.bayA1));
      const cancelledAtA = await post('/api/v1/bookings', slot(w.bayA2));
      await post(`/api/v1/bookings/${cancelledAtA.id}/cancel`, {});
      // A checkout hold is no booking yet: the customer record does not count it, nor do staff.
      await post('/api/v1/holds', slot(w.bayA1));

      const figures = async (role: 'admin' | 'staffA' | 'staffB') =>
        (await search({ q: `mira-${mark}-totals` }, role)).customers.map((c) => [
          c.total_bookings,
          c.last_booking_at,
        ]);
      const [[adminTotal, adminLast]] = (await figures('admin')) as [[number, string]];
      expect(adminTotal).toBe(3);
      expect(Date.parse(adminLast)).toBeGreaterThanOrEqual(Date.parse(cancelledAtA.created_at));
      // A cancelled booking still counts, as it does on the customer record.
      expect(await figures('staffA')).toEqual([[2, cancelledAtA.created_at]]);
      expect(await figures('staffB')).toEqual([[1, atB.created_at]]);
    });

    it('does not list an erased customer', async () => {
      expect((await search({ q: 'robin-' })).total).toBe(1);
      const erased = await t.request({
        method: 'DELETE',
        url: `/api/v1/customers/${w.otherCustomerId}`,
        token: w.tokens.otherCustomer,
      });
      expect(erased.statusCode, erased.body).toBe(200);
      expect((await search({ q: 'robin-' })).total).toBe(0);
      expect((await search({ q: 'erased' })).total).toBe(0);
    });

    it('answers 401 to anonymous callers and 403 to customers and edges', async () => {
      const answers = await statusByRole('/api/v1/admin/customers');
      expect(answers).toEqual({
        anonymous: 401,
        customer: 403,
        staffA: 200,
        staffB: 200,
        admin: 200,
        edgeA: 403,
      });
    });

    it('refuses a bad query with a 400 naming the field', async () => {
      const cases: [string, string][] = [
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=ten', 'limit'],
        ['offset=-1', 'offset'],
        ['offset=abc', 'offset'],
        [`q=${'x'.repeat(256)}`, 'q'],
        ['q=a%00b', 'q'],
        ['q=tab%09', 'q'],
        ['page=2', 'page'],
      ];
      for (const [query, field] of cases) {
        const res = await t.request({
          method: 'GET',
          url: `/api/v1/admin/customers?${query}`,
          token: w.tokens.admin,
        });
        expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
        expect(res.json().error.field, query).toBe(field);
      }
    });
  });

  describe('GET /admin/staff', () => {
    const list = async () => {
      const res = await t.request({ method: 'GET', url: '/api/v1/admin/staff', token: w.tokens.admin });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().staff as StaffMember[];
    };

    it('lists staff and admin accounts with their facilities, never customers', async () => {
      const staff = await list();
      expect(staff.find((s) => s.email === t.config.adminEmail)).toMatchObject({
        role: 'admin',
        facility_ids: [],
        active: true,
        must_change_password: false,
      });
      const ofA = staff.filter((s) => s.role === 'staff' && s.facility_ids.includes(w.facilityA));
      const ofB = staff.filter((s) => s.role === 'staff' && s.facility_ids.includes(w.facilityB));
      expect(ofA).toHaveLength(1);
      expect(ofB).toHaveLength(1);
      expect(ofA[0]!.facility_ids).toEqual([w.facilityA]);
      expect(staff.some((s) => s.email.startsWith('casey-') || s.email.startsWith('linus.'))).toBe(false);
      expect(staff.map((s) => s.role)).toEqual([...staff.map((s) => s.role)].sort());
    });

    it('shows a new account, a facilities change and a deactivation', async () => {
      const email = `newstaff.${mark}@example.com`;
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/auth/users',
        token: w.tokens.admin,
        payload: { email, password: 'new-staff-pass-1', role: 'staff', facility_ids: [w.facilityB] },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect((await list()).find((s) => s.id === id)).toMatchObject({
        email,
        role: 'staff',
        facility_ids: [w.facilityB],
        active: true,
      });
      const patched = await t.request({
        method: 'PATCH',
        url: `/api/v1/auth/users/${id}`,
        token: w.tokens.admin,
        payload: { facility_ids: [w.facilityA, w.facilityB], active: false },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const after = (await list()).find((s) => s.id === id)!;
      expect(after.active).toBe(false);
      expect([...after.facility_ids].sort()).toEqual([w.facilityA, w.facilityB].sort());
    });

    it('is for admins only', async () => {
      const answers = await statusByRole('/api/v1/admin/staff');
      expect(answers).toEqual({
        anonymous: 401,
        customer: 403,
        staffA: 403,
        staffB: 403,
        admin: 200,
        edgeA: 403,
      });
    });
  });
});
