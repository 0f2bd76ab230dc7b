import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startUnifiSimulator, type UnifiSimulator } from './unifi.simulator.js';

const TOKEN = 'full-scope-token';
const FRONT = 'd0000000-0000-4000-8000-000000000001';
const BAY1 = 'd0000000-0000-4000-8000-000000000002';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
type Json = any;

let sim: UnifiSimulator;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Json };
}

beforeEach(async () => {
  sim = await startUnifiSimulator({ token: TOKEN });
});
afterEach(async () => {
  await sim.close();
});

describe('UniFi Access simulator: webhooks', () => {
  let receiver: Server;
  let received: Array<{ headers: IncomingMessage['headers']; body: string }>;
  let receiverUrl: string;

  beforeEach(async () => {
    received = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('delivers signed events: v1 = HMAC-SHA256(secret, "t.body")', async () => {
    const reg = await call('POST', '/webhooks/endpoints', {
      name: 'edge',
      endpoint: receiverUrl,
      events: ['access.door.unlock', 'access.device.dps_status'],
      headers: { 'x-venue': 'v1' },
    });
    const secret = reg.json.data.secret as string;
    expect(secret).toMatch(/^[0-9a-f]{16}$/);
    await call('PUT', `/doors/${FRONT}/unlock`, {
      actor_id: 'b-9',
      actor_name: 'Booking 9',
      extra: { booking: 9 },
    });
    sim.control.doorPosition(BAY1, 'held_open');
    await sim.control.flushWebhooks();

    expect(received).toHaveLength(2);
    const first = received[0]!;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(first.headers.signature));
    expect(match).not.toBeNull();
    const expected = createHmac('sha256', secret).update(`${match![1]}.${first.body}`).digest('hex');
    expect(match![2]).toBe(expected);
    expect(first.headers['x-venue']).toBe('v1');
    const payload = JSON.parse(first.body);
    expect(payload).toMatchObject({
      event: 'access.door.unlock',
      data: { actor: { id: 'b-9' }, extra: { booking: 9 } },
    });
    expect(JSON.parse(received[1]!.body)).toMatchObject({
      event: 'access.device.dps_status',
      data: { object: { reason: 'held_open' } },
    });
    expect(sim.control.webhookDeliveries().map((d) => d.status)).toEqual([200, 200]);
  });

  it('validates registrations and refuses a duplicate endpoint', async () => {
    expect(
      (
        await call('POST', '/webhooks/endpoints', {
          name: 'x',
          endpoint: 'ftp://x',
          events: ['access.door.unlock'],
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', '/webhooks/endpoints', { name: 'x', endpoint: receiverUrl, events: ['nope'] }))
        .status,
    ).toBe(400);
    await call('POST', '/webhooks/endpoints', {
      name: 'x',
      endpoint: receiverUrl,
      events: ['access.door.unlock'],
    });
    const dup = await call('POST', '/webhooks/endpoints', {
      name: 'y',
      endpoint: receiverUrl,
      events: ['access.door.unlock'],
    });
    expect(dup.json.code).toBe('CODE_DEVICE_WEBHOOK_ENDPOINT_DUPLICATED');
    const list = await call('GET', '/webhooks/endpoints');
    expect(list.json.data).toHaveLength(1);
    expect((await call('DELETE', `/webhooks/endpoints/${list.json.data[0].id}`)).json.code).toBe('SUCCESS');
  });
});
