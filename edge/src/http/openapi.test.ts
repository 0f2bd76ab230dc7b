import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/sync-harness.js';
import { buildTestEdge } from '../testing/test-edge.js';

let tmp: ReturnType<typeof tempDir>;
let app: FastifyInstance;

beforeAll(async () => {
  tmp = tempDir();
  app = await buildTestEdge(tmp.dir, {});
});
afterAll(async () => {
  await app.close();
  tmp.cleanup();
});

interface Operation {
  requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
  parameters?: { name: string; in: string }[];
  responses: Record<
    string,
    { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }
  >;
}

describe("the LAN API's OpenAPI document", () => {
  it('lists the LAN routes with the schemas they validate with', async () => {
    const res = await app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/walk-ins',
      '/api/v1/quotes',
      '/api/v1/availability',
      '/api/v1/bookings/lookup',
      '/api/v1/bookings/{id}/checkin',
      '/api/v1/auth/login',
      '/api/v1/sync/status',
      '/api/v1/doors/{door_id}/decisions',
      '/api/v1/console/board',
      '/api/v1/walk-ins/payments',
      '/api/v1/walk-ins/dues/{booking_id}/settle',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const sale = doc.paths['/api/v1/walk-ins']!.post!;
    const body = sale.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties)).toEqual([
      'simulator_id',
      'start_time',
      'duration',
      'customer',
      'payment_id',
    ]);
    expect(sale.responses['201']!.content!['application/json']!.schema.properties).toHaveProperty('qr_code');
    const availability = doc.paths['/api/v1/availability']!.get!;
    expect(availability.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      'query:simulator_id',
      'query:date',
      'query:duration',
    ]);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/console') || p.startsWith('/kiosk'))).toEqual(
      [],
    );
  });

  it('serves the docs page', async () => {
    const res = await app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger');
  });
});

describe('API_DOCS=false', () => {
  it('serves neither the document nor the page, and the API still answers', async () => {
    const off = tempDir();
    const edge = await buildTestEdge(off.dir, { API_DOCS: 'false' });
    try {
      for (const url of ['/docs', '/docs/json']) {
        const res = await edge.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
      expect((await edge.inject({ url: '/api/v1/sync/status' })).statusCode).not.toBe(404);
    } finally {
      await edge.close();
      off.cleanup();
    }
  });
});
