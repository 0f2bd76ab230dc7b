import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testDatabases } from './testing/test-app.js';

describe.each(testDatabases())('app skeleton on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { rateLimit: { enabled: true, loginPerMinute: 3, bookingsPerMinute: 60 } });
  });
  afterAll(async () => t?.close());

  it('reports health with the database kind', async () => {
    const res = await t.request({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: { kind, ok: true, migrated: true },
      instance: { id: t.config.cluster.instanceId, leading: true },
      dependencies: { hubspot: 'closed', stripe: 'closed', smtp: 'closed', twilio: 'closed' },
    });
  });

  it('is not ready without every migration of this build, and not while draining; liveness still answers', async () => {
    await t.app.db.execute(
      sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`,
    );
    const missing = await t.request({ method: 'GET', url: '/health' });
    expect(missing.statusCode).toBe(503);
    expect(missing.json()).toMatchObject({ status: 'unavailable', database: { ok: true, migrated: false } });
    expect((await t.request({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    t.app.draining.active = true;
    try {
      const draining = await t.request({ method: 'GET', url: '/health' });
      expect(draining.statusCode).toBe(503);
      expect(draining.json().status).toBe('draining');
    } finally {
      t.app.draining.active = false;
    }
  });

  it('sends security headers', async () => {
    const res = await t.request({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('serves the OpenAPI document and the docs page from the route schemas', async () => {
    const doc = await t.request({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toContain('/api/v1/auth/login');
    const page = await t.request({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with a coded JSON 404', async () => {
    const res = await t.request({ method: 'GET', url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('answers malformed JSON with a 400 naming the body', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('body');
  });

  it('rate-limits the login routes per client', async () => {
    // /auth/refresh shares the login limit and has not been called by this suite yet.
    const payload = { refresh_token: 'not-a-real-refresh-token' };
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await t.request({ method: 'POST', url: '/api/v1/auth/refresh', payload })).statusCode);
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
  });
});
