import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../testing/refusal.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

describe.each(testDatabases())('auth API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const adminLogin = async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: t.config.adminEmail, password: t.config.adminPassword },
    });
    expect(res.statusCode).toBe(200);
    return res.json().access_token as string;
  };

  it('bootstraps the admin from the configuration', async () => {
    const token = await adminLogin();
    const me = await t.request({ method: 'GET', url: '/api/v1/auth/me', token });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: t.config.adminEmail, role: 'admin', facility_ids: [] });
  });

  it('registers a customer, normalises the email and links a customer record', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: '  Jane@Example.COM ', password: 'correct-horse-1', first_name: 'Jane' },
    });
    // The pattern rejects the surrounding spaces: emails must be sent trimmed.
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('email');

    const ok = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'Jane@Example.COM', password: 'correct-horse-1', first_name: 'Jane' },
    });
    expect(ok.statusCode).toBe(201);
    const body = ok.json();
    expect(body.user).toMatchObject({ email: 'jane@example.com', role: 'customer' });
    expect(body.user.customer_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.token_type).toBe('Bearer');

    const again = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'jane@example.com', password: 'another-pass-2' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
  });

  it('rejects a wrong password and an unknown email the same way', async () => {
    for (const payload of [
      { email: 'jane@example.com', password: 'wrong-password' },
      { email: 'nobody@example.com', password: 'wrong-password' },
    ]) {
      const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('rotates refresh tokens and revokes the family when an old one is replayed', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'jane@example.com', password: 'correct-horse-1' },
    });
    const first = login.json().refresh_token as string;
    const r1 = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: first },
    });
    expect(r1.statusCode).toBe(200);
    const second = r1.json().refresh_token as string;
    expect(second).not.toBe(first);

    const replay = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: first },
    });
    expect(replay.statusCode).toBe(401);
    // The replay revoked the whole family, including the token issued by the rotation.
    const after = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: second },
    });
    expect(after.statusCode).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'jane@example.com', password: 'correct-horse-1' },
    });
    const refresh = login.json().refresh_token as string;
    const out = await t.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      payload: { refresh_token: refresh },
    });
    expect(out.json()).toEqual({ ok: true });
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: refresh },
    });
    expect(res.statusCode).toBe(401);
  });

  it('changes a password only with the current one', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'pw@example.com', password: 'first-password' },
    });
    const token = login.json().access_token as string;
    const bad = await t.request({
      method: 'POST',
      url: '/api/v1/auth/password',
      token,
      payload: { current_password: 'nope-nope-nope', new_password: 'second-password' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.field).toBe('current_password');
    const ok = await t.request({
      method: 'POST',
      url: '/api/v1/auth/password',
      token,
      payload: { current_password: 'first-password', new_password: 'second-password' },
    });
    expect(ok.statusCode).toBe(200);
    const relog = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'pw@example.com', password: 'second-password' },
    });
    expect(relog.statusCode).toBe(200);
  });

  it('lets only an admin create staff, and staff need a facility', async () => {
    const admin = await adminLogin();
    const customer = (
      await t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'jane@example.com', password: 'correct-horse-1' },
      })
    ).json().access_token as string;
    const payload = { email: 'staff@example.com', password: 'staff-password', role: 'staff' };

    const anonymous = await t.request({ method: 'POST', url: '/api/v1/auth/users', payload });
    expect(anonymous.statusCode).toBe(401);
    const asCustomer = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      payload,
      token: customer,
    });
    expect(asCustomer.statusCode).toBe(403);
    await expectRefused(
      t,
      { method: 'POST', url: '/api/v1/auth/users', payload, token: admin },
      400,
      'facility_ids',
    );
    const unknownFacility = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      payload: { ...payload, facility_ids: ['00000000-0000-4000-8000-000000000000'] },
      token: admin,
    });
    expect(unknownFacility.statusCode).toBe(400);
    const second = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      payload: { email: 'admin2@example.com', password: 'admin-password-2', role: 'admin' },
      token: admin,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ role: 'admin', must_change_password: false });
  });

  it('creates an account with a one-time password when asked: it must be changed before anything else', async () => {
    const admin = await adminLogin();
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      payload: {
        email: 'one.time@example.com',
        password: 'handed-over-1',
        role: 'admin',
        must_change_password: true,
      },
      token: admin,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().must_change_password).toBe(true);
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'one.time@example.com', password: 'handed-over-1' },
    });
    expect(login.statusCode).toBe(200);
    const blocked = await t.request({
      method: 'GET',
      url: '/api/v1/admin/facilities',
      token: login.json().access_token,
    });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('answers 401 for a bad or expired bearer token and for an unknown edge key', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Edge not-a-key', 'Basic abc', 'Bearer']) {
      const res = await t.request({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().error.code).toBe('INVALID_TOKEN');
    }
  });

  it('names the missing field on a bad body', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.co' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' });
  });
});
