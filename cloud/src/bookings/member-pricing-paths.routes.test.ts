import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addGoldMemberRule, GOLD_CENTS, PUBLIC_CENTS, setMemberTier } from '../testing/member-pricing.js';
import {
  book,
  headersFor,
  hoursFromNow,
  type OpsWorld,
  openOpsWorld,
  SETUP_TIMEOUT_MS,
} from '../testing/ops-world.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

/** Bays A1 and A2 cost $45.00/h, the facility charges no tax; gold members get 15 % off. */
const WEEK_HOURS = 7 * 24;

interface Alternative {
  simulator_id: string;
  start_time: string;
  price_cents: number;
}

// Members pay their own price on every path that prices a booking besides the single booking
// (availability/member-pricing.routes.test.ts): recurring series, group bookings, reschedules,
// and the alternatives a refusal offers. Anonymous guests pay the public price.
describe.each(testDatabases())('member prices beyond the single booking on %s', (kind) => {
  let t: TestApp;
  let w: OpsWorld;
  let memberEmail: string;
  /** A customer record without an account (booked for at the desk), made a gold member. */
  const deskMember = `desk-gold-${kind}@example.com`;

  const setTier = (customerId: string, tier: string | null) => setMemberTier(t, w, customerId, tier);
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: `/api/v1${url}`, headers, payload });
  const recurring = (headers: Record<string, string>, startTime: string, extra: object = {}) =>
    post(
      '/bookings/recurring',
      {
        simulator_id: w.bayA2,
        start_time: startTime,
        duration: 60,
        recurrence: { freq: 'weekly', count: 3 },
        ...extra,
      },
      headers,
    );
  const prices = (bookings: { price_cents: number }[]) => bookings.map((b) => b.price_cents);
  const alternativesOf = (res: { statusCode: number; body: string; json: () => unknown }) => {
    expect(res.statusCode, res.body).toBe(409);
    const alternatives = (res.json() as { alternatives: Alternative[] }).alternatives;
    expect(alternatives.length).toBeGreaterThan(0);
    return alternatives;
  };
  const reschedule = (id: string, startTime: string, headers: Record<string, string>) =>
    post(`/bookings/${id}/reschedule`, { start_time: startTime }, headers);
  const manageToken = async (reference: string, email: string) => {
    const res = await post('/bookings/lookup', { reference_code: reference, email });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().manage_token as string;
  };

  beforeAll(async () => {
    ({ t, w } = await openOpsWorld(kind));
    await addGoldMemberRule(t, w);
    await setTier(w.customerId, 'gold');
    const profile = await t.request({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}`,
      token: w.tokens.admin,
    });
    memberEmail = profile.json().email;
    // Staff book once for the desk member, which creates their record; then they become gold.
    const desk = await book(t, w.tokens.staffA, w.bayA1, hoursFromNow(2), 60, { email: deskMember });
    expect(desk.price_cents).toBe(PUBLIC_CENTS);
    const stored = await t.request({
      method: 'GET',
      url: `/api/v1/bookings/${desk.id}`,
      token: w.tokens.admin,
    });
    await setTier(stored.json().customer_id, 'gold');
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => t?.close());

  it('a recurring series is priced for the booker in every occurrence', async () => {
    const member = await recurring(headersFor(w, 'customer'), hoursFromNow(30));
    expect(member.statusCode, member.body).toBe(201);
    expect(prices(member.json().bookings)).toEqual([GOLD_CENTS, GOLD_CENTS, GOLD_CENTS]);

    const staffForMember = await recurring(headersFor(w, 'staffA'), hoursFromNow(31), {
      customer: { email: memberEmail },
    });
    expect(staffForMember.statusCode, staffForMember.body).toBe(201);
    expect(prices(staffForMember.json().bookings)).toEqual([GOLD_CENTS, GOLD_CENTS, GOLD_CENTS]);

    const nonMember = await recurring(
      { authorization: `Bearer ${w.tokens.otherCustomer}` },
      hoursFromNow(32),
    );
    expect(prices(nonMember.json().bookings)).toEqual([PUBLIC_CENTS, PUBLIC_CENTS, PUBLIC_CENTS]);
  });

  it("an anonymous guest's series pays the public price, even with a member's email", async () => {
    const guest = await recurring({}, hoursFromNow(33), { customer: { email: deskMember } });
    expect(guest.statusCode, guest.body).toBe(201);
    expect(prices(guest.json().bookings)).toEqual([PUBLIC_CENTS, PUBLIC_CENTS, PUBLIC_CENTS]);
    const staff = await recurring(headersFor(w, 'staffA'), hoursFromNow(34), {
      customer: { email: deskMember },
    });
    expect(prices(staff.json().bookings)).toEqual([GOLD_CENTS, GOLD_CENTS, GOLD_CENTS]);
  });

  it('a group booking is priced for the booker on every bay', async () => {
    const payload = { simulator_ids: [w.bayA1, w.bayA2], start_time: hoursFromNow(100), duration: 60 };
    const member = await post('/bookings/group', payload, headersFor(w, 'customer'));
    expect(member.statusCode, member.body).toBe(201);
    expect(prices(member.json().bookings)).toEqual([GOLD_CENTS, GOLD_CENTS]);
    const guest = await post('/bookings/group', {
      ...payload,
      start_time: hoursFromNow(101),
      customer: { email: deskMember },
    });
    expect(prices(guest.json().bookings)).toEqual([PUBLIC_CENTS, PUBLIC_CENTS]);
  });

  it("a reschedule prices the new time for the booking's customer, whoever moves it", async () => {
    const mine = await book(t, w.tokens.customer, w.bayA1, hoursFromNow(60));
    expect(mine.price_cents).toBe(GOLD_CENTS);
    const byMember = await reschedule(mine.id, hoursFromNow(61), headersFor(w, 'customer'));
    expect(byMember.statusCode, byMember.body).toBe(200);
    expect(byMember.json().price_cents).toBe(GOLD_CENTS);
    const byStaff = await reschedule(mine.id, hoursFromNow(62), headersFor(w, 'staffA'));
    expect(byStaff.statusCode, byStaff.body).toBe(200);
    expect(byStaff.json().price_cents).toBe(GOLD_CENTS);

    const theirs = await book(t, w.tokens.otherCustomer, w.bayA1, hoursFromNow(63));
    const staffMovesNonMember = await reschedule(theirs.id, hoursFromNow(64), headersFor(w, 'staffA'));
    expect(staffMovesNonMember.json().price_cents).toBe(PUBLIC_CENTS);
  });

  it("a guest's manage token moves a member's booking at the member price, a guest record's at the public one", async () => {
    const desk = await book(t, w.tokens.staffA, w.bayA1, hoursFromNow(65), 60, { email: deskMember });
    expect(desk.price_cents).toBe(GOLD_CENTS);
    const reference = (
      await t.request({ method: 'GET', url: `/api/v1/bookings/${desk.id}`, token: w.tokens.admin })
    ).json().reference_code as string;
    const moved = await post(
      `/bookings/${desk.id}/manage/reschedule`,
      { start_time: hoursFromNow(66) },
      { 'x-manage-token': await manageToken(reference, deskMember) },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(GOLD_CENTS);

    // An anonymous guest with the member's email books under a guest record of its own: no tier.
    const guest = await post('/bookings', {
      simulator_id: w.bayA1,
      start_time: hoursFromNow(67),
      duration: 60,
      customer: { email: memberEmail, first_name: 'Not', last_name: 'Casey' },
    });
    expect(guest.json().price_cents).toBe(PUBLIC_CENTS);
    const guestMoved = await post(
      `/bookings/${guest.json().id}/manage/reschedule`,
      { start_time: hoursFromNow(68) },
      { 'x-manage-token': await manageToken(guest.json().reference_code, memberEmail) },
    );
    expect(guestMoved.statusCode, guestMoved.body).toBe(200);
    expect(guestMoved.json().price_cents).toBe(PUBLIC_CENTS);
    const staffMoved = await reschedule(guest.json().id, hoursFromNow(69), headersFor(w, 'staffA'));
    expect(staffMoved.json().price_cents).toBe(PUBLIC_CENTS);
  });

  it("a public booking made under a member's email stays public when moved with its manage link", async () => {
    // The desk member has a tier but no account, so an anonymous checkout under their email links
    // to their record; it is sold at the public price, and the manage link must not change that.
    const guest = await post('/bookings', {
      simulator_id: w.bayA1,
      start_time: hoursFromNow(71),
      duration: 60,
      customer: { email: deskMember },
    });
    expect(guest.statusCode, guest.body).toBe(201);
    expect(guest.json().price_cents).toBe(PUBLIC_CENTS);
    const moved = await post(
      `/bookings/${guest.json().id}/manage/reschedule`,
      { start_time: hoursFromNow(72) },
      { 'x-manage-token': await manageToken(guest.json().reference_code, deskMember) },
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().price_cents).toBe(PUBLIC_CENTS);
  });

  it('the alternatives of a refused booking are priced for the same customer', async () => {
    const taken = hoursFromNow(50);
    await book(t, w.tokens.otherCustomer, w.bayA1, taken);
    const attempt = (headers: Record<string, string>, customer?: { email: string }) =>
      post(
        '/bookings',
        { simulator_id: w.bayA1, start_time: taken, duration: 60, ...(customer ? { customer } : {}) },
        headers,
      );
    const member = alternativesOf(await attempt(headersFor(w, 'customer')));
    expect(new Set(prices(member))).toEqual(new Set([GOLD_CENTS]));
    const staff = alternativesOf(await attempt(headersFor(w, 'staffA'), { email: deskMember }));
    expect(new Set(prices(staff))).toEqual(new Set([GOLD_CENTS]));
    const guest = alternativesOf(await attempt({}, { email: deskMember }));
    expect(new Set(prices(guest))).toEqual(new Set([PUBLIC_CENTS]));
  });

  it('a reschedule or a series refused for a member offers alternatives at the member price', async () => {
    const taken = hoursFromNow(70);
    await book(t, w.tokens.otherCustomer, w.bayA1, taken);
    const mine = await book(t, w.tokens.customer, w.bayA1, hoursFromNow(71));
    const moved = alternativesOf(await reschedule(mine.id, taken, headersFor(w, 'staffA')));
    expect(new Set(prices(moved))).toEqual(new Set([GOLD_CENTS]));

    // The series' second occurrence is taken: all or nothing refuses it, with alternatives.
    await book(t, w.tokens.otherCustomer, w.bayA2, hoursFromNow(35 + WEEK_HOURS));
    const series = alternativesOf(await recurring(headersFor(w, 'customer'), hoursFromNow(35)));
    expect(new Set(prices(series))).toEqual(new Set([GOLD_CENTS]));
  });

  it('a race lost at the database answers alternatives at the member price too', async () => {
    const taken = hoursFromNow(80);
    const winner = await book(t, w.tokens.otherCustomer, w.bayA1, taken);
    // The check runs before the winner's row is seen (as in a real race); the insert then fails.
    const availability = t.app.services.availability;
    const check = availability.check.bind(availability);
    const spy = vi
      .spyOn(availability, 'check')
      .mockImplementationOnce((simulatorId, start, duration, options = {}) =>
        check(simulatorId, start, duration, { ...options, ignoreBusyIds: [winner.id] }),
      );
    try {
      const res = await post(
        '/bookings',
        { simulator_id: w.bayA1, start_time: taken, duration: 60 },
        headersFor(w, 'customer'),
      );
      expect(new Set(prices(alternativesOf(res)))).toEqual(new Set([GOLD_CENTS]));
      // Checked once to plan the write, once more after the insert lost: the race path ran.
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});
