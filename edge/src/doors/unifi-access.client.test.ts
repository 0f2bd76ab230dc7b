import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SimulatorProcess, startSimulatorProcess } from '../testing/simulator-process.js';
import { UnifiAccessClient, UnifiError } from './unifi-access.client.js';

const TOKEN = 'edge-token';
const VIEWER = 'viewer-token';
const DOOMED = 'doomed-token';
const FRONT = 'd0000000-0000-4000-8000-000000000001';
const BAY1 = 'd0000000-0000-4000-8000-000000000002';
const nowS = () => Math.floor(Date.now() / 1000);

interface Unlock {
  door_id: string;
  actor_id: string | null;
  actor_name: string;
  result: string;
}
interface Recorded {
  method: string;
  path: string;
  status: number;
}

let sim: SimulatorProcess;
const client = (options: Partial<ConstructorParameters<typeof UnifiAccessClient>[0]> = {}) =>
  new UnifiAccessClient({ baseUrl: sim.info.url!, token: TOKEN, retry: { retries: 0 }, ...options });

async function failure(promise: Promise<unknown>): Promise<UnifiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnifiError);
  return error as UnifiError;
}

const faults = (spec: unknown) => sim.control('POST', '/faults', spec);
const requests = async (method: string, path: RegExp) =>
  (await sim.control<{ requests: Recorded[] }>('GET', '/requests')).requests.filter(
    (r) => r.method === method && path.test(r.path),
  );

beforeAll(async () => {
  sim = await startSimulatorProcess('unifi', [
    '--token',
    TOKEN,
    '--extra-token',
    `${VIEWER}:view:space`,
    '--extra-token',
    `${DOOMED}:view:space`,
  ]);
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  await faults({ reset: true });
});

describe('UnifiAccessClient against the simulator', () => {
  it('lists doors and reads one with relay and position status', async () => {
    const doors = await client().listDoors();
    expect(doors.map((d) => d.name)).toContain('Front Door');
    const door = await client().getDoor(FRONT);
    expect(door).toMatchObject({ id: FRONT, door_lock_relay_status: 'lock', door_position_status: 'close' });
  });

  it('unlocks a door once, naming the actor', async () => {
    await client().unlockDoor(FRONT, { id: 'booking-7', name: 'Booking 7 (Ada)' }, { booking_id: 7 });
    const { unlocks } = await sim.control<{ unlocks: Unlock[] }>('GET', '/unlocks');
    expect(unlocks.at(-1)).toMatchObject({
      door_id: FRONT,
      actor_id: 'booking-7',
      actor_name: 'Booking 7 (Ada)',
      result: 'unlocked',
    });
  });

  it('types errors: not_found, auth (bad and expired token), forbidden (missing scope)', async () => {
    const missing = await failure(client().getDoor('no-such-door'));
    expect(missing).toMatchObject({
      kind: 'not_found',
      details: { status: 404, code: 'CODE_RESOURCE_NOT_FOUND' },
    });
    expect(missing.retryable).toBe(false);

    expect((await failure(client({ token: 'wrong' }).listDoors())).kind).toBe('auth');
    await sim.control('POST', '/tokens/expire', { token: DOOMED });
    const expired = await failure(client({ token: DOOMED }).listDoors());
    expect(expired).toMatchObject({ kind: 'auth', details: { code: 'CODE_ACCESS_TOKEN_INVALID' } });

    const forbidden = await failure(client({ token: VIEWER }).unlockDoor(FRONT));
    expect(forbidden).toMatchObject({ kind: 'forbidden', details: { status: 403 } });
  });

  it('reads the envelope code: lockdown refuses an unlock although HTTP says 200', async () => {
    const c = client();
    await c.setEmergency({ lockdown: true, evacuation: false });
    try {
      expect(await c.getEmergency()).toEqual({ lockdown: true, evacuation: false });
      const refused = await failure(c.unlockDoor(FRONT));
      expect(refused).toMatchObject({
        kind: 'forbidden',
        details: { status: 200, code: 'CODE_OPERATION_FORBIDDEN' },
      });
    } finally {
      await c.setEmergency({ lockdown: false, evacuation: false });
    }
  });

  it('provisions a visitor with a PIN that opens its door only inside the window, then cancels it', async () => {
    const c = client();
    const start = nowS() + 1800;
    const visitor = await c.createVisitor({
      first_name: 'Ada',
      last_name: 'Lovelace',
      start_time: start,
      end_time: start + 3600,
      resources: [{ id: BAY1, type: 'door' }],
    });
    expect(visitor.status).toBe('UPCOMING');
    const pin = await c.generatePin();
    expect(pin).toMatch(/^\d{6}$/);
    await c.assignPin(visitor.id, pin);
    const typed = (at: number) =>
      sim.control<{ result: string; reason: string }>('POST', `/doors/${BAY1}/pin`, { pin, at });

    expect(await typed(start - 120)).toMatchObject({ result: 'BLOCKED', reason: 'before_window' });
    expect(await typed(start + 60)).toMatchObject({ result: 'ACCESS' });

    const moved = await c.updateVisitor(visitor.id, { end_time: start + 7200 });
    expect(moved.end_time).toBe(start + 7200);
    expect(await typed(start + 5000)).toMatchObject({ result: 'ACCESS' });

    const logs = await c.fetchSystemLogs({ topic: 'door_openings', actorId: visitor.id, pageSize: 10 });
    expect(logs.total).toBe(3);
    expect(logs.hits.map((h) => h._source.event.result)).toEqual(['ACCESS', 'ACCESS', 'BLOCKED']);

    await c.deleteVisitor(visitor.id);
    expect((await c.getVisitor(visitor.id)).status).toBe('CANCELLED');
    expect(await typed(start + 60)).toMatchObject({ result: 'BLOCKED', reason: 'visitor_cancelled' });
    await c.deleteVisitor(visitor.id, { force: true });
    expect((await failure(c.getVisitor(visitor.id))).kind).toBe('not_found');
  });

  it('reports invalid parameters as invalid, with the field in the message', async () => {
    const bad = await failure(
      client().createVisitor({ first_name: 'A', last_name: 'B', start_time: 100, end_time: 50 }),
    );
    expect(bad).toMatchObject({ kind: 'invalid', details: { status: 400, code: 'CODE_PARAMS_INVALID' } });
    expect(bad.message).toContain('end_time');
  });
});

