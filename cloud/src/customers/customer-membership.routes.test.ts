import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotOutbox } from '../db/schema/index.js';
import { headersFor, type OpsWorld, openOpsWorld, ROLES, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import { CustomerRepository } from './customer.repository.js';
import { pricingCustomerOf } from './customer-membership.js';

describe.each(testDatabases())('customer membership on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  const url = (id: string) => `/api/v1/admin/customers/${id}/membership`;
  const put = (id: string, payload: unknown, headers: Record<string, string> = headersFor(w, 'admin')) =>
    t.request({ method: 'PUT', url: url(id), headers, payload: payload as Record<string, unknown> });
  const vipEvents = async (customerId: string) =>
    (
      await t.app.db
        .select({ id: hubspotOutbox.id })
        .from(hubspotOutbox)
        .where(and(eq(hubspotOutbox.aggregateId, customerId), eq(hubspotOutbox.kind, 'customer.updated')))
    ).length;

  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('a new customer is not a member, and the profile says so', async () => {
    const res = await t.request({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}`,
      token: w.tokens.customer,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().profile).toMatchObject({ member_tier: null, vip_status: false });
  });

  it('an admin sets the tier and VIP flag; the answer is the customer profile', async () => {
    const res = await put(w.customerId, { member_tier: 'gold', vip_status: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: w.customerId,
      profile: { member_tier: 'gold', vip_status: true },
    });
    const own = await t.request({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}`,
      token: w.tokens.customer,
    });
    expect(own.json().profile).toMatchObject({ member_tier: 'gold', vip_status: true });
    expect(await pricingCustomerOf(t.app.db, w.customerId)).toEqual({
      member_tier: 'gold',
      vip: true,
      tags: [],
    });
  });

  it('vip_status is optional and kept when absent; member_tier null ends the membership', async () => {
    await put(w.otherCustomerId, { member_tier: 'silver', vip_status: true });
    const res = await put(w.otherCustomerId, { member_tier: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().profile).toMatchObject({ member_tier: null, vip_status: true });
  });

  it('reports a VIP change to HubSpot, and only a change', async () => {
    const before = await vipEvents(w.otherCustomerId);
    await put(w.otherCustomerId, { member_tier: 'gold', vip_status: false });
    expect(await vipEvents(w.otherCustomerId)).toBe(before + 1);
    await put(w.otherCustomerId, { member_tier: 'platinum', vip_status: false });
    await put(w.otherCustomerId, { member_tier: 'gold' });
    expect(await vipEvents(w.otherCustomerId)).toBe(before + 1);
  });

  it('is for admins only', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const res = await put(w.customerId, { member_tier: 'bronze' }, headersFor(w, role));
      expect(res.statusCode, `${role}: ${res.body}`).toBe(role === 'anonymous' ? 401 : 403);
    }
    const profile = await t.request({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}`,
      token: w.tokens.admin,
    });
    expect(profile.json().profile.member_tier).toBe('gold');
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'member_tier'],
      [{ member_tier: '' }, 'member_tier'],
      [{ member_tier: ' gold' }, 'member_tier'],
      [{ member_tier: 'gold ' }, 'member_tier'],
      [{ member_tier: 'g'.repeat(65) }, 'member_tier'],
      [{ member_tier: 5 }, 'member_tier'],
      [{ member_tier: ['gold'] }, 'member_tier'],
      [{ member_tier: 'gold', vip_status: 'yes' }, 'vip_status'],
      [{ member_tier: 'gold', tier: 'gold' }, 'tier'],
    ];
    for (const [payload, field] of cases) {
      const res = await put(w.customerId, payload);
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(400);
      expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
    }
    const badId = await put('not-a-uuid', { member_tier: 'gold' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.field).toBe('id');
    const missing = await put('00000000-0000-4000-8000-000000000000', { member_tier: 'gold' });
    expect(missing.statusCode).toBe(404);
  });

  it('an erased customer loses the membership and cannot be given one', async () => {
    await put(w.otherCustomerId, { member_tier: 'gold' });
    const erased = await t.request({
      method: 'DELETE',
      url: `/api/v1/customers/${w.otherCustomerId}`,
      token: w.tokens.otherCustomer,
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(await pricingCustomerOf(t.app.db, w.otherCustomerId)).toBeNull();
    const row = await new CustomerRepository(t.app.db).findById(w.otherCustomerId);
    expect(row?.deletedAt).not.toBeNull();
    expect(row?.memberTier).toBeNull();
    expect((await put(w.otherCustomerId, { member_tier: 'gold' })).statusCode).toBe(404);
  });
});
