import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ninjaOneClientOf,
  type SimulatorProcess,
  startSimulatorProcess,
} from '../testing/simulator-process.js';
import { NinjaOneClient, type NinjaOneClientOptions, NinjaOneError } from './ninjaone.client.js';

interface Recorded {
  method: string;
  path: string;
  status: number;
}
interface Run {
  deviceId: number;
  scriptId: number;
  parameters: string;
  grant: string;
}

let sim: SimulatorProcess;

const client = (options: Partial<NinjaOneClientOptions> = {}) => ninjaOneClientOf(sim, options);

async function failure(promise: Promise<unknown>): Promise<NinjaOneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NinjaOneError);
  return error as NinjaOneError;
}

const faults = (spec: unknown) => sim.control('POST', '/faults', spec);
const recorded = async (method: string, path: RegExp) =>
  (await sim.control<{ requests: Recorded[] }>('GET', '/requests')).requests.filter(
    (r) => r.method === method && path.test(r.path),
  );
const tokensIssued = async () => (await sim.control<{ issued: unknown[] }>('GET', '/tokens')).issued.length;
const runs = async () => (await sim.control<{ runs: Run[] }>('GET', '/runs')).runs;

beforeAll(async () => {
  sim = await startSimulatorProcess('ninjaone', ['--script-delay', '40']);
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  await faults({ reset: true });
});

describe('NinjaOneClient: tokens', () => {
  it('caches the access token across calls', async () => {
    const c = client();
    const before = await tokensIssued();
    await c.listDevices();
    await c.getDevice(101);
    expect((await tokensIssued()) - before).toBe(1);
  });

  it('refreshes transparently after the token expires on the server (one 401, one retry)', async () => {
    const c = client();
    await c.listDevices();
    const before = await tokensIssued();
    const unauthorizedBefore = (await recorded('GET', /\/v2\/device\/102$/)).filter(
      (r) => r.status === 401,
    ).length;
    await sim.control('POST', '/tokens/expire');
    expect((await c.getDevice(102)).systemName).toBe('BAY-02-PC');
    expect((await tokensIssued()) - before).toBe(1);
    const unauthorized = (await recorded('GET', /\/v2\/device\/102$/)).filter((r) => r.status === 401).length;
    expect(unauthorized - unauthorizedBefore).toBe(1);
  });

  it('renews shortly before expiry without waiting for a 401', async () => {
    let clock = Date.now();
    const c = client({ now: () => clock, refreshSkewMs: 60_000 });
    await c.listDevices();
    const before = await tokensIssued();
    clock += 3_600_000 - 59_000; // inside the last minute of a 3600 s token
    await c.listDevices();
    expect((await tokensIssued()) - before).toBe(1);
  });

  it('reports wrong credentials and a revoked refresh token as auth', async () => {
    expect((await failure(client({ clientSecret: 'wrong' }).listDevices())).kind).toBe('auth');
    const revoked = await failure(client({ refreshToken: 'rt_revoked' }).listDevices());
    expect(revoked.kind).toBe('auth');
    expect(revoked.message).toContain('invalid_grant');
  });
});

describe('NinjaOneClient: devices', () => {
  it('lists devices with a filter and reads one', async () => {
    const c = client();
    expect((await c.listDevices()).map((d) => d.id)).toEqual([101, 102, 103]);
    expect((await c.listDevices({ pageSize: 1, after: 101 })).map((d) => d.id)).toEqual([102]);
    expect(await c.getDevice(103)).toMatchObject({ id: 103, systemName: 'FRONT-KIOSK', offline: false });
  });

  it('reports device status: online, last contact in ms, and the offline alert', async () => {
    const c = client();
    const online = await c.deviceStatus(101);
    expect(online).toMatchObject({ deviceId: 101, online: true, alerts: [] });
    expect(Math.abs((online.lastContactAt ?? 0) - Date.now())).toBeLessThan(5_000);
    await sim.control('POST', '/devices/103/online', { online: false });
    try {
      const offline = await c.deviceStatus(103);
      expect(offline.online).toBe(false);
      expect(offline.alerts[0]?.sourceType).toBe('AGENT_OFFLINE');
    } finally {
      await sim.control('POST', '/devices/103/online', { online: true });
    }
  });

  it('types 404 as not_found and bad parameters as invalid', async () => {
    const missing = await failure(client().getDevice(999));
    expect(missing).toMatchObject({ kind: 'not_found', details: { status: 404, resultCode: 'NOT_FOUND' } });
    expect(missing.details.incidentId).toEqual(expect.any(String));
    expect((await failure(client().listActivities(101, { pageSize: 5 }))).kind).toBe('invalid');
  });
});

