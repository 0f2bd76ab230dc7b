import {
  AvailabilityRulesQuerySchema,
  ClosuresQuerySchema,
  CreateAvailabilityRuleBodySchema,
  CreateClosureBodySchema,
  CreateFacilityBodySchema,
  CreatePricingRuleBodySchema,
  CreateSimulatorBodySchema,
  DashboardQuerySchema,
  FacilityFilterQuerySchema,
  UpdateAvailabilityRuleBodySchema,
  UpdateClosureBodySchema,
  UpdateFacilityBodySchema,
  UpdatePricingRuleBodySchema,
  UpdateSimulatorBodySchema,
} from '@clubos/shared/api/admin.schemas';
import { UpdatePreferencesBodySchema } from '@clubos/shared/api/customers.schemas';
import { JoinWaitlistBodySchema, ListWaitlistQuerySchema } from '@clubos/shared/api/waitlist.schemas';
import type { TObject } from '@sinclair/typebox';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { book, hoursFromNow, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import { CustomerSearchQuerySchema } from './admin-people.schemas.js';

type Json = Record<string, unknown>;
interface Target {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: () => string;
  token: () => string;
  schema: TObject;
  /** A valid body or query; each run breaks one key of it. */
  base: () => Json;
  query?: boolean;
}

/** One broken key: a wrong value, a missing key, or a key the schema does not know. */
type Mutation =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'drop'; key: string }
  | { kind: 'extra'; key: string; value: unknown };

const badValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '-1',
    '1e999',
    '2025-13-45',
    '2025-13-45T25:61:00Z',
    '25:61',
    'Mars/Olympus',
    '00000000-0000-4000-8000-000000000000',
  ),
  fc.integer(),
  fc.double(),
);

function mutations(target: Target): fc.Arbitrary<Mutation> {
  const known = Object.keys(target.schema.properties);
  const keys = Object.keys(target.base());
  return fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom(...keys), value: badValue }),
    fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom(...keys) }),
    fc.record({
      kind: fc.constant('extra' as const),
      key: fc.stringMatching(/^[a-z][a-z_]{0,11}$/).filter((k) => !known.includes(k)),
      value: fc.jsonValue({ maxDepth: 1 }),
    }),
  );
}

function apply(base: Json, m: Mutation): Json {
  const out = { ...base };
  if (m.kind === 'drop') delete out[m.key];
  else out[m.key] = m.value;
  return out;
}

