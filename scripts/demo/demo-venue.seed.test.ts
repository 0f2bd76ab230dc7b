import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, testConfig } from '../../cloud/src/index.js';
import { type Api, api, cloudLogin } from './demo-http.js';
import { DEMO_BAYS, DEMO_LOGINS, DEMO_PRICING_RULES } from './demo-venue.js';
import { seedDemoVenue } from './demo-venue.seed.js';

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
      expect.arrayContaining(['facility', 'Bay 1', 'Bay 8', 'staff account', 'customer account']),
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
});
