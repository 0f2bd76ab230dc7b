import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from '../../cloud/src/index.js';
import { type Api, api, cloudLogin } from './demo-http.js';
import { DEMO_BAYS, DEMO_LOGINS, DEMO_PRICING_RULES } from './demo-venue.js';
import { DEMO_MEMBER_TIER, seedDemoVenue } from './demo-venue.seed.js';

let cloud: Awaited<ReturnType<typeof buildApp>>;
let http: Api;

beforeAll(async () => {
  cloud = await buildApp({
    config: testConfig({
      adminEmail: DEMO_LOGINS.admin.email,
      adminPassword: DEMO_LOGINS.admin.password,
    }),
  });
  http = api(await cloud.listen({ port: 0, host: '127.0.0.1' }));
});
afterAll(async () => cloud?.close());

describe('seeding the demo venue through the cloud API', () => {
  it('creates the venue on the first start and nothing on the next', async () => {
    const first = await seedDemoVenue(http);
    expect(first.created).toEqual(
      expect.arrayContaining([
        'facility',
        'payment policy',
        'Bay 1',
        'Bay 8',
        'staff account',
        'customer account',
        `${DEMO_MEMBER_TIER} membership`,
      ]),
    );
    expect(first.bays.map((b) => b.type)).toEqual(DEMO_BAYS.map((b) => b.type));

    const second = await seedDemoVenue(http);
    expect(second.created).toEqual([]);
    expect(second.facilityId).toBe(first.facilityId);
    expect(second.bays.map((b) => b.id)).toEqual(first.bays.map((b) => b.id));

    const auth = await cloudLogin(http, DEMO_LOGINS.admin.email, DEMO_LOGINS.admin.password);
    const { facilities } = await http.json<{ facilities: unknown[] }>('/api/v1/admin/facilities', { auth });
    expect(facilities).toHaveLength(1);
    const { rules } = await http.json<{ rules: unknown[] }>(
      `/api/v1/admin/availability-rules?facility_id=${first.facilityId}`,
      { auth },
    );
    expect(rules).toHaveLength(8 * 7);
    const pricing = await http.json<{ rules: unknown[] }>(
      `/api/v1/admin/pricing-rules?facility_id=${first.facilityId}`,
      { auth },
    );
    expect(pricing.rules).toHaveLength(DEMO_PRICING_RULES.length);
    // The demo takes a deposit online (Checkout on the Stripe simulator when `npm start` runs it).
    const policy = await http.json(`/api/v1/admin/facilities/${first.facilityId}/payment-policy`, { auth });
    expect(policy).toMatchObject({
      mode: 'deposit',
      deposit_bps: 2500,
      currency: 'cad',
      card_on_file_required: true,
    });
    // The demo logins work.
    await expect(cloudLogin(http, DEMO_LOGINS.staff.email, DEMO_LOGINS.staff.password)).resolves.toMatch(
      /^Bearer /,
    );
    await expect(
      cloudLogin(http, DEMO_LOGINS.customer.email, DEMO_LOGINS.customer.password),
    ).resolves.toMatch(/^Bearer /);
  });

  it('finishes a venue whose first seeding stopped half-way', async () => {
    const auth = await cloudLogin(http, DEMO_LOGINS.admin.email, DEMO_LOGINS.admin.password);
    const venue = await seedDemoVenue(http);
    const { rules } = await http.json<{ rules: Array<{ id: string; name: string }> }>(
      `/api/v1/admin/pricing-rules?facility_id=${venue.facilityId}`,
      { auth },
    );
    const member = rules.find((r) => r.name === 'Gold member discount')!;
    await http.json(`/api/v1/admin/pricing-rules/${member.id}`, { method: 'DELETE', auth });

    const again = await seedDemoVenue(http);
    expect(again.created).toEqual(['Gold member discount']);
  });

  it('makes the demo customer a gold member, so the member discount applies to their quotes', async () => {
    const venue = await seedDemoVenue(http);
    const auth = await cloudLogin(http, DEMO_LOGINS.customer.email, DEMO_LOGINS.customer.password);
    const me = await http.json<{ customer_id: string }>('/api/v1/auth/me', { auth });
    const { profile } = await http.json<{ profile: { member_tier: string | null } }>(
      `/api/v1/customers/${me.customer_id}`,
      { auth },
    );
    expect(profile.member_tier).toBe('gold');
    // Two days ahead at 18:00 UTC (13:00 or 14:00 in Toronto): open and bookable online.
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(18, 0, 0, 0);
    const query = `simulator_id=${venue.bays[0]!.id}&start_time=${start.toISOString()}&duration=60`;
    type Quote = { total_cents: number; available: boolean; lines: Array<{ name: string }> };
    const member = await http.json<Quote>(`/api/v1/quote?${query}`, { auth });
    const guest = await http.json<Quote>(`/api/v1/quote?${query}`);
    expect(member.available).toBe(true);
    expect(member.lines.map((l) => l.name)).toContain('Gold member discount');
    expect(guest.lines.map((l) => l.name)).not.toContain('Gold member discount');
    expect(member.total_cents).toBeLessThan(guest.total_cents);

    // An admin who ended the membership gets it back on the next start.
    const admin = await cloudLogin(http, DEMO_LOGINS.admin.email, DEMO_LOGINS.admin.password);
    await http.json(`/api/v1/admin/customers/${me.customer_id}/membership`, {
      method: 'PUT',
      auth: admin,
      body: { member_tier: null },
    });
    expect((await seedDemoVenue(http)).created).toEqual([`${DEMO_MEMBER_TIER} membership`]);
  });
});