describe.each(testDatabases())('bad input to the customers, waitlist and admin APIs on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let ruleId: string;
  let pricingId: string;
  let closureId: string;
  let takenSlot: string;
  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    takenSlot = hoursFromNow(40);
    await book(t, w.tokens.otherCustomer, w.bayA1, takenSlot);
    const post = async (url: string, payload: Json) =>
      (await t.request({ method: 'POST', url, token: w.tokens.admin, payload })).json();
    ruleId = (
      await post('/api/v1/admin/availability-rules', {
        simulator_id: w.bayA2,
        day_of_week: 1,
        start_time: '05:00',
        end_time: '06:00',
      })
    ).id;
    pricingId = (
      await post('/api/v1/admin/pricing-rules', {
        facility_id: w.facilityA,
        name: 'p',
        type: 'time_based',
        conditions: {},
        price_modifier: 0,
      })
    ).id;
    closureId = (
      await post('/api/v1/admin/closures', {
        facility_id: w.facilityA,
        starts_at: hoursFromNow(900),
        ends_at: hoursFromNow(901),
      })
    ).closure.id;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const admin = () => w.tokens.admin;
  const targets: Target[] = [
    {
      name: 'PATCH preferences',
      method: 'PATCH',
      url: () => `/api/v1/customers/${w.customerId}/preferences`,
      token: () => w.tokens.customer,
      schema: UpdatePreferencesBodySchema,
      base: () => ({ preferred_times: ['evening'], notifications: { sms: true } }),
    },
    {
      name: 'POST waitlist',
      method: 'POST',
      url: () => '/api/v1/waitlist',
      token: () => w.tokens.customer,
      schema: JoinWaitlistBodySchema,
      base: () => ({ simulator_id: w.bayA1, start_time: takenSlot, duration: 60 }),
    },
    {
      name: 'POST facilities',
      method: 'POST',
      url: () => '/api/v1/admin/facilities',
      token: admin,
      schema: CreateFacilityBodySchema,
      base: () => ({ name: 'Fuzz', timezone: 'UTC', settings: {} }),
    },
    {
      name: 'PATCH facility',
      method: 'PATCH',
      url: () => `/api/v1/admin/facilities/${w.facilityB}`,
      token: admin,
      schema: UpdateFacilityBodySchema,
      base: () => ({ name: 'B', address: 'x' }),
    },
    {
      name: 'POST simulators',
      method: 'POST',
      url: () => '/api/v1/admin/simulators',
      token: admin,
      schema: CreateSimulatorBodySchema,
      base: () => ({ facility_id: w.facilityB, name: 'S', hourly_rate: 40 }),
    },
    {
      name: 'PATCH simulator',
      method: 'PATCH',
      url: () => `/api/v1/admin/simulators/${w.bayB1}`,
      token: admin,
      schema: UpdateSimulatorBodySchema,
      base: () => ({ status: 'maintenance', reason: 'fuzz', maintenance_until: hoursFromNow(2) }),
    },
    {
      name: 'POST availability rule',
      method: 'POST',
      url: () => '/api/v1/admin/availability-rules',
      token: admin,
      schema: CreateAvailabilityRuleBodySchema,
      base: () => ({ simulator_id: w.bayA2, day_of_week: 2, start_time: '05:00', end_time: '06:00' }),
    },
    {
      name: 'PATCH availability rule',
      method: 'PATCH',
      url: () => `/api/v1/admin/availability-rules/${ruleId}`,
      token: admin,
      schema: UpdateAvailabilityRuleBodySchema,
      base: () => ({ start_time: '04:00', buffer_time: 0 }),
    },
    {
      name: 'POST pricing rule',
      method: 'POST',
      url: () => '/api/v1/admin/pricing-rules',
      token: admin,
      schema: CreatePricingRuleBodySchema,
      base: () => ({
        facility_id: w.facilityA,
        name: 'r',
        type: 'time_based',
        conditions: { days_of_week: [1] },
        price_modifier: 0,
      }),
    },
    {
      name: 'PATCH pricing rule',
      method: 'PATCH',
      url: () => `/api/v1/admin/pricing-rules/${pricingId}`,
      token: admin,
      schema: UpdatePricingRuleBodySchema,
      base: () => ({ price_modifier: 0, priority: 1 }),
    },
    {
      name: 'POST closure',
      method: 'POST',
      url: () => '/api/v1/admin/closures',
      token: admin,
      schema: CreateClosureBodySchema,
      base: () => ({ facility_id: w.facilityA, starts_at: hoursFromNow(700), ends_at: hoursFromNow(701) }),
    },
    {
      name: 'PATCH closure',
      method: 'PATCH',
      url: () => `/api/v1/admin/closures/${closureId}`,
      token: admin,
      schema: UpdateClosureBodySchema,
      base: () => ({ reason: 'fuzz', kind: 'closure' }),
    },
    {
      name: 'GET dashboard',
      method: 'GET',
      query: true,
      url: () => '/api/v1/admin/dashboard',
      token: admin,
      schema: DashboardQuerySchema,
      base: () => ({ facility_id: w.facilityA, date: '2025-06-11' }),
    },
    {
      name: 'GET closures',
      method: 'GET',
      query: true,
      url: () => '/api/v1/admin/closures',
      token: admin,
      schema: ClosuresQuerySchema,
      base: () => ({ facility_id: w.facilityA, from: hoursFromNow(0), to: hoursFromNow(24) }),
    },
    {
      name: 'GET availability rules',
      method: 'GET',
      query: true,
      url: () => '/api/v1/admin/availability-rules',
      token: admin,
      schema: AvailabilityRulesQuerySchema,
      base: () => ({ facility_id: w.facilityA, simulator_id: w.bayA2 }),
    },
    {
      name: 'GET simulators',
      method: 'GET',
      query: true,
      url: () => '/api/v1/admin/simulators',
      token: admin,
      schema: FacilityFilterQuerySchema,
      base: () => ({ facility_id: w.facilityA }),
    },
    {
      name: 'GET customers',
      method: 'GET',
      query: true,
      url: () => '/api/v1/admin/customers',
      token: admin,
      schema: CustomerSearchQuerySchema,
      base: () => ({ q: 'casey', limit: 10, offset: 0 }),
    },
    {
      name: 'GET waitlist',
      method: 'GET',
      query: true,
      url: () => '/api/v1/waitlist',
      token: admin,
      schema: ListWaitlistQuerySchema,
      base: () => ({ facility_id: w.facilityA, status: 'waiting' }),
    },
  ];

  /** Everything these endpoints can write, read back through the API and the change log. */
  const fingerprint = async () => {
    const read = async (url: string) => (await t.request({ method: 'GET', url, token: w.tokens.admin })).body;
    const feed = await Promise.all([w.facilityA, w.facilityB].map((f) => t.app.services.changeLog.cursor(f)));
    return JSON.stringify([
      feed,
      await read('/api/v1/admin/facilities'),
      await read('/api/v1/admin/simulators'),
      await read('/api/v1/admin/availability-rules'),
      await read('/api/v1/admin/pricing-rules'),
      await read('/api/v1/admin/closures'),
      await read('/api/v1/waitlist'),
      await read(`/api/v1/customers/${w.customerId}`),
    ]);
  };

  const send = (target: Target, input: Json) => {
    if (!target.query)
      return t.request({ method: target.method, url: target.url(), token: target.token(), payload: input });
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(input))
      params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    return t.request({ method: target.method, url: `${target.url()}?${params}`, token: target.token() });
  };

  it.each(targets.map((target) => [target.name, target] as const))(
    '%s: a 4xx naming the field, nothing written',
    async (_n, target) => {
      const known = new Set([...Object.keys(target.schema.properties), target.query ? 'query' : 'body']);
      await fc.assert(
        fc.asyncProperty(mutations(target), async (m) => {
          const before = await fingerprint();
          const res = await send(target, apply(target.base(), m));
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode < 400) return;
          const error = res.json().error as { field?: string };
          // A `__proto__`/`constructor.prototype` key anywhere makes the JSON parser refuse the
          // whole body (prototype poisoning), before any field is looked at.
          const poisoned = m.kind !== 'drop' && /"(__proto__|constructor)"/.test(JSON.stringify(m.value));
          if (poisoned && res.statusCode === 400 && error.field === 'body') {
            expect(await fingerprint()).toBe(before);
            return;
          }
          if (m.kind === 'extra') {
            expect(res.statusCode, res.body).toBe(400);
            expect(error.field).toBe(m.key);
          } else if (res.statusCode === 400 || res.statusCode === 422) {
            // The field is one of the request's own (possibly nested: conditions.start_time).
            expect(known.has(error.field?.split('.')[0] ?? ''), res.body).toBe(true);
          }
          expect(await fingerprint()).toBe(before);
        }),
        { numRuns: 20 },
      );
    },
    300_000,
  );

  it('answers a malformed id in the path with a 400 naming it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/^[0-9a-fA-F-]{36}$/.test(s)),
        async (id) => {
          const url = `/api/v1/admin/simulators/${encodeURIComponent(id)}`;
          const res = await t.request({
            method: 'PATCH',
            url,
            token: w.tokens.admin,
            payload: { name: 'x' },
          });
          expect([400, 404]).toContain(res.statusCode);
          if (res.statusCode === 400) expect(res.json().error.field).toBe('id');
        },
      ),
      { numRuns: 30 },
    );
  });
});
