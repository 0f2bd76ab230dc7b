import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import { createFacility, type FacilityFixture } from '../testing/facility.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';
import { HUBSPOT_ALERT_ATTEMPTS } from './integration-failure.monitor.js';

describe.each(testDatabases())('staff alerts by email on %s', (kind) => {
  let w: NotificationsWorld;
  let other: FacilityFixture;
  let key: string;
  const staff = `desk.${randomUUID().slice(0, 8)}@example.com`;
  const elsewhere = `elsewhere.${randomUUID().slice(0, 8)}@example.com`;

  beforeAll(async () => {
    w = await notificationsWorld(kind, { facility: { name: 'Alert Arena' } });
    other = await createFacility(w.t, { name: 'Elsewhere' });
    const staffUser = async (email: string, facilityId: string) => {
      const res = await w.t.request({
        method: 'POST',
        url: '/api/v1/auth/users',
        token: w.adminToken,
        payload: { email, password: 'staff-password-1', role: 'staff', facility_ids: [facilityId] },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await staffUser(staff, w.facility.facilityId);
    await staffUser(elsewhere, other.facilityId);
    key = (await registerEdge(w.t, w.adminToken, w.facility.facilityId)).key;
  }, 120_000);
  afterAll(async () => w?.close());

  const settings = (facilityId: string, value: unknown) =>
    w.t.request({
      method: 'PATCH',
      url: `/api/v1/admin/facilities/${facilityId}`,
      token: w.adminToken,
      payload: { settings: { staff_alert_roles: value } },
    });

  const raise = async (alertId: number, alertKind: string, message: string) => {
    const res = await asEdge(w.t, key, 'POST', '/api/v1/edge/events', {
      v: 1,
      facility_id: w.facility.facilityId,
      events: [
        {
          v: 1,
          event_id: randomUUID(),
          type: 'staff_alert.raised',
          occurred_at: new Date().toISOString(),
          facility_id: w.facility.facilityId,
          payload: {
            alert_id: alertId,
            dedupe_key: `${alertKind}:${alertId}`,
            kind: alertKind,
            severity: 'critical',
            subject: 'front',
            message,
            raised_at: new Date().toISOString(),
          },
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results[0].status).toBe('accepted');
  };

  /** Waits until every staff alert message has ended (sent, skipped or failed). */
  const drained = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = (await w.t.app.db.execute(
        sql`SELECT count(*)::int AS n FROM notification_messages WHERE kind = 'staff_alert'
          AND status NOT IN ('sent', 'skipped', 'failed')`,
      )) as unknown as { rows: { n: number }[] };
      if (Number(r.rows[0]!.n) === 0) return;
      if (Date.now() > deadline) throw new Error('staff alert messages still pending');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('refuses a bad role map by naming the field', async () => {
    const notObject = await settings(w.facility.facilityId, ['staff']);
    expect(notObject.statusCode).toBe(400);
    expect(notObject.body).toContain('settings.staff_alert_roles');
    const badRole = await settings(w.facility.facilityId, { door_forced_open: ['janitor'] });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.body).toContain('settings.staff_alert_roles.door_forced_open');
  });

  it('emails each person of the chosen roles once per incident, and nobody else', async () => {
    const ok = await settings(w.facility.facilityId, {
      door_forced_open: ['staff', 'admin'],
      bay_pc_offline: [],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    await raise(1, 'door_forced_open', 'Front door forced open');
    await raise(1, 'door_forced_open', 'Front door forced open'); // the same incident, re-sent
    await raise(2, 'bay_pc_offline', 'Bay 1 PC offline'); // silenced: no role chosen
    const toStaff = await w.mail.waitForMessage({ to: staff, subject: /door forced open/ }, 15_000);
    expect(toStaff.subject).toBe('[critical] Alert Arena: door forced open');
    expect(toStaff.text).toContain('Front door forced open');
    expect(toStaff.text).toContain('(America/Toronto)');
    expect(toStaff.html).toContain('<h1>Front door forced open</h1>');
    await w.mail.waitForMessage({ to: w.t.config.adminEmail, subject: /door forced open/ }, 15_000);
    await drained();
    expect(w.mail.messages({ to: staff, subject: /door forced open/ })).toHaveLength(1);
    expect(w.mail.messages({ to: w.t.config.adminEmail, subject: /door forced open/ })).toHaveLength(1);
    expect(w.mail.messages({ to: elsewhere })).toHaveLength(0);
    expect(w.mail.messages({ subject: /bay pc offline/ })).toHaveLength(0);
  });

  it('sends a kind the facility has not chosen for to its staff only, the edge-offline pass included', async () => {
    await w.t.app.db.execute(
      sql`UPDATE edge_nodes SET last_seen_at = now() - interval '20 minutes' WHERE facility_id = ${w.facility.facilityId}::uuid`,
    );
    expect(await w.t.app.services.edgeOffline.pass(new Date())).toBe(1);
    expect(await w.t.app.services.edgeOffline.pass(new Date())).toBe(0);
    const mail = await w.mail.waitForMessage({ to: staff, subject: /edge offline/ }, 15_000);
    expect(mail.text).toContain('has not synced since');
    await drained();
    expect(w.mail.messages({ to: staff, subject: /edge offline/ })).toHaveLength(1);
    expect(w.mail.messages({ to: w.t.config.adminEmail, subject: /edge offline/ })).toHaveLength(0);
  });

  it('raises one integration_failing alert per incident for HubSpot stuck past N sends and failed emails', async () => {
    const db = w.t.app.db;
    const monitor = w.t.app.services.integrationFailures;
    expect(await monitor.pass(new Date())).toBe(0);
    await db.execute(sql`INSERT INTO notification_messages (booking_id, facility_id, kind, version, status, last_error)
      VALUES (${randomUUID()}::uuid, ${w.facility.facilityId}::uuid, 'confirmation', 1, 'failed', '550 mailbox unavailable')`);
    const customer = (await db.execute(
      sql`INSERT INTO customers (email, first_name) VALUES (${`hs.${randomUUID().slice(0, 8)}@example.com`}, 'Hub') RETURNING id`,
    )) as unknown as { rows: { id: string }[] };
    await db.execute(sql`INSERT INTO hubspot_sync_items (kind, customer_id, status, attempts)
      VALUES ('contact', ${customer.rows[0]!.id}::uuid, 'pending', ${HUBSPOT_ALERT_ATTEMPTS})`);
    // Email failing at one venue; HubSpot (one account) at both.
    expect(await monitor.pass(new Date())).toBe(3);
    expect(await monitor.pass(new Date())).toBe(0);
    await w.mail.waitForMessage({ to: staff, subject: /Alert Arena: integration failing/ }, 15_000);
    await w.mail.waitForMessage({ to: elsewhere, subject: /Elsewhere: integration failing/ }, 15_000);
    await drained();
    const texts = w.mail.messages({ to: staff, subject: /integration failing/ }).map((m) => m.text ?? '');
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.includes('HubSpot sync is failing: 1 item(s)'))).toBe(true);
    expect(texts.some((t) => t.includes('Email sending is failing: 1 message(s)'))).toBe(true);
    expect(w.mail.messages({ to: elsewhere, subject: /integration failing/ })).toHaveLength(1);
    // Fixed, then failing again: a new incident.
    await db.execute(sql`UPDATE hubspot_sync_items SET status = 'done'`);
    await db.execute(sql`INSERT INTO hubspot_sync_items (kind, customer_id, status, attempts)
      VALUES ('contact', ${customer.rows[0]!.id}::uuid, 'failed', 1)`);
    expect(await monitor.pass(new Date())).toBe(2);
  });
});
