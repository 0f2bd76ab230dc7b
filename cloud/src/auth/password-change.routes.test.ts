import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { testConfig } from '../config.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

// An account flagged must_change_password (the bootstrap admin with a generated password) may log
// in, read its profile, log out and change its password; everything else is a 403 until it does.
describe.each(testDatabases())('must change password on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  const email = 'first-admin@example.com';
  const initial = 'one-time-password-1';

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.app.services.auth.createUser({
      email,
      password: initial,
      role: 'admin',
      mustChangePassword: true,
    });
  });
  afterAll(async () => t?.close());

  const login = async (password: string) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { access_token: string; refresh_token: string; user: Record<string, unknown> };
  };
  const changePassword = (token: string, current: string, next: string) =>
    t.request({
      method: 'POST',
      url: '/api/v1/auth/password',
      token,
      payload: { current_password: current, new_password: next },
    });

  it('logs in, says so, and answers 403 PASSWORD_CHANGE_REQUIRED everywhere else', async () => {
    const session = await login(initial);
    expect(session.user.must_change_password).toBe(true);
    for (const [method, url] of [
      ['GET', '/api/v1/admin/facilities'],
      ['GET', '/api/v1/admin/dashboard'],
      ['GET', '/api/v1/bookings'],
      ['POST', '/api/v1/auth/users'],
      ['GET', '/api/v1/no-such-route'],
    ] as const) {
      const res = await t.request({ method, url, token: session.access_token, payload: {} });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code, url).toBe('PASSWORD_CHANGE_REQUIRED');
      expect(res.json().error.message).toContain('POST /api/v1/auth/password');
    }
    // A public route too: the caller identified themselves, so the rule applies.
    const availability = await t.request({
      method: 'GET',
      url: '/api/v1/availability?facility_id=00000000-0000-4000-8000-000000000000&date=2030-01-01',
      token: session.access_token,
    });
    expect(availability.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    // The same request without the token is not blocked by the flag.
    const anonymous = await t.request({ method: 'GET', url: '/api/v1/admin/facilities' });
    expect(anonymous.statusCode).toBe(401);

    const me = await t.request({ method: 'GET', url: '/api/v1/auth/me', token: session.access_token });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, role: 'admin', must_change_password: true });
    const out = await t.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      token: session.access_token,
      payload: { refresh_token: session.refresh_token },
    });
    expect(out.statusCode).toBe(200);
  });

  it('applies the registration strength rules and refuses the same password', async () => {
    const { access_token: token } = await login(initial);
    const short = await changePassword(token, initial, 'short');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('new_password');
    const same = await changePassword(token, initial, initial);
    expect(same.statusCode).toBe(400);
    expect(same.json().error.field).toBe('new_password');
    const wrong = await changePassword(token, 'not-the-password', 'brand-new-password-1');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.field).toBe('current_password');
    const stillBlocked = await t.request({ method: 'GET', url: '/api/v1/admin/facilities', token });
    expect(stillBlocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('lifts the block at once, returns fresh tokens and signs out every other session', async () => {
    const other = await login(initial);
    const mine = await login(initial);
    const changed = await changePassword(mine.access_token, initial, 'brand-new-password-1');
    expect(changed.statusCode, changed.body).toBe(200);
    const fresh = changed.json();
    expect(fresh.user).toMatchObject({ email, must_change_password: false });
    expect(fresh.refresh_token).not.toBe(mine.refresh_token);

    const allowed = await t.request({
      method: 'GET',
      url: '/api/v1/admin/facilities',
      token: fresh.access_token,
    });
    expect(allowed.statusCode, allowed.body).toBe(200);
    // Access tokens issued before the change are retired with it (token-generation.routes.test.ts).
    for (const token of [mine.access_token, other.access_token]) {
      const res = await t.request({ method: 'GET', url: '/api/v1/admin/facilities', token });
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error.code).toBe('TOKEN_REVOKED');
    }
    for (const refreshToken of [other.refresh_token, mine.refresh_token]) {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refresh_token: refreshToken },
      });
      expect(res.statusCode).toBe(401);
    }
    const refreshed = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: fresh.refresh_token },
    });
    expect(refreshed.statusCode).toBe(200);

    const old = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: initial },
    });
    expect(old.statusCode).toBe(401);
    expect((await login('brand-new-password-1')).user.must_change_password).toBe(false);
  });
});

describe('the bootstrap admin', { timeout: 120_000 }, () => {
  it('must change a generated password, but not one configured in ADMIN_PASSWORD', async () => {
    let generated: { email: string; password?: string } | undefined;
    const app = await buildApp({
      config: testConfig({ adminPassword: undefined }),
      onBootstrapAdmin: (admin) => {
        generated = admin;
      },
    });
    try {
      expect(generated?.password).toBeTruthy();
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: generated!.email, password: generated!.password },
      });
      expect(login.json().user.must_change_password).toBe(true);
      const blocked = await app.inject({
        method: 'GET',
        url: '/api/v1/admin/facilities',
        headers: { authorization: `Bearer ${login.json().access_token}` },
      });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    } finally {
      await app.close();
    }

    const configured = await createTestApp('pglite');
    try {
      const login = await configured.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: configured.config.adminEmail, password: configured.config.adminPassword },
      });
      expect(login.json().user.must_change_password).toBe(false);
      const allowed = await configured.request({
        method: 'GET',
        url: '/api/v1/admin/facilities',
        token: login.json().access_token,
      });
      expect(allowed.statusCode).toBe(200);
    } finally {
      await configured.close();
    }
  });
});
