import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, createUsers, type Tokens } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

// An admin's change to a staff member's facilities, role or activity applies to that member's next
// request, although the access token they hold was issued before it.
describe.each(testDatabases())('staff rights changes on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let facilityA: string;
  let facilityB: string;
  let u: Tokens;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    facilityA = (await createFacility(t, { name: 'A Golf' })).facilityId;
    facilityB = (await createFacility(t, { name: 'B Golf' })).facilityId;
    u = await createUsers(t, facilityA, facilityB);
  });
  afterAll(async () => t?.close());

  /** A staff member of `facilities`, logged in: their id, access and refresh tokens. */
  const staffOf = async (facilities: string[]) => {
    n += 1;
    const email = `rights-${n}@example.com`;
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/auth/users',
      token: u.admin,
      payload: { email, password: 'staff-password-1', role: 'staff', facility_ids: facilities },
    });
    expect(created.statusCode, created.body).toBe(201);
    const login = await t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'staff-password-1' },
    });
    const { access_token: token, refresh_token: refresh } = login.json();
    return { id: created.json().id as string, email, token: token as string, refresh: refresh as string };
  };
  const patch = (id: string, payload: object, token = u.admin) =>
    t.request({ method: 'PATCH', url: `/api/v1/auth/users/${id}`, token, payload });
  const bookingsOf = (facilityId: string, token: string) =>
    t.request({ method: 'GET', url: `/api/v1/bookings?facility_id=${facilityId}`, token });

  it('removing a facility makes the next request to it a 403, with the same token', async () => {
    const staff = await staffOf([facilityA, facilityB]);
    expect((await bookingsOf(facilityB, staff.token)).statusCode).toBe(200);

    const changed = await patch(staff.id, { facility_ids: [facilityA] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ role: 'staff', facility_ids: [facilityA], active: true });

    expect((await bookingsOf(facilityB, staff.token)).statusCode).toBe(403);
    expect((await bookingsOf(facilityA, staff.token)).statusCode).toBe(200);
    const me = await t.request({ method: 'GET', url: '/api/v1/auth/me', token: staff.token });
    expect(me.json().facility_ids).toEqual([facilityA]);

    await patch(staff.id, { facility_ids: [facilityA, facilityB] });
    expect((await bookingsOf(facilityB, staff.token)).statusCode).toBe(200);
  });

  it('a role change applies at once, both ways', async () => {
    const staff = await staffOf([facilityA]);
    // Changing account rights is for admins only; `active: true` on oneself changes nothing.
    const adminOnly = () => patch(staff.id, { active: true }, staff.token).then((r) => r.statusCode);
    expect(await adminOnly()).toBe(403);
    const promoted = await patch(staff.id, { role: 'admin' });
    expect(promoted.json()).toMatchObject({ role: 'admin', facility_ids: [] });
    expect(await adminOnly()).toBe(200);
    expect((await bookingsOf(facilityB, staff.token)).statusCode).toBe(200);

    const demoted = await patch(staff.id, { role: 'staff', facility_ids: [facilityA] });
    expect(demoted.json()).toMatchObject({ role: 'staff', facility_ids: [facilityA] });
    expect(await adminOnly()).toBe(403);
    expect((await bookingsOf(facilityB, staff.token)).statusCode).toBe(403);
  });

  it('deactivation answers 401 at once and stops refresh and login; reactivation restores login, not old tokens', async () => {
    const staff = await staffOf([facilityA]);
    const off = await patch(staff.id, { active: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);

    const now = await bookingsOf(facilityA, staff.token);
    expect(now.statusCode).toBe(401);
    expect(now.json().error).toMatchObject({ code: 'INVALID_TOKEN', message: 'This account is deactivated' });
    const refresh = await t.request({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refresh_token: staff.refresh },
    });
    expect(refresh.statusCode).toBe(401);
    const login = () =>
      t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: staff.email, password: 'staff-password-1' },
      });
    expect((await login()).statusCode).toBe(401);

    expect((await patch(staff.id, { active: true })).json().active).toBe(true);
    const back = await login();
    expect(back.statusCode).toBe(200);
    expect((await bookingsOf(facilityA, back.json().access_token)).statusCode).toBe(200);
    // The access token held before the deactivation does not come back with the account.
    const before = await bookingsOf(facilityA, staff.token);
    expect(before.statusCode).toBe(401);
    expect(before.json().error.code).toBe('TOKEN_REVOKED');
  });

  it('names the field of a change it refuses', async () => {
    const staff = await staffOf([facilityA]);
    const me = await t.request({ method: 'GET', url: '/api/v1/auth/me', token: u.admin });
    const adminId = me.json().id as string;
    const customerUser = await t.request({ method: 'GET', url: '/api/v1/auth/me', token: u.customer });
    const cases: [string, object, number, string][] = [
      [staff.id, { facility_ids: [] }, 400, 'facility_ids'],
      [staff.id, { facility_ids: ['00000000-0000-4000-8000-000000000000'] }, 400, 'facility_ids'],
      [staff.id, { role: 'admin', facility_ids: [facilityA] }, 400, 'facility_ids'],
      [staff.id, { role: 'customer' }, 400, 'role'],
      [staff.id, { active: 'no' }, 400, 'active'],
      [staff.id, {}, 400, 'body'],
      [adminId, { active: false }, 400, 'active'],
      [adminId, { role: 'staff', facility_ids: [facilityA] }, 400, 'role'],
      [customerUser.json().id, { role: 'staff', facility_ids: [facilityA] }, 400, 'role'],
      [customerUser.json().id, { facility_ids: [facilityA] }, 400, 'facility_ids'],
    ];
    for (const [id, payload, status, field] of cases) {
      const res = await patch(id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.field, JSON.stringify(payload)).toBe(field);
    }
    const missing = await patch('00000000-0000-4000-8000-000000000000', { active: false });
    expect(missing.statusCode).toBe(404);
    const badId = await patch('not-a-uuid', { active: false });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.field).toBe('id');
    // Nothing was changed by the refusals.
    expect((await bookingsOf(facilityA, staff.token)).statusCode).toBe(200);
    expect((await patch(staff.id, { active: true })).json()).toMatchObject({ facility_ids: [facilityA] });
  });

  it('only admins change rights', async () => {
    const staff = await staffOf([facilityA]);
    expect((await patch(staff.id, { facility_ids: [facilityA, facilityB] }, staff.token)).statusCode).toBe(
      403,
    );
    expect((await patch(staff.id, { active: false }, u.customer)).statusCode).toBe(403);
    const anonymous = await t.request({
      method: 'PATCH',
      url: `/api/v1/auth/users/${staff.id}`,
      payload: { active: false },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
