import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUnifiSimulator, type UnifiSimulator } from './unifi.simulator.js';

const TOKEN = 'full-scope-token';
const VIEW_ONLY = 'view-only-token';
const FRONT = 'd0000000-0000-4000-8000-000000000001';
const BAY1 = 'd0000000-0000-4000-8000-000000000002';
const STAFF = 'd0000000-0000-4000-8000-000000000004';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

let sim: UnifiSimulator;

async function call(method: string, path: string, body?: unknown, token = TOKEN) {
  const response = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Json };
}

const nowS = () => Math.floor(Date.now() / 1000);

async function createVisitor(overrides: Record<string, unknown> = {}) {
  const { json } = await call('POST', '/visitors', {
    first_name: 'Ada',
    last_name: 'Lovelace',
    start_time: nowS() - 600,
    end_time: nowS() + 3600,
    visit_reason: 'Others',
    resources: [{ id: BAY1, type: 'door' }],
    ...overrides,
  });
  return json.data as { id: string; status: string };
}

beforeEach(async () => {
  sim = await startUnifiSimulator({
    token: TOKEN,
    tokens: [{ token: VIEW_ONLY, name: 'viewer', scopes: ['view:space'] }],
  });
});
afterEach(async () => {
  await sim.close();
});

describe('UniFi Access simulator: auth and envelopes', () => {
  it('answers doors in the SUCCESS envelope with relay and position status', async () => {
    const { status, json } = await call('GET', '/doors');
    expect(status).toBe(200);
    expect(json.code).toBe('SUCCESS');
    expect(json.data).toHaveLength(4);
    expect(json.data[0]).toMatchObject({
      id: FRONT,
      door_lock_relay_status: 'lock',
      door_position_status: 'close',
      is_bind_hub: true,
    });
    const staff = await call('GET', `/doors/${STAFF}`);
    expect(staff.json.data.door_position_status).toBeNull();
  });

  it('refuses a missing or unknown token with 401 CODE_AUTH_FAILED', async () => {
    expect((await call('GET', '/doors', undefined, '')).status).toBe(401);
    const wrong = await call('GET', '/doors', undefined, 'nope');
    expect(wrong).toMatchObject({ status: 401, json: { code: 'CODE_AUTH_FAILED' } });
  });

  it('answers 401 CODE_ACCESS_TOKEN_INVALID once the token has expired', async () => {
    sim.control.expireToken(TOKEN);
    const { status, json } = await call('GET', '/doors');
    expect(status).toBe(401);
    expect(json.code).toBe('CODE_ACCESS_TOKEN_INVALID');
  });

  it('answers 403 CODE_UNAUTHORIZED when the token lacks the scope', async () => {
    expect((await call('GET', '/doors', undefined, VIEW_ONLY)).status).toBe(200);
    const { status, json } = await call('PUT', `/doors/${FRONT}/unlock`, {}, VIEW_ONLY);
    expect(status).toBe(403);
    expect(json.code).toBe('CODE_UNAUTHORIZED');
    expect(sim.control.unlocks()).toHaveLength(0);
  });

  it('answers 404 CODE_RESOURCE_NOT_FOUND for an unknown door and unknown route', async () => {
    expect(await call('GET', '/doors/missing')).toMatchObject({
      status: 404,
      json: { code: 'CODE_RESOURCE_NOT_FOUND' },
    });
    expect((await call('GET', '/no-such-thing')).status).toBe(404);
  });

  it('answers 400 CODE_PARAMS_INVALID naming the field, also for malformed JSON', async () => {
    const { status, json } = await call('POST', '/visitors', {
      first_name: 'A',
      last_name: 'B',
      visit_reason: 'Others',
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: 'CODE_PARAMS_INVALID' });
    expect(json.msg).toContain('start_time');
    const raw = await fetch(`${sim.apiUrl}/visitors`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { code: string }).code).toBe('CODE_PARAMS_INVALID');
  });
});

