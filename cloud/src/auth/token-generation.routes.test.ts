import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

// An access token lives 15 minutes, but one issued before its account's password changed must not:
// the per-request rights read compares the token's generation with the account's.
describe.each(testDatabases())(
  'access tokens after a password change on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let n = 0;

    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(async () => t?.close());

    interface Pair {
      access_token: string;
      refresh_token: string;
      user: { id: string };
    }

    const customer = async () => {
      n += 1;
      const email = `token-gen-${n}@example.com`;
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password: 'customer-password-1', first_name: 'Tee' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return { email, pair: res.json() as Pair };
    };
    const login = async (email: string, password: string) => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Pair;
    };
    const me = (token: string) => t.request({ method: 'GET', url: '/api/v1/auth/me', token });
    const myBookings = (token: string) => t.request({ method: 'GET', url: '/api/v1/bookings', token });
    const changePassword = async (token: string, current: string, next: string) => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/auth/password',
        token,
        payload: { current_password: current, new_password: next },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Pair;
    };

    it('retires every access token issued before the change; the new pair works', async () => {
      const { email, pair: signup } = await customer();
      const elsewhere = await login(email, 'customer-password-1');
      expect((await myBookings(signup.access_token)).statusCode).toBe(200);
      expect((await myBookings(elsewhere.access_token)).statusCode).toBe(200);

      const fresh = await changePassword(signup.access_token, 'customer-password-1', 'customer-password-2');

      for (const old of [signup.access_token, elsewhere.access_token]) {
        for (const res of [await me(old), await myBookings(old)]) {
          expect(res.statusCode, res.body).toBe(401);
          expect(res.json().error.code).toBe('TOKEN_REVOKED');
          expect(res.json().error.message).toMatch(/sign in again/);
        }
      }
      expect((await me(fresh.access_token)).json().id).toBe(signup.user.id);
      expect((await myBookings(fresh.access_token)).statusCode).toBe(200);
      // The new refresh token gives access tokens of the new generation.
      const refreshed = await t.request({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refresh_token: fresh.refresh_token },
      });
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      expect((await myBookings(refreshed.json().access_token)).statusCode).toBe(200);
      // So does signing in with the new password.
      const again = await login(email, 'customer-password-2');
      expect((await myBookings(again.access_token)).statusCode).toBe(200);
    });

    it('a second change retires the tokens of the first', async () => {
      const { pair } = await customer();
      const first = await changePassword(pair.access_token, 'customer-password-1', 'customer-password-2');
      const second = await changePassword(first.access_token, 'customer-password-2', 'customer-password-3');
      expect((await me(first.access_token)).json().error.code).toBe('TOKEN_REVOKED');
      expect((await me(second.access_token)).statusCode).toBe(200);
    });

    it("leaves other users' tokens alone", async () => {
      const changing = await customer();
      const bystander = await customer();
      const admin = await login(t.config.adminEmail, t.config.adminPassword!);
      await changePassword(changing.pair.access_token, 'customer-password-1', 'customer-password-2');
      expect((await myBookings(bystander.pair.access_token)).statusCode).toBe(200);
      const facilities = await t.request({
        method: 'GET',
        url: '/api/v1/admin/facilities',
        token: admin.access_token,
      });
      expect(facilities.statusCode).toBe(200);
    });

    it('a token from before token generations (no gen claim) works until the password changes', async () => {
      const { pair } = await customer();
      const profile = (await me(pair.access_token)).json();
      const sign = createSigner({
        key: t.config.jwtSecret,
        algorithm: 'HS256',
        expiresIn: 60_000,
        iss: 'clubos-cloud',
      });
      const legacy = sign({
        sub: profile.id,
        role: 'customer',
        email: profile.email,
        cid: profile.customer_id,
        fac: [],
        typ: 'access',
      });
      expect((await myBookings(legacy)).statusCode).toBe(200);
      await changePassword(pair.access_token, 'customer-password-1', 'customer-password-2');
      expect((await myBookings(legacy)).json().error.code).toBe('TOKEN_REVOKED');
    });
  },
);