describe('UnifiAccessClient under faults', () => {
  it('turns 429 into rate_limited with Retry-After, and hands long waits back to the caller', async () => {
    await faults({ fail: { status: 429, count: 1, retry_after_seconds: 30 } });
    const before = (await requests('GET', /\/doors$/)).length;
    const limited = await failure(client({ retry: { retries: 3, maxDelayMs: 1_000 } }).listDoors());
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
    expect(limited.retryable).toBe(true);
    // 30 s is beyond what the client waits inline: one attempt, and the wait goes to the caller.
    expect((await requests('GET', /\/doors$/)).length - before).toBe(1);
  });

  it('waits for a short Retry-After and then succeeds', async () => {
    await faults({ fail: { status: 429, count: 1, retry_after_seconds: 1 } });
    const started = Date.now();
    const doors = await client({ retry: { retries: 1, maxDelayMs: 2_000 } }).listDoors();
    expect(doors.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a read through 5xx with backoff, and reports unavailable when retries run out', async () => {
    await faults({ fail: { status: 503, count: 2 } });
    const before = (await requests('GET', /\/doors$/)).length;
    const doors = await client({ retry: { retries: 2, baseDelayMs: 10 } }).listDoors();
    expect(doors.length).toBeGreaterThan(0);
    expect((await requests('GET', /\/doors$/)).length - before).toBe(3);

    await faults({ fail: { status: 500, count: 1 } });
    expect(await failure(client().listDoors())).toMatchObject({
      kind: 'unavailable',
      details: { status: 500 },
    });
  });

  it('never replays an unlock: one attempt on 5xx, on timeout, and when down', async () => {
    const c = client({ retry: { retries: 3, baseDelayMs: 10 }, timeoutMs: 300 });
    const bay1Unlocks = async () =>
      (await sim.control<{ unlocks: Unlock[] }>('GET', '/unlocks')).unlocks.filter(
        (u) => u.door_id === BAY1 && u.result === 'unlocked',
      );
    const puts = async () => (await requests('PUT', /\/unlock$/)).length;
    const before = await puts();
    const openedBefore = (await bay1Unlocks()).length;

    await faults({ fail: { status: 502, count: 5 } });
    expect((await failure(c.unlockDoor(BAY1))).kind).toBe('unavailable');
    expect((await puts()) - before).toBe(1);

    await faults({ reset: true, delay_ms: 600 });
    expect((await failure(c.unlockDoor(BAY1))).kind).toBe('unavailable');
    // The client gave up, yet the controller still opened the door: why a replay would be wrong.
    await vi.waitFor(async () => expect((await bay1Unlocks()).length - openedBefore).toBe(1), {
      timeout: 2_000,
    });

    await faults({ reset: true, down: 'close' });
    const down = await failure(c.unlockDoor(BAY1));
    expect(down.kind).toBe('unavailable');
    expect(down.details.status).toBeUndefined();
    await faults({ reset: true });
    // Three calls, three requests on the wire (the dropped one included): nothing was sent twice.
    expect((await puts()) - before).toBe(3);
    expect((await bay1Unlocks()).length - openedBefore).toBe(1);
  });

  it('times out a slow read as unavailable', async () => {
    await faults({ delay_ms: 500 });
    const slow = await failure(client({ timeoutMs: 150 }).listDoors());
    expect(slow.kind).toBe('unavailable');
    expect(slow.message).toContain('ECONNABORTED');
  });
});

describe('UnifiAccessClient over TLS (self-signed console certificate)', () => {
  let dir: string;
  let tlsSim: SimulatorProcess;
  let cert: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unifi-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=unifi-console.local',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    tlsSim = await startSimulatorProcess('unifi', [
      '--token',
      TOKEN,
      '--tls-key',
      join(dir, 'key.pem'),
      '--tls-cert',
      join(dir, 'cert.pem'),
    ]);
  });
  afterAll(async () => {
    await tlsSim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const tlsClient = (tls: ConstructorParameters<typeof UnifiAccessClient>[0]['tls']) =>
    new UnifiAccessClient({ baseUrl: tlsSim.info.url!, token: TOKEN, tls, retry: { retries: 0 } });

  it('refuses an unknown self-signed certificate by default (auth: the server is not proven)', async () => {
    expect(tlsSim.info.url).toMatch(/^https:/);
    const refused = await failure(tlsClient(undefined).listDoors());
    expect(refused.kind).toBe('auth');
    expect(refused.message).toContain('SELF_SIGNED');
  });

  it('accepts the pinned certificate without a host-name match', async () => {
    expect((await tlsClient({ ca: cert, verifyHostname: false }).listDoors()).length).toBeGreaterThan(0);
  });

  it('accepts any certificate when verification is turned off by configuration', async () => {
    expect((await tlsClient({ rejectUnauthorized: false }).listDoors()).length).toBeGreaterThan(0);
  });
});