describe('UniFi Access simulator: doors', () => {
  it('records a remote unlock with its actor, or the token name when no actor is given', async () => {
    expect(
      (await call('PUT', `/doors/${FRONT}/unlock`, { actor_id: 'b-1', actor_name: 'Booking 1' })).json.code,
    ).toBe('SUCCESS');
    await call('PUT', `/doors/${FRONT}/unlock`);
    const unlocks = sim.control.unlocks();
    expect(unlocks.map((u) => [u.door_id, u.actor_id, u.actor_name, u.result])).toEqual([
      [FRONT, 'b-1', 'Booking 1', 'unlocked'],
      [FRONT, null, 'clubos-edge', 'unlocked'],
    ]);
    const half = await call('PUT', `/doors/${FRONT}/unlock`, { actor_id: 'only-id' });
    expect(half.status).toBe(400);
  });

  it('refuses to unlock a door that is not bound to a hub', async () => {
    const { status, json } = await call('PUT', `/doors/${STAFF}/unlock`, {});
    expect(status).toBe(400);
    expect(json.code).toBe('CODE_DEVICE_API_NOT_SUPPORTED');
  });

  it('lockdown makes unlock fail (HTTP 200, non-SUCCESS code) and evacuation unlocks every door', async () => {
    await call('PUT', '/doors/settings/emergency', { lockdown: true, evacuation: false });
    expect((await call('GET', '/doors/settings/emergency')).json.data).toEqual({
      lockdown: true,
      evacuation: false,
    });
    const refused = await call('PUT', `/doors/${FRONT}/unlock`, {});
    expect(refused.status).toBe(200);
    expect(refused.json.code).toBe('CODE_OPERATION_FORBIDDEN');
    expect(sim.control.unlocks()[0]?.result).toBe('refused');

    await call('PUT', '/doors/settings/emergency', { lockdown: false, evacuation: true });
    const doors = (await call('GET', '/doors')).json.data as Array<{ door_lock_relay_status: string }>;
    expect(doors.every((d) => d.door_lock_relay_status === 'unlock')).toBe(true);
    await call('PUT', '/doors/settings/emergency', { lockdown: false, evacuation: false });
    expect((await call('GET', `/doors/${FRONT}`)).json.data.door_lock_relay_status).toBe('lock');
    expect((await call('PUT', '/doors/settings/emergency', { lockdown: 'yes' })).status).toBe(400);
  });

  it('applies lock rules: keep_unlock holds the relay open, custom needs an interval, reset locks', async () => {
    await call('PUT', `/doors/${BAY1}/lock_rule`, { type: 'keep_unlock' });
    expect((await call('GET', `/doors/${BAY1}`)).json.data.door_lock_relay_status).toBe('unlock');
    expect((await call('GET', `/doors/${BAY1}/lock_rule`)).json.data.type).toBe('keep_unlock');
    expect((await call('PUT', `/doors/${BAY1}/lock_rule`, { type: 'custom' })).status).toBe(400);
    await call('PUT', `/doors/${BAY1}/lock_rule`, { type: 'custom', interval: 10 });
    const rule = (await call('GET', `/doors/${BAY1}/lock_rule`)).json.data;
    expect(rule.type).toBe('custom');
    expect(rule.ended_time).toBeGreaterThanOrEqual(nowS() + 599);
    await call('PUT', `/doors/${BAY1}/lock_rule`, { type: 'reset' });
    expect((await call('GET', `/doors/${BAY1}`)).json.data.door_lock_relay_status).toBe('lock');
    expect((await call('PUT', `/doors/${BAY1}/lock_rule`, { type: 'sometimes' })).status).toBe(400);
  });
});