describe('NinjaOneClient: scripts', () => {
  it('refuses to run scripts with client_credentials, without calling NinjaOne', async () => {
    const m2m = client({ refreshToken: undefined });
    expect((await m2m.listDevices()).length).toBe(3);
    const before = (await runs()).length;
    const refused = await failure(m2m.runScript(101, 'SIMULATOR_PREP', { booking_id: 'b1' }));
    expect(refused.kind).toBe('forbidden');
    expect(refused.message).toContain('control');
    expect((await runs()).length).toBe(before);
  });

  it('runs a script by name; the run completes into activities after its delay', async () => {
    const c = client();
    // Long enough to observe the run in progress, short enough to keep the test quick.
    await sim.control('POST', '/script-delay', { delay_ms: 300 });
    const run = await c.runScript(101, 'SIMULATOR_PREP', {
      booking_id: 'b-42',
      customer: 'Ada',
      simulator_type: 'trackman',
    });
    expect(await c.scriptRunResult(run)).toBeNull();
    await sim.control('POST', '/script-delay', { delay_ms: 40 });
    expect(run).toMatchObject({ deviceId: 101, scriptId: 501, scriptName: 'SIMULATOR_PREP' });
    const recordedRun = (await runs()).at(-1);
    expect(recordedRun).toMatchObject({ deviceId: 101, scriptId: 501, grant: 'refresh_token' });
    expect(JSON.parse(recordedRun!.parameters)).toEqual({
      booking_id: 'b-42',
      customer: 'Ada',
      simulator_type: 'trackman',
    });
    await vi.waitFor(async () => expect(await c.scriptRunResult(run)).toBe('SUCCESS'), {
      timeout: 2_000,
      interval: 20,
    });
    const [latest] = await c.listActivities(101, { activityType: 'ACTION' });
    expect(latest).toMatchObject({
      statusCode: 'COMPLETED',
      activityResult: 'SUCCESS',
      sourceName: 'SIMULATOR_PREP',
    });
  });

  it('reports a failed run as FAILURE', async () => {
    const c = client();
    await sim.control('POST', '/script-outcome', {
      script: 'SIMULATOR_CLEANUP',
      result: 'FAILURE',
      message: 'GSPro did not close',
    });
    const run = await c.runScript(102, 'SIMULATOR_CLEANUP', 'booking=b-43');
    await vi.waitFor(async () => expect(await c.scriptRunResult(run)).toBe('FAILURE'), {
      timeout: 2_000,
      interval: 20,
    });
    await sim.control('POST', '/script-outcome', { script: 'SIMULATOR_CLEANUP', result: 'SUCCESS' });
  });

  it('looks a script name up once and caches its id; an unknown name is not_found', async () => {
    const c = client();
    const before = (await recorded('GET', /scripting\/options$/)).length;
    await c.findScriptByName(101, 'SIMULATOR_PREP');
    await c.findScriptByName(102, 'SIMULATOR_CLEANUP');
    await c.findScriptByName(101, 'SIMULATOR_PREP');
    expect((await recorded('GET', /scripting\/options$/)).length - before).toBe(1);
    expect((await failure(c.findScriptByName(101, 'FORMAT_C'))).kind).toBe('not_found');
  });
});

describe('NinjaOneClient: faults', () => {
  it('turns 429 into rate_limited carrying Retry-After', async () => {
    const c = client();
    await c.listDevices();
    await faults({ fail: { status: 429, count: 1, retry_after_seconds: 20 } });
    const limited = await failure(c.listDevices());
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 20_000 });
    expect(limited.retryable).toBe(true);
  });

  it('retries reads through 5xx and a short Retry-After, then succeeds', async () => {
    const c = client({ retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 2_000 } });
    await c.listDevices();
    await faults({ fail: { status: 500, count: 1 } });
    await faults({ fail: { status: 429, count: 1, retry_after_seconds: 1 } });
    const started = Date.now();
    expect((await c.listDevices()).length).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a script run on 5xx (it may have started)', async () => {
    const c = client({ retry: { retries: 3, baseDelayMs: 10 } });
    await c.findScriptByName(101, 'SIMULATOR_PREP');
    const before = (await recorded('POST', /script\/run$/)).length;
    await faults({ fail: { status: 503, count: 3 } });
    expect(await failure(c.runScript(101, 'SIMULATOR_PREP', 'x'))).toMatchObject({
      kind: 'unavailable',
      details: { status: 503 },
    });
    expect((await recorded('POST', /script\/run$/)).length - before).toBe(1);
  });

  it('reports slow and down as unavailable', async () => {
    const c = client({ timeoutMs: 150 });
    await c.listDevices();
    await faults({ delay_ms: 400 });
    expect((await failure(c.listDevices())).kind).toBe('unavailable');
    await faults({ reset: true, down: 'close' });
    const down = await failure(c.getDevice(101));
    expect(down.kind).toBe('unavailable');
    expect(down.details.status).toBeUndefined();
  });
});

describe('NinjaOneClient with the /api prefix', () => {
  let prefixed: SimulatorProcess;
  beforeAll(async () => {
    prefixed = await startSimulatorProcess('ninjaone', ['--api-prefix', '/api']);
  });
  afterAll(async () => {
    await prefixed.stop();
  });

  it('calls /api/v2/... while the token endpoint stays at /ws/oauth/token', async () => {
    const c = new NinjaOneClient({
      baseUrl: prefixed.info.url!,
      apiPrefix: '/api',
      clientId: prefixed.info.client_id!,
      clientSecret: prefixed.info.client_secret!,
    });
    expect((await c.listDevices()).length).toBe(3);
  });
});
