import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditSince } from '../audit/audit.repository.js';
import { pendingBatch } from '../sync/outbox.repository.js';
import {
  type ControlHarness,
  DOORS,
  newVenue,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import { type SimulatorProcess, startSimulatorProcess } from '../testing/simulator-process.js';
import { tempDir } from '../testing/sync-harness.js';
import { UnifiAccessClient } from './unifi-access.client.js';

let unifi: SimulatorProcess;
const venue = newVenue();
const clock = testClock(Date.UTC(2026, 5, 1, 18, 0));
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;

beforeAll(async () => {
  unifi = await startSimulatorProcess('unifi', ['--token', 'edge-token']);
});
afterAll(async () => {
  await unifi.stop();
});
beforeEach(async () => {
  dir = tempDir('edge-door-control-');
  const client = new UnifiAccessClient({
    baseUrl: unifi.info.url!,
    token: 'edge-token',
    timeoutMs: 1_000,
    retry: { retries: 0 },
  });
  edge = await startControlHarness({ file: path.join(dir.dir, 'edge.sqlite'), venue, clock, unifi: client });
});
afterEach(async () => {
  await edge.close();
  dir.cleanup();
});

async function tokenOf(username: string, role: 'manager' | 'staff') {
  await edge.auth.createStaff(username, 'long-password', role);
  return (await edge.auth.login(username, 'long-password')).token;
}

describe('emergency modes and door events', () => {
  it('lets staff (not an anonymous caller) lock the venue down and release it, audited', async () => {
    const staff = await tokenOf('desk', 'staff');
    const anonymous = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/doors/emergency',
      payload: { mode: 'lockdown' },
    });
    expect(anonymous.statusCode).toBe(401);
    const bad = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/doors/emergency',
      headers: { authorization: `Bearer ${staff}` },
      payload: { mode: 'party' },
    });
    expect(bad.statusCode).toBe(400);
    const locked = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/doors/emergency',
      headers: { authorization: `Bearer ${staff}` },
      payload: { mode: 'lockdown' },
    });
    expect(locked.json()).toEqual({ lockdown: true, evacuation: false });
    const state = await edge.app.inject({
      method: 'GET',
      url: '/api/v1/doors/emergency',
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(state.json()).toEqual({ lockdown: true, evacuation: false });
    expect(edge.control.alerts.list(true).map((a) => a.kind)).toContain('emergency_mode');
    const released = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/doors/emergency',
      headers: { authorization: `Bearer ${staff}` },
      payload: { mode: 'normal' },
    });
    expect(released.json()).toEqual({ lockdown: false, evacuation: false });
    expect(edge.control.alerts.list(true).map((a) => a.kind)).not.toContain('emergency_mode');
    // Both changes go to the cloud as staff alerts (emailed to the roles the venue chose).
    const raised = pendingBatch(edge.database.db, 50)
      .filter((e) => e.type === 'staff_alert.raised')
      .map((e) => e.payload as { kind: string; message: string });
    expect(raised.filter((a) => a.kind === 'emergency_mode').map((a) => a.message)).toEqual([
      'lockdown is active (set by staff:desk)',
      'Emergency mode released: all doors back to normal (by staff:desk)',
    ]);
    expect(auditSince(edge.database.db, 0, 5).map((a) => [a.kind, a.decision, a.actor])).toEqual([
      ['door.emergency', 'normal', 'staff:desk'],
      ['door.emergency', 'lockdown', 'staff:desk'],
    ]);
  });

  it('turns forced-open and held-open doors into staff alerts, once each, visible on the LAN API', async () => {
    await unifi.control('POST', `/doors/${DOORS.bay1}/position`, { event: 'forced_open' });
    await unifi.control('POST', `/doors/${DOORS.front}/position`, { event: 'held_open' });
    expect(await edge.control.doorEvents!.poll()).toBe(2);
    expect(await edge.control.doorEvents!.poll()).toBe(0);
    const staff = await tokenOf('desk', 'staff');
    const list = await edge.app.inject({
      method: 'GET',
      url: '/api/v1/alerts',
      headers: { authorization: `Bearer ${staff}` },
    });
    const alerts = (
      list.json() as { alerts: { id: number; kind: string; subject: string; severity: string }[] }
    ).alerts;
    expect(alerts.map((a) => [a.kind, a.subject, a.severity]).sort()).toEqual([
      ['door_forced_open', DOORS.bay1, 'critical'],
      ['door_held_open', DOORS.front, 'warning'],
    ]);
    const ack = await edge.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${alerts[0]!.id}/acknowledge`,
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(ack.json()).toMatchObject({ acknowledged_by: 'staff:desk' });
    await unifi.control('POST', `/doors/${DOORS.bay1}/position`, { event: 'close' });
  });

  it('decides for the kiosk and the console through the same path, with clear 400s for bad input', async () => {
    const staff = await tokenOf('desk', 'staff');
    const url = `/api/v1/doors/${DOORS.front}/decisions`;
    const auth = { authorization: `Bearer ${staff}` };
    const both = await edge.app.inject({
      method: 'POST',
      url,
      headers: auth,
      payload: { qr_code: 'x', pin: '123456' },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const anonymous = await edge.app.inject({ method: 'POST', url, payload: { pin: '123456' } });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await edge.app.inject({ method: 'POST', url, headers: auth, payload: { pin: '123456' } });
    expect(unknown.json()).toMatchObject({
      decision: 'denied',
      outcome: 'denied',
      reason: 'unknown',
      credential: 'pin',
    });
    expect(auditSince(edge.database.db, 0, 1)[0]).toMatchObject({ actor: 'staff:desk', reason: 'unknown' });
  });

  it('lets staff (not a kiosk, not an anonymous caller) unlock a door remotely, audited with who and why', async () => {
    const staff = await tokenOf('desk', 'staff');
    const kiosk = edge.auth.createKiosk('lobby kiosk');
    const url = `/api/v1/doors/${DOORS.bay2}/unlock`;
    const unlocksBefore = (await unifi.control<{ unlocks: unknown[] }>('GET', '/unlocks')).unlocks.length;

    const anonymous = await edge.app.inject({ method: 'POST', url, payload: {} });
    expect(anonymous.statusCode).toBe(401);
    const fromKiosk = await edge.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Device ${kiosk.key}` },
      payload: {},
    });
    expect(fromKiosk.statusCode).toBe(403);
    const auth = { authorization: `Bearer ${staff}` };
    const tooLong = await edge.app.inject({
      method: 'POST',
      url,
      headers: auth,
      payload: { reason: 'x'.repeat(501) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const unknown = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/doors/not-a-door/unlock',
      headers: auth,
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
    expect((await unifi.control<{ unlocks: unknown[] }>('GET', '/unlocks')).unlocks).toHaveLength(
      unlocksBefore,
    );

    const opened = await edge.app.inject({
      method: 'POST',
      url,
      headers: auth,
      payload: { reason: 'customer locked out of bay 2' },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({ door_id: DOORS.bay2, actor: 'staff:desk' });
    const { unlocks } = await unifi.control<{
      unlocks: { door_id: string; actor_name: string; extra: unknown }[];
    }>('GET', '/unlocks');
    expect(unlocks).toHaveLength(unlocksBefore + 1);
    expect(unlocks.at(-1)).toMatchObject({
      door_id: DOORS.bay2,
      actor_name: 'staff:desk',
      extra: { reason: 'customer locked out of bay 2' },
    });
    // Without a reason too (an empty body).
    const bare = await edge.app.inject({
      method: 'POST',
      url: `/api/v1/doors/${DOORS.front}/unlock`,
      headers: auth,
    });
    expect(bare.statusCode, bare.body).toBe(200);

    expect(
      auditSince(edge.database.db, 0, 2).map((a) => [a.kind, a.subject, a.actor, a.decision, a.reason]),
    ).toEqual([
      ['door.remote_unlock', DOORS.front, 'staff:desk', 'granted', 'staff_override'],
      ['door.remote_unlock', DOORS.bay2, 'staff:desk', 'granted', 'customer locked out of bay 2'],
    ]);
    const trail = pendingBatch(edge.database.db, 10).filter((e) => e.type === 'door.decision');
    expect(trail.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({
        door_id: DOORS.bay2,
        credential: 'remote',
        actor: 'staff:desk',
        decision: 'granted',
      }),
    );
  });

  it('says so, and audits the attempt, when the controller is unreachable', async () => {
    const staff = await tokenOf('desk', 'staff');
    await unifi.control('POST', '/faults', { down: 'close' });
    try {
      const res = await edge.app.inject({
        method: 'POST',
        url: `/api/v1/doors/${DOORS.front}/unlock`,
        headers: { authorization: `Bearer ${staff}` },
        payload: {},
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({
        code: 'NOT_READY',
        message: expect.stringMatching(/did not unlock/),
      });
    } finally {
      await unifi.control('POST', '/faults', { reset: true });
    }
    expect(auditSince(edge.database.db, 0, 1)[0]).toMatchObject({
      kind: 'door.remote_unlock',
      decision: 'denied',
      actor: 'staff:desk',
    });
  });
});
