import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFor, type OpsWorld, openOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

/** The facility's walk-in payment rule travels to the edge with the facility's feed entry. */
describe.each(testDatabases())('the facility feed carries the walk-in payment policy on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  beforeAll(async () => ({ t, w } = await openOpsWorld(kind)), SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  const edgeGet = (url: string) => t.request({ method: 'GET', url, headers: headersFor(w, 'edgeA') });
  const facilityEntries = async (after: number) => {
    const res = await edgeGet(`/api/v1/edge/changes?after=${after}&limit=1000`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().changes as { seq: number; entity: string; data: Record<string, unknown> }[]).filter(
      (c) => c.entity === 'facility',
    );
  };
  const head = async () => (await edgeGet('/api/v1/edge/changes?after=0&limit=1')).json().head as number;

  it('snapshots the default (no card at the reader, 100.00 cap) before any policy is set', async () => {
    const snapshot = (await edgeGet('/api/v1/edge/snapshot')).json();
    const facility = snapshot.items.find((i: { entity: string }) => i.entity === 'facility');
    expect(facility.data.walk_in_payment).toEqual({ card: false, to_collect_cap_cents: 10_000 });
  });

  it('appends the facility with the new walk-in fields when the policy changes, and keeps them on a catalog edit', async () => {
    const before = await head();
    const put = await t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${w.facilityA}/payment-policy`,
      token: w.tokens.admin,
      payload: { mode: 'at_venue', walk_in_card: true, walk_in_to_collect_cap_cents: 4_500 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ walk_in_card: true, walk_in_to_collect_cap_cents: 4_500 });
    const [entry] = await facilityEntries(before);
    expect(entry?.data).toMatchObject({
      id: w.facilityA,
      walk_in_payment: { card: true, to_collect_cap_cents: 4_500 },
    });

    const renamed = await t.request({
      method: 'PATCH',
      url: `/api/v1/admin/facilities/${w.facilityA}`,
      token: w.tokens.admin,
      payload: { name: 'Renamed venue' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const entries = await facilityEntries(entry!.seq);
    expect(entries.at(-1)?.data).toMatchObject({
      name: 'Renamed venue',
      walk_in_payment: { card: true, to_collect_cap_cents: 4_500 },
    });
    const snapshot = (await edgeGet('/api/v1/edge/snapshot')).json();
    const facility = snapshot.items.find((i: { entity: string }) => i.entity === 'facility');
    expect(facility.data.walk_in_payment).toEqual({ card: true, to_collect_cap_cents: 4_500 });
  });

  it('refuses a negative cap naming the field', async () => {
    const res = await t.request({
      method: 'PUT',
      url: `/api/v1/admin/facilities/${w.facilityA}/payment-policy`,
      token: w.tokens.admin,
      payload: { mode: 'at_venue', walk_in_to_collect_cap_cents: -1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('walk_in_to_collect_cap_cents');
  });
});
