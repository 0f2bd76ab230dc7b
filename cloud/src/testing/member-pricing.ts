import { expect } from 'vitest';
import type { OpsWorld } from './ops-world.js';
import type { TestApp } from './test-app.js';

/** Bay A1 of the ops world costs $45.00/h and facility A charges no tax; gold members get 15 % off. */
export const PUBLIC_CENTS = 4500;
export const GOLD_CENTS = 3825;

/** Adds facility A's "Gold member discount" rule (member tier `gold`, -15 %); returns its id. */
export async function addGoldMemberRule(t: TestApp, w: OpsWorld): Promise<string> {
  const rule = await t.request({
    method: 'POST',
    url: '/api/v1/admin/pricing-rules',
    token: w.tokens.admin,
    payload: {
      facility_id: w.facilityA,
      name: 'Gold member discount',
      type: 'member',
      conditions: { member_tiers: ['gold'] },
      price_modifier: -15,
      modifier_type: 'percentage',
      priority: 20,
    },
  });
  expect(rule.statusCode, rule.body).toBe(201);
  return rule.json().id as string;
}

/** Sets (or with null ends) a customer's membership tier, as the admin. */
export async function setMemberTier(
  t: TestApp,
  w: OpsWorld,
  customerId: string,
  tier: string | null,
): Promise<void> {
  const res = await t.request({
    method: 'PUT',
    url: `/api/v1/admin/customers/${customerId}/membership`,
    token: w.tokens.admin,
    payload: { member_tier: tier },
  });
  expect(res.statusCode, res.body).toBe(200);
}
