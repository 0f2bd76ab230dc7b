import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, createUsers, type FacilityFixture, type Tokens } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

// Check-in by PIN, QR token and reference code, and its window: bookings that start within the
// quarter hour, at a venue that sells walk-up time (no minimum notice).
describe.each(testDatabases())('booking check-in on %s', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let other: FacilityFixture;
  let u: Tokens;
  const guest = { email: 'guest@example.com', first_name: 'Gus', last_name: 'Guest', phone: '+14165550001' };

  beforeAll(async () => {
    t = await createTestApp(kind);
    other = await createFacility(t, { name: 'Other Golf', bays: 1 });
  });
  afterAll(async () => t?.close());

  const book = (payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: '/api/v1/bookings', payload });
  let soon: FacilityFixture;
  let booking: { id: string; access_code: string; reference_code: string; qr_code: string };
  // A 5-minute grid keeps the next start 1–6 minutes away: always inside the 15-minute check-in window.
  const nextSlot = () => new Date(Math.ceil((Date.now() + 60_000) / 300_000) * 300_000).toISOString();

  beforeAll(async () => {
    soon = await createFacility(t, { name: 'Walk-up Golf', bays: 3, slotMinutes: 5, minAdvanceHours: 0 });
    u = await createUsers(t, soon.facilityId, other.facilityId);
  });

  const fresh = async (bay: number) => {
    const res = await book({
      simulator_id: soon.bayIds[bay],
      start_time: nextSlot(),
      duration: 60,
      customer: guest,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('checks in with the PIN, and only once', async () => {
    booking = await fresh(0);
    const wrong = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/checkin`,
      payload: { method: 'pin', code: booking.access_code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.field).toBe('code');
    const ok = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/checkin`,
      payload: { method: 'pin', code: booking.access_code },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('checked_in');
    expect(ok.json().check_in_time).not.toBeNull();
    const twice = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/checkin`,
      payload: { method: 'pin', code: booking.access_code },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('checks in with the QR token (seed method qr_code) and rejects another booking’s token', async () => {
    const b = await fresh(1);
    const foreign = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${b.id}/checkin`,
      payload: { method: 'qr_code', code: booking.qr_code },
    });
    expect(foreign.statusCode).toBe(403);
    const forged = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${b.id}/checkin`,
      payload: { method: 'qr_code', code: 'ABC123' },
    });
    expect(forged.statusCode).toBe(403);
    const ok = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${b.id}/checkin`,
      payload: { method: 'qr_code', code: b.qr_code },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('checks in by reference code (forgiving case); staff need no code; the window is enforced', async () => {
    const b = await fresh(2);
    const ok = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${b.id}/checkin`,
      payload: { method: 'reference_code', code: b.reference_code.toLowerCase() },
    });
    expect(ok.statusCode, ok.body).toBe(200);

    const later = await book({
      simulator_id: soon.bayIds[0],
      start_time: new Date(Date.parse(nextSlot()) + 3 * 3_600_000).toISOString(),
      duration: 15,
      customer: guest,
    });
    expect(later.statusCode, later.body).toBe(201);
    const url = `/api/v1/bookings/${later.json().id}/checkin`;
    const noCode = await t.request({ method: 'POST', url, payload: { method: 'reference_code' } });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().error.field).toBe('code');
    const anonymousStaff = await t.request({ method: 'POST', url, payload: { method: 'staff' } });
    expect(anonymousStaff.statusCode).toBe(403);
    const otherStaff = await t.request({
      method: 'POST',
      url,
      payload: { method: 'staff' },
      token: u.otherStaff,
    });
    expect(otherStaff.statusCode).toBe(403);
    // More than 15 minutes before the start: the check-in window is not open yet.
    const early = await t.request({ method: 'POST', url, payload: { method: 'staff' }, token: u.admin });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('check-in opens');
  });
});
