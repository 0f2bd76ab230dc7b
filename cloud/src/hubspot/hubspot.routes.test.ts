import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAdmin } from '../testing/facility.js';
import { drain, facilityWithBays, guestBooking, hubspotSuite, jump, slot } from '../testing/hubspot.js';
import { expectRefused } from '../testing/refusal.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('admin HubSpot routes on %s', (kind) => {
  const h = hubspotSuite(kind, { maxFailures: 2 });

  it('is for admins only', async () => {
    const anonymous = await h.t.request({ method: 'GET', url: '/api/v1/admin/hubspot/status' });
    expect(anonymous.statusCode).toBe(401);
    for (const token of [h.users.staff, h.users.customer]) {
      const status = await h.t.request({ method: 'GET', url: '/api/v1/admin/hubspot/status', token });
      expect(status.statusCode).toBe(403);
      expect(status.json().error.code).toBe('FORBIDDEN');
      const retry = await h.t.request({ method: 'POST', url: '/api/v1/admin/hubspot/items/1/retry', token });
      expect(retry.statusCode).toBe(403);
    }
  });

  it('answers bad input with a 400 naming the field', async () => {
    const token = h.users.admin;
    await expectRefused(
      h.t,
      { method: 'GET', url: '/api/v1/admin/hubspot/status?state=lost', token },
      400,
      'state',
    );
    await expectRefused(
      h.t,
      { method: 'POST', url: '/api/v1/admin/hubspot/items/abc/retry', token },
      400,
      'id',
    );
    const unknown = await h.t.request({
      method: 'POST',
      url: '/api/v1/admin/hubspot/items/999999/retry',
      token,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('shows a failed item with its error and attempts, and sends it again on a manual retry', async () => {
    const booking = await guestBooking(h.t, h.facility.bayIds[0]!, slot(2, 10), {
      email: 'retry.me@example.com',
    });
    // HubSpot fails this contact twice with a 500: with HUBSPOT_MAX_FAILURES=2 the item gives up.
    h.sim.control.fault({ kind: 'server_error', count: 2 });
    await h.worker.runOnce();
    jump(h.worker.health().pausedUntil! - Date.now() + 60_000);
    await h.worker.runOnce();

    const res = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/hubspot/status?state=failed`,
      token: h.users.admin,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.totals.failed).toBeGreaterThanOrEqual(1);
    const customer = body.customers.find(
      (c: { customer_id: string }) => c.customer_id === booking.customer_id,
    );
    expect(customer).toMatchObject({ state: 'failed', failed: 1, attempts: 2, hubspot_contact_id: null });
    expect(customer.last_error).toMatch(/HTTP 500 INTERNAL_ERROR/);
    const failed = customer.open_items.find((i: { status: string }) => i.status === 'failed');
    expect(failed).toMatchObject({ kind: 'contact.upsert', attempts: 2, failures: 2 });
    expect(h.sim.state.contactByEmail('retry.me@example.com')).toBeUndefined();

    // A pending item cannot be "retried": only failed ones.
    const pending = customer.open_items.find((i: { status: string }) => i.status === 'pending');
    const notFailed = await h.t.request({
      method: 'POST',
      url: `/api/v1/admin/hubspot/items/${pending.id}/retry`,
      token: h.users.admin,
    });
    expect(notFailed.statusCode).toBe(409);

    const retry = await h.t.request({
      method: 'POST',
      url: `/api/v1/admin/hubspot/items/${failed.id}/retry`,
      token: h.users.admin,
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().item).toMatchObject({ id: failed.id, status: 'pending', failures: 0 });
    await drain(h);

    expect(h.sim.state.contacts().filter((c) => c.properties.email === 'retry.me@example.com')).toHaveLength(
      1,
    );
    const synced = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/hubspot/status?customer_id=${booking.customer_id}`,
      token: h.users.admin,
    });
    expect(synced.json().customers[0]).toMatchObject({ state: 'synced', failed: 0, pending: 0 });
    expect(synced.json().customers[0].hubspot_contact_id).toBe(
      h.sim.state.contactByEmail('retry.me@example.com')!.id,
    );
  });

  it('fails an item HubSpot rejects at once, and recreates lost custom properties before a manual retry', async () => {
    const booking = await guestBooking(h.t, h.facility.bayIds[1]!, slot(3, 10), {
      email: 'rejected@example.com',
    });
    // Someone emptied the portal, our custom properties with it: HubSpot answers 400 PROPERTY_DOESNT_EXIST.
    h.sim.control.reset();
    const report = await h.worker.runOnce();
    expect(report.interrupted).toBeNull(); // a rejection is the item's problem, not HubSpot's
    const status = await h.t.app.hubspotSync.service.status({
      customer_id: booking.customer_id,
      limit: 1,
      offset: 0,
    });
    const items = status.customers[0]!.open_items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    for (const item of items) expect(item).toMatchObject({ status: 'failed', failures: 1 });
    expect(status.customers[0]!.last_error).toMatch(/PROPERTY_DOESNT_EXIST/);

    // No automatic retry of a rejected item, however long we wait.
    const objectCalls = () => h.sim.state.requests({ path: /^\/crm\/v3\/objects\// }).length;
    const sent = objectCalls();
    jump(60 * 60_000);
    await h.worker.runOnce();
    expect(objectCalls()).toBe(sent);
    // … but the next pass did recreate the properties the portal lost.
    expect(h.sim.state.properties('notes').map((p) => p.name)).toContain('clubos_event_id');

    for (const item of items) {
      const retry = await h.t.request({
        method: 'POST',
        url: `/api/v1/admin/hubspot/items/${item.id}/retry`,
        token: h.users.admin,
      });
      expect(retry.statusCode, retry.body).toBe(200);
    }
    await drain(h);
    expect(h.sim.state.properties('contacts').map((p) => p.name)).toContain('total_bookings');
    expect(h.sim.state.contactByEmail('rejected@example.com')).toBeDefined();
    expect(
      h.sim.state
        .notes()
        .filter((n) => n.properties.clubos_event_id === `note:${booking.id}:booking.created`),
    ).toHaveLength(1);
  });
});

describe.each(testDatabases())('HubSpot sync without an access token on %s', (kind) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await loginAdmin(t);
  }, 180_000); // a busy shared machine: PGlite start-up, migrations, argon2 logins
  afterAll(async () => t?.close());

  it('is off, says so, and keeps the outbox events for later', async () => {
    expect(t.app.hubspotSync.worker).toBeNull();
    const fixture = await facilityWithBays(t);
    await guestBooking(t, fixture.bayIds[0]!, slot(2, 11), { email: 'later@example.com' });
    const res = await t.request({ method: 'GET', url: '/api/v1/admin/hubspot/status', token: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ enabled: false, available: false, customers: [] });
    expect(res.json().totals.events_waiting).toBeGreaterThanOrEqual(1);
  });
});
