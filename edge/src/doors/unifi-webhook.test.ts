import { createHmac } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let client: UnifiAccessClient;
let edge: ControlHarness;
let endpoint: string;
const venue = newVenue();
// The simulator signs with its own clock: the edge's must agree within the allowed skew.
const clock = testClock(Date.now());
const dir = tempDir('edge-webhooks-');

const openAlerts = () =>
  edge.control.alerts.list(true).filter((a) => a.kind === 'door_forced_open' || a.kind === 'door_held_open');
const deliveries = async () =>
  (
    await unifi.control<{ deliveries: { event: string; status: number | null }[] }>(
      'GET',
      '/webhook-deliveries',
    )
  ).deliveries;
const sign = (secret: string, t: number, body: string) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

beforeAll(async () => {
  unifi = await startSimulatorProcess('unifi', ['--token', 'edge-token']);
  client = new UnifiAccessClient({
    baseUrl: unifi.info.url!,
    token: 'edge-token',
    timeoutMs: 2_000,
    retry: { retries: 0 },
  });
  edge = await startControlHarness({
    file: path.join(dir.dir, 'edge.sqlite'),
    venue,
    clock,
    unifi: client,
    control: { unifiWebhookUrl: 'http://127.0.0.1:9/not-yet-listening' },
  });
  const base = await edge.app.listen({ port: 0, host: '127.0.0.1' });
  endpoint = `${base}/api/v1/unifi/webhooks`;
}, 60_000);
afterAll(async () => {
  await edge?.close();
  await unifi?.stop();
  dir.cleanup();
});

describe('UniFi door events pushed by webhook', () => {
  it('refuses deliveries before the edge holds a subscription secret', async () => {
    const res = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/unifi/webhooks',
      headers: { 'content-type': 'application/json', signature: 't=1,v1=00' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(503);
  });

  it('subscribes once, however often it registers', async () => {
    await edge.control.webhooks!.register(endpoint);
    await edge.control.webhooks!.register(endpoint);
    const mine = (await client.listWebhookEndpoints()).filter((e) => e.endpoint === endpoint);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.events).toContain('access.device.dps_status');
  });

  it('raises a forced-open alert as soon as UniFi pushes it, and the fallback poll does not raise it again', async () => {
    expect(openAlerts()).toHaveLength(0);
    await unifi.control('POST', `/doors/${DOORS.bay1}/position`, { event: 'forced_open' });
    const delivered = await deliveries();
    expect(delivered.filter((d) => d.event === 'access.device.dps_status').at(-1)?.status).toBe(200);
    // No poll has run: the push alone raised it.
    expect(openAlerts().map((a) => [a.kind, a.subject, a.severity])).toEqual([
      ['door_forced_open', DOORS.bay1, 'critical'],
    ]);
    await edge.control.doorEvents!.poll();
    expect(openAlerts()).toHaveLength(1);
    await unifi.control('POST', `/doors/${DOORS.bay1}/position`, { event: 'close' });
  });

  it('refuses unsigned, forged and stale deliveries with 401', async () => {
    const body = JSON.stringify({
      event: 'access.device.dps_status',
      data: {
        location: { id: DOORS.front, name: 'Front' },
        object: { status: 'open', reason: 'forced_open' },
      },
    });
    const post = (signature?: string) =>
      edge.app.inject({
        method: 'POST',
        url: '/api/v1/unifi/webhooks',
        headers: { 'content-type': 'application/json', ...(signature ? { signature } : {}) },
        payload: body,
      });
    const now = Math.floor(clock.now() / 1000);
    const secret = (await client.listWebhookEndpoints()).find((e) => e.endpoint === endpoint)!.secret;
    expect((await post()).statusCode).toBe(401);
    expect((await post('garbage')).statusCode).toBe(401);
    expect((await post(sign('not-the-secret', now, body))).statusCode).toBe(401);
    expect((await post(sign(secret, now - 3_600, body))).statusCode).toBe(401);
    expect(openAlerts().filter((a) => a.subject === DOORS.front)).toHaveLength(0);
    // The same body signed with the subscription's secret is believed.
    const good = await post(sign(secret, now, body));
    expect(good.json()).toEqual({ ok: true, alerted: true });
    expect(openAlerts().filter((a) => a.subject === DOORS.front)).toHaveLength(1);
  });
});
