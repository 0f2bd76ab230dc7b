import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NinjaSimulator, startNinjaSimulator } from './ninjaone.simulator.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

let sim: NinjaSimulator;

async function token(form: Record<string, string>) {
  const response = await fetch(`${sim.url}/ws/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, ...form }),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

async function m2mToken(target: NinjaSimulator): Promise<string> {
  const response = await fetch(`${target.url}/ws/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: target.clientId,
      client_secret: target.clientSecret,
    }),
  });
  return ((await response.json()) as Json).access_token;
}

async function controlToken(): Promise<string> {
  return (await token({ grant_type: 'refresh_token', refresh_token: sim.refreshToken })).json.access_token;
}

async function api(method: string, path: string, accessToken: string, body?: unknown) {
  const response = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text ? JSON.parse(text) : null) as Json,
  };
}

beforeEach(async () => {
  sim = await startNinjaSimulator({ scriptDelayMs: 30, tokenTtlSeconds: 3600 });
});
afterEach(async () => {
  await sim.close();
});

describe('NinjaOne simulator: OAuth', () => {
  it('issues client_credentials tokens for monitoring/management and refuses control', async () => {
    const ok = await token({ grant_type: 'client_credentials', scope: 'monitoring management' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'monitoring management' });
    expect(ok.json.refresh_token).toBeUndefined();
    const refused = await token({ grant_type: 'client_credentials', scope: 'monitoring control' });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('invalid_scope');
    expect(refused.json.error_description).toContain('client_credentials');
  });

  it('issues control tokens from the refresh_token grant and refuses an unknown one', async () => {
    const ok = await token({ grant_type: 'refresh_token', refresh_token: sim.refreshToken });
    expect(ok.json.scope).toContain('control');
    expect(ok.json.refresh_token).toBe(sim.refreshToken);
    expect((await token({ grant_type: 'refresh_token', refresh_token: 'stolen' })).json.error).toBe(
      'invalid_grant',
    );
  });

  it('refuses a wrong client secret, a JSON body and an unknown grant', async () => {
    const wrong = await token({ grant_type: 'client_credentials', client_secret: 'bad' });
    expect(wrong).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    const json = await fetch(`${sim.url}/ws/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect((await token({ grant_type: 'password' })).json.error).toBe('unsupported_grant_type');
  });

  it('answers 401 with the NinjaOne error body once tokens expire, on command or by TTL', async () => {
    const access = await controlToken();
    expect((await api('GET', '/v2/devices', access)).status).toBe(200);
    sim.control.expireTokens();
    const expired = await api('GET', '/v2/devices', access);
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({
      resultCode: 'UNAUTHORIZED',
      errorMessage: expect.any(String),
      incidentId: expect.any(String),
    });

    let clock = Date.now();
    const short = await startNinjaSimulator({ tokenTtlSeconds: 60, now: () => clock });
    try {
      const t = await m2mToken(short);
      const get = () => fetch(`${short.url}/v2/devices`, { headers: { authorization: `Bearer ${t}` } });
      expect((await get()).status).toBe(200);
      clock += 61_000;
      expect((await get()).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('NinjaOne simulator: devices', () => {
  it('lists devices with df filters and after/pageSize paging', async () => {
    const access = await controlToken();
    const all = await api('GET', '/v2/devices', access);
    expect(all.json.map((d: { id: number }) => d.id)).toEqual([101, 102, 103]);
    expect(
      (await api('GET', '/v2/devices?pageSize=1&after=101', access)).json.map((d: { id: number }) => d.id),
    ).toEqual([102]);
    sim.control.setDeviceOnline(102, false);
    expect(
      (await api('GET', '/v2/devices?df=offline', access)).json.map((d: { id: number }) => d.id),
    ).toEqual([102]);
    expect(
      (await api('GET', '/v2/devices?df=class%20%3D%20WINDOWS_WORKSTATION%20AND%20online', access)).json,
    ).toHaveLength(2);
    const bad = await api('GET', '/v2/devices?df=color%3Dblue', access);
    expect(bad.status).toBe(400);
    expect(bad.json.errorMessage).toContain('df');
  });

  it('answers one device with os and system, 404 for an unknown one and 400 for a bad id', async () => {
    const access = await controlToken();
    const one = await api('GET', '/v2/device/101', access);
    expect(one.json).toMatchObject({
      id: 101,
      systemName: 'BAY-01-PC',
      offline: false,
      os: { name: expect.any(String) },
    });
    expect(Number.isInteger(one.json.lastContact)).toBe(true);
    expect((await api('GET', '/v2/device/999', access)).json.resultCode).toBe('NOT_FOUND');
    expect((await api('GET', '/v2/device/abc', access)).status).toBe(400);
  });

  it('raises an AGENT_OFFLINE alert while a device is offline', async () => {
    const access = await controlToken();
    expect((await api('GET', '/v2/device/101/alerts', access)).json).toEqual([]);
    sim.control.setDeviceOnline(101, false);
    const alerts = await api('GET', '/v2/device/101/alerts', access);
    expect(alerts.json[0]).toMatchObject({ deviceId: 101, sourceType: 'AGENT_OFFLINE' });
  });

  it('serves the same API under a configurable /api prefix', async () => {
    const prefixed = await startNinjaSimulator({ apiPrefix: '/api' });
    try {
      const t = await m2mToken(prefixed);
      expect(
        (await fetch(`${prefixed.url}/api/v2/devices`, { headers: { authorization: `Bearer ${t}` } })).status,
      ).toBe(200);
      expect(
        (await fetch(`${prefixed.url}/v2/devices`, { headers: { authorization: `Bearer ${t}` } })).status,
      ).toBe(404);
    } finally {
      await prefixed.close();
    }
  });
});

describe('NinjaOne simulator: scripts', () => {
  it('lists scripting options with our scripts', async () => {
    const access = await controlToken();
    const options = await api('GET', '/v2/device/101/scripting/options', access);
    expect(options.json.scripts.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['SIMULATOR_PREP', 'SIMULATOR_CLEANUP']),
    );
  });

  it('refuses a script run with a client_credentials token (403, no run recorded)', async () => {
    const m2m = (await token({ grant_type: 'client_credentials', scope: 'monitoring management' })).json
      .access_token;
    const run = await api('POST', '/v2/device/101/script/run', m2m, {
      type: 'SCRIPT',
      id: 501,
      parameters: 'x',
    });
    expect(run.status).toBe(403);
    expect(run.json.resultCode).toBe('FORBIDDEN');
    expect(sim.control.runs()).toHaveLength(0);
  });

  it('accepts a run (204), then completes it after the delay with SUCCESS into activities', async () => {
    const access = await controlToken();
    const run = await api('POST', '/v2/device/101/script/run', access, {
      type: 'SCRIPT',
      id: 501,
      parameters: 'booking=42',
      runAs: 'system',
    });
    expect(run.status).toBe(204);
    const before = await api('GET', '/v2/device/101/activities?activityType=ACTION', access);
    expect(before.json.activities.map((a: { statusCode: string }) => a.statusCode)).toEqual([
      'START_REQUESTED',
    ]);
    await sim.control.settle();
    const after = await api('GET', '/v2/device/101/activities?activityType=ACTION&pageSize=10', access);
    expect(after.json.activities[0]).toMatchObject({
      statusCode: 'COMPLETED',
      activityResult: 'SUCCESS',
      sourceName: 'SIMULATOR_PREP',
    });
    expect(sim.control.runs()[0]).toMatchObject({
      scriptId: 501,
      parameters: 'booking=42',
      grant: 'refresh_token',
      result: 'SUCCESS',
    });
  });

  it('completes with FAILURE when told to, or when the device is offline', async () => {
    const access = await controlToken();
    sim.control.setScriptOutcome('SIMULATOR_CLEANUP', 'FAILURE', 'Simulator software not responding');
    await api('POST', '/v2/device/101/script/run', access, { type: 'SCRIPT', id: 502 });
    sim.control.setDeviceOnline(102, false);
    await api('POST', '/v2/device/102/script/run', access, { type: 'SCRIPT', id: 501 });
    await sim.control.settle();
    const a101 = await api('GET', '/v2/device/101/activities?status=COMPLETED', access);
    expect(a101.json.activities[0]).toMatchObject({
      activityResult: 'FAILURE',
      message: 'Simulator software not responding',
    });
    const a102 = await api('GET', '/v2/device/102/activities?status=COMPLETED', access);
    expect(a102.json.activities[0]).toMatchObject({
      activityResult: 'FAILURE',
      message: 'BAY-02-PC is offline',
    });
  });

  it('validates run requests and activity paging', async () => {
    const access = await controlToken();
    expect((await api('POST', '/v2/device/101/script/run', access, { type: 'SHELL' })).status).toBe(400);
    expect(
      (await api('POST', '/v2/device/101/script/run', access, { type: 'SCRIPT' })).json.errorMessage,
    ).toContain('id');
    expect((await api('POST', '/v2/device/101/script/run', access, { type: 'SCRIPT', id: 9 })).status).toBe(
      400,
    );
    expect((await api('POST', '/v2/device/999/script/run', access, { type: 'SCRIPT', id: 501 })).status).toBe(
      404,
    );
    expect((await api('GET', '/v2/device/101/activities?pageSize=5', access)).status).toBe(400);
  });

  it('records reboots and validates the mode', async () => {
    const access = await controlToken();
    expect((await api('POST', '/v2/device/101/reboot/NORMAL', access, { reason: 'stuck' })).status).toBe(204);
    expect((await api('POST', '/v2/device/101/reboot/GENTLE', access, {})).status).toBe(400);
    expect(sim.control.reboots()).toMatchObject([{ deviceId: 101, mode: 'NORMAL', reason: 'stuck' }]);
  });
});

describe('NinjaOne simulator: faults', () => {
  it('answers 429 with Retry-After and the NinjaOne error body, then 5xx, then recovers', async () => {
    const access = await controlToken();
    sim.control.faults.rateLimit(2);
    sim.control.faults.fail(500);
    const limited = await api('GET', '/v2/devices', access);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.json.resultCode).toBe('TOO_MANY_REQUESTS');
    expect((await api('GET', '/v2/devices', access)).status).toBe(500);
    expect((await api('GET', '/v2/devices', access)).status).toBe(200);
  });

  it('drops connections while down and keeps its control API up', async () => {
    const access = await controlToken();
    const response = await fetch(`${sim.url}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });
    expect(((await response.json()) as Json).down).toBe('close');
    await expect(api('GET', '/v2/devices', access)).rejects.toThrow();
    sim.control.faults.reset();
    expect((await api('GET', '/v2/devices', access)).status).toBe(200);
  });
});
