import { type Api, cloudLogin } from './demo-http.js';
import {
  bayDoorId,
  bayNinjaDeviceId,
  DEMO_BAYS,
  DEMO_FACILITY,
  DEMO_LOGINS,
  DEMO_PAYMENT_POLICY,
  DEMO_PRICING_RULES,
  DEMO_SETTINGS,
  MIN_ADVANCE_HOURS,
  OPENING_HOURS,
  SLOT_MINUTES,
} from './demo-venue.js';

export interface SeededBay {
  id: string;
  bay_number: number;
  name: string;
  type: string;
  doorId: string;
  ninjaDeviceId: number;
}

export interface SeededVenue {
  facilityId: string;
  bays: SeededBay[];
  /** What this run created (empty on a start with the venue already there). */
  created: string[];
}

interface Row {
  id: string;
}

/**
 * Seeds the demo venue through the cloud's own admin API. Every step first looks for what it would
 * create (the facility by slug, a bay by number, a bay's rules, a pricing rule by name, an account
 * by email), so a second start, or a start after one interrupted half-way, creates only what is
 * missing.
 */
export async function seedDemoVenue(cloud: Api): Promise<SeededVenue> {
  const auth = await cloudLogin(cloud, DEMO_LOGINS.admin.email, DEMO_LOGINS.admin.password);
  const created: string[] = [];

  const { facilities } = await cloud.json<{ facilities: Array<Row & { slug: string | null }> }>(
    '/api/v1/admin/facilities',
    { auth },
  );
  let facility = facilities.find((f) => f.slug === DEMO_FACILITY.slug);
  if (facility === undefined) {
    facility = await cloud.json<Row & { slug: string }>('/api/v1/admin/facilities', {
      auth,
      body: { ...DEMO_FACILITY, settings: DEMO_SETTINGS },
    });
    created.push('facility');
  }
  const facilityId = facility.id;

  // Only a policy never set: an admin's later choice (even pay at the venue) is kept on restart.
  const policyUrl = `/api/v1/admin/facilities/${facilityId}/payment-policy`;
  const policy = await cloud.json<{ updated_at: string | null }>(policyUrl, { auth });
  if (policy.updated_at === null) {
    await cloud.json(policyUrl, { auth, method: 'PUT', body: DEMO_PAYMENT_POLICY });
    created.push('payment policy');
  }

  const { simulators } = await cloud.json<{ simulators: Array<Row & { bay_number: number | null }> }>(
    `/api/v1/admin/simulators?facility_id=${facilityId}`,
    { auth },
  );
  const bays: SeededBay[] = [];
  for (const plan of DEMO_BAYS) {
    let bay = simulators.find((s) => s.bay_number === plan.bay_number);
    if (bay === undefined) {
      bay = await cloud.json<Row & { bay_number: number }>('/api/v1/admin/simulators', {
        auth,
        body: {
          facility_id: facilityId,
          ...plan,
          unifi_door_id: bayDoorId(plan.bay_number),
          ninjaone_device_id: String(bayNinjaDeviceId(plan.bay_number)),
        },
      });
      created.push(plan.name);
    }
    const { rules } = await cloud.json<{ rules: Row[] }>(
      `/api/v1/admin/availability-rules?simulator_id=${bay.id}`,
      { auth },
    );
    if (rules.length === 0) {
      for (let day = 0; day < 7; day++) {
        await cloud.json('/api/v1/admin/availability-rules', {
          auth,
          body: {
            simulator_id: bay.id,
            day_of_week: day,
            ...OPENING_HOURS,
            slot_duration: SLOT_MINUTES,
            buffer_time: 0,
            max_advance_days: 30,
            min_advance_hours: MIN_ADVANCE_HOURS,
          },
        });
      }
      created.push(`${plan.name} opening hours`);
    }
    bays.push({
      id: bay.id,
      bay_number: plan.bay_number,
      name: plan.name,
      type: plan.type,
      doorId: bayDoorId(plan.bay_number),
      ninjaDeviceId: bayNinjaDeviceId(plan.bay_number),
    });
  }

  const { rules: pricing } = await cloud.json<{ rules: Array<Row & { name: string }> }>(
    `/api/v1/admin/pricing-rules?facility_id=${facilityId}`,
    { auth },
  );
  for (const rule of DEMO_PRICING_RULES) {
    if (pricing.some((p) => p.name === rule.name)) continue;
    await cloud.json('/api/v1/admin/pricing-rules', { auth, body: { facility_id: facilityId, ...rule } });
    created.push(rule.name);
  }

  const staff = await cloud.raw('/api/v1/auth/users', {
    auth,
    body: { ...DEMO_LOGINS.staff, role: 'staff', facility_ids: [facilityId] },
  });
  if (staff.status === 201 || staff.status === 200) created.push('staff account');
  else if (staff.status !== 409) throw new Error(`creating the staff account: ${JSON.stringify(staff.body)}`);

  const customer = await cloud.raw<{ user?: { customer_id: string | null } }>('/api/v1/auth/register', {
    body: DEMO_LOGINS.customer,
  });
  if (customer.status === 201 || customer.status === 200) created.push('customer account');
  else if (customer.status !== 409) {
    throw new Error(`creating the demo customer: ${JSON.stringify(customer.body)}`);
  }
  const customerId =
    customer.body.user?.customer_id ??
    (
      await cloud.json<{ customer_id: string | null }>('/api/v1/auth/me', {
        auth: await cloudLogin(cloud, DEMO_LOGINS.customer.email, DEMO_LOGINS.customer.password),
      })
    ).customer_id;
  if (customerId === null) throw new Error('the demo customer account has no customer record');
  if (await giveMembership(cloud, auth, customerId)) created.push(`${DEMO_MEMBER_TIER} membership`);

  return { facilityId, bays, created };
}

/** The tier of the demo's member rule ("Gold member discount"): the demo customer holds it. */
export const DEMO_MEMBER_TIER = DEMO_PRICING_RULES.find((r) => r.type === 'member')!.conditions
  .member_tiers[0];

/** Makes the demo customer a member of `DEMO_MEMBER_TIER`; false when they already are. */
async function giveMembership(cloud: Api, auth: string, customerId: string): Promise<boolean> {
  const { profile } = await cloud.json<{ profile: { member_tier: string | null } }>(
    `/api/v1/customers/${customerId}`,
    { auth },
  );
  if (profile.member_tier === DEMO_MEMBER_TIER) return false;
  await cloud.json(`/api/v1/admin/customers/${customerId}/membership`, {
    method: 'PUT',
    auth,
    body: { member_tier: DEMO_MEMBER_TIER },
  });
  return true;
}
