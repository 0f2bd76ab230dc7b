import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealCloud } from '../testing/real-cloud.js';
import { tempDir } from '../testing/sync-harness.js';
import { buildTestEdge, registerKiosk } from '../testing/test-edge.js';

/**
 * The same fault sent to the real cloud's `/api/v1` and to the edge's LAN API gets the same answer:
 * status, code, field and (where the framework words it) message.
 */
let cloud: RealCloud;
let tmp: ReturnType<typeof tempDir>;
let edge: FastifyInstance;
let kiosk: string;

beforeAll(async () => {
  cloud = await RealCloud.start('pglite');
  tmp = tempDir();
  edge = await buildTestEdge(tmp.dir, {});
  kiosk = await registerKiosk(edge);
});
afterAll(async () => {
  await edge?.close();
  await cloud?.close();
  tmp?.cleanup();
});

/** A booking on the cloud, a walk-in on the edge: the same three required fields. */
async function both(options: InjectOptions) {
  const onCloud = await cloud.t.app.inject({ ...options, url: '/api/v1/bookings', method: 'POST' });
  const onEdge = await edge.inject({
    ...options,
    url: '/api/v1/walk-ins',
    method: 'POST',
    headers: { ...options.headers, authorization: kiosk },
  });
  return {
    cloud: { status: onCloud.statusCode, body: onCloud.json() },
    edge: { status: onEdge.statusCode, body: onEdge.json() },
  };
}

describe('the edge answers faults as the cloud does', () => {
  it('an unknown route', async () => {
    const onCloud = await cloud.t.app.inject({ url: '/api/v1/no-such-route' });
    const onEdge = await edge.inject({ url: '/api/v1/no-such-route' });
    expect(onEdge.statusCode).toBe(onCloud.statusCode);
    expect(onEdge.json()).toEqual(onCloud.json());
  });

  it('a missing field', async () => {
    const answers = await both({
      payload: { simulator_id: '00000000-0000-4000-8000-000000000001', start_time: '2030-01-01T10:00:00Z' },
    });
    expect(answers.edge).toEqual(answers.cloud);
    expect(answers.edge.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'duration' });
  });

  it('an impossible date', async () => {
    const answers = await both({
      payload: {
        simulator_id: '00000000-0000-4000-8000-000000000001',
        start_time: '2030-02-30T10:00:00Z',
        duration: 60,
      },
    });
    expect(answers.edge.status).toBe(answers.cloud.status);
    expect(answers.edge.body.error).toEqual(answers.cloud.body.error);
  });

  it.each([
    ['JSON that does not parse', '{"simulator_id": ', 'application/json'],
    ['a content type it does not read', '<booking/>', 'application/xml'],
    ['a body over the limit', JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }), 'application/json'],
  ])('%s', async (_fault, payload, contentType) => {
    const answers = await both({ payload, headers: { 'content-type': contentType } });
    expect(answers.edge).toEqual(answers.cloud);
  });
});