describe('UniFi Access simulator: visitors and PINs', () => {
  it('creates, lists with pagination, updates, cancels and force-deletes visitors', async () => {
    const a = await createVisitor();
    await createVisitor({
      first_name: 'Grace',
      last_name: 'Hopper',
      start_time: nowS() + 7200,
      end_time: nowS() + 9000,
    });
    expect(a.status).toBe('ACTIVE');
    const page = await call('GET', '/visitors?page_num=1&page_size=1');
    expect(page.json.data).toHaveLength(1);
    expect(page.json.pagination).toEqual({ page_num: 1, page_size: 1, total: 2 });
    expect(
      (await call('GET', '/visitors?status=1')).json.data.map((v: { first_name: string }) => v.first_name),
    ).toEqual(['Grace']);
    expect((await call('GET', '/visitors?keyword=gra')).json.data).toHaveLength(1);
    expect((await call('GET', '/visitors?page_size=0')).status).toBe(400);

    const updated = await call('PUT', `/visitors/${a.id}`, { end_time: nowS() + 7200 });
    expect(updated.json.data.end_time).toBeGreaterThan(nowS() + 7000);
    expect((await call('PUT', `/visitors/${a.id}`, { end_time: 1 })).status).toBe(400);

    await call('DELETE', `/visitors/${a.id}`);
    expect((await call('GET', `/visitors/${a.id}`)).json.data.status).toBe('CANCELLED');
    await call('DELETE', `/visitors/${a.id}?is_force=true`);
    expect((await call('GET', `/visitors/${a.id}`)).status).toBe(404);
  });

  it('rejects a resource that does not exist', async () => {
    const { status, json } = await call('POST', '/visitors', {
      first_name: 'A',
      last_name: 'B',
      start_time: 1,
      end_time: 2,
      visit_reason: 'Others',
      resources: [{ id: 'nope', type: 'door' }],
    });
    expect(status).toBe(400);
    expect(json.msg).toContain('resources[0].id');
  });

  it('generates unique PINs, assigns them, and refuses a duplicate or wrong length', async () => {
    const pin = (await call('POST', '/credentials/pin_codes')).json.data as string;
    expect(pin).toMatch(/^\d{6}$/);
    const a = await createVisitor();
    const b = await createVisitor({ first_name: 'Grace' });
    expect((await call('PUT', `/visitors/${a.id}/pin_codes`, { pin_code: pin })).json.code).toBe('SUCCESS');
    expect((await call('GET', `/visitors/${a.id}`)).json.data.pin_code.token).toMatch(/^[0-9a-f]{64}$/);
    const dup = await call('PUT', `/visitors/${b.id}/pin_codes`, { pin_code: pin });
    expect(dup.json.code).toBe('CODE_CREDS_PIN_CODE_CREDS_ALREADY_EXIST');
    const short = await call('PUT', `/visitors/${b.id}/pin_codes`, { pin_code: '12' });
    expect(short.json.code).toBe('CODE_CREDS_PIN_CODE_CREDS_LENGTH_INVALID');
  });

  it('admits a PIN at the reader only inside the window and only for the visitor resources', async () => {
    const start = nowS() + 3600;
    const v = await createVisitor({ start_time: start, end_time: start + 3600 });
    await call('PUT', `/visitors/${v.id}/pin_codes`, { pin_code: '246810' });

    expect(sim.control.enterPin(BAY1, '246810', start - 60)).toMatchObject({
      result: 'BLOCKED',
      reason: 'before_window',
    });
    expect(sim.control.enterPin(BAY1, '246810', start + 60)).toMatchObject({
      result: 'ACCESS',
      visitor_id: v.id,
    });
    expect(sim.control.enterPin(FRONT, '246810', start + 60)).toMatchObject({
      result: 'BLOCKED',
      reason: 'door_not_assigned',
    });
    expect(sim.control.enterPin(BAY1, '246810', start + 3601)).toMatchObject({
      result: 'BLOCKED',
      reason: 'after_window',
    });
    expect(sim.control.enterPin(BAY1, '000000', start + 60)).toMatchObject({
      result: 'BLOCKED',
      reason: 'unknown_pin',
    });

    await call('PUT', '/doors/settings/emergency', { lockdown: true });
    expect(sim.control.enterPin(BAY1, '246810', start + 60)).toMatchObject({
      result: 'BLOCKED',
      reason: 'lockdown',
    });

    // The same through the HTTP control API.
    const viaHttp = await fetch(`${sim.url}/__control/doors/${BAY1}/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: '246810', at: start + 60 }),
    });
    expect(await viaHttp.json()).toMatchObject({ result: 'BLOCKED', reason: 'lockdown' });
  });

  it('logs PIN attempts as ACCESS/BLOCKED, paged, filtered by topic and time', async () => {
    const v = await createVisitor();
    await call('PUT', `/visitors/${v.id}/pin_codes`, { pin_code: '135790' });
    sim.control.enterPin(BAY1, '135790');
    sim.control.enterPin(FRONT, '135790');
    sim.control.doorPosition(FRONT, 'forced_open');
    const openings = await call('POST', '/system/logs?page_num=1&page_size=1', { topic: 'door_openings' });
    expect(openings.json.data.total).toBe(2);
    expect(openings.json.data.hits).toHaveLength(1);
    expect(openings.json.data.hits[0]._source.event).toMatchObject({
      type: 'access.door.unlock',
      result: 'BLOCKED',
    });
    const page2 = await call('POST', '/system/logs?page_num=2&page_size=1', { topic: 'door_openings' });
    expect(page2.json.data.hits[0]._source).toMatchObject({
      event: { result: 'ACCESS' },
      actor: { id: v.id, type: 'visitor' },
    });
    const critical = await call('POST', '/system/logs', { topic: 'critical' });
    expect(critical.json.data.hits[0]._source.event.type).toBe('access.door.forced_open');
    const future = await call('POST', '/system/logs', { topic: 'all', since: nowS() + 100 });
    expect(future.json.data.total).toBe(0);
    expect((await call('POST', '/system/logs', { topic: 'gossip' })).status).toBe(400);
  });
});

describe('UniFi Access simulator: faults', () => {
  it('answers 429 with Retry-After, then recovers', async () => {
    sim.control.faults.rateLimit(3);
    const limited = await call('GET', '/doors');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await call('GET', '/doors')).status).toBe(200);
  });

  it('answers queued 5xx in the envelope, 503 when down as unavailable, and drops connections when down', async () => {
    await fetch(`${sim.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fail: { status: 502, count: 1 } }),
    });
    expect(await call('GET', '/doors')).toMatchObject({ status: 502, json: { code: 'CODE_SYSTEM_ERROR' } });
    sim.control.faults.down('unavailable');
    expect((await call('GET', '/doors')).status).toBe(503);
    sim.control.faults.down('close');
    await expect(call('GET', '/doors')).rejects.toThrow();
    sim.control.faults.up();
    expect((await call('GET', '/doors')).status).toBe(200);
  });

  it('delays answers when slow, while the control API stays fast', async () => {
    sim.control.faults.slow(150);
    const started = performance.now();
    await call('GET', '/doors');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const controlStarted = performance.now();
    await fetch(`${sim.url}/__control/unlocks`);
    expect(performance.now() - controlStarted).toBeLessThan(140);
  });

  it('performs a call whose answer it then drops, once, and forgets queued drops on reset', async () => {
    const control = (path: string, body: unknown) =>
      fetch(`${sim.url}/__control/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await control('drop-responses', { method: 'POST', path: '/visitors', count: 0 })).status).toBe(
      400,
    );
    expect((await control('drop-responses', { method: 'POST', path: '/visitors' })).status).toBe(200);
    await expect(createVisitor({ first_name: 'Lost' })).rejects.toThrow();
    const { json } = await call('GET', '/visitors?keyword=lost');
    expect(json.data).toHaveLength(1);
    expect((await createVisitor({ first_name: 'Kept' })).id).toMatch(/-/);

    await control('drop-responses', { method: 'POST', path: '/visitors' });
    await control('faults', { reset: true });
    expect((await createVisitor({ first_name: 'Fine' })).id).toMatch(/-/);
  });

  it('records what it received for inspection', async () => {
    await call('PUT', `/doors/${FRONT}/unlock`, { actor_id: 'x', actor_name: 'X' });
    const [recorded] = sim.control.requests({ method: 'PUT' });
    expect(recorded).toMatchObject({
      path: `/api/v1/developer/doors/${FRONT}/unlock`,
      status: 200,
      body: { actor_id: 'x' },
    });
    expect(recorded?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});
