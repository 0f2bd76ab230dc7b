import { describe, expect, it } from 'vitest';
import { BOOKING_STATUSES } from './booking-status.js';
import { CHECK_IN_OPENS_BEFORE_MS, checkInRefused, checkInVerdict } from './check-in-window.js';

const start = Date.UTC(2026, 11, 10, 18);
const end = start + 60 * 60_000;
const at = (status: (typeof BOOKING_STATUSES)[number], now: number) =>
  checkInVerdict({ status, startTime: start, endTime: end }, now);

describe('the check-in window', () => {
  it('opens 15 minutes before the start and closes at the end, for a confirmed booking', () => {
    expect(at('confirmed', start - CHECK_IN_OPENS_BEFORE_MS - 1)).toMatchObject({
      ok: false,
      reason: 'too_early',
    });
    expect(at('confirmed', start - CHECK_IN_OPENS_BEFORE_MS)).toEqual({ ok: true });
    expect(at('confirmed', start)).toEqual({ ok: true });
    expect(at('confirmed', end - 1)).toEqual({ ok: true });
    expect(at('confirmed', end)).toMatchObject({ ok: false, reason: 'ended' });
  });

  it('says when it opens', () => {
    const verdict = at('confirmed', start - 60 * 60_000);
    expect(verdict).toMatchObject({ reason: 'too_early', opensAt: start - CHECK_IN_OPENS_BEFORE_MS });
    const error = checkInRefused(verdict as Exclude<typeof verdict, { ok: true }>);
    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toBe('check-in opens at 2026-12-10T17:45:00.000Z, 15 minutes before the start');
    expect(error.extra).toEqual({ opens_at: '2026-12-10T17:45:00.000Z' });
  });

  it('judges the status first: only a confirmed booking, whatever the time', () => {
    for (const status of BOOKING_STATUSES) {
      const verdict = at(status, start);
      if (status === 'confirmed') expect(verdict.ok, status).toBe(true);
      else if (status === 'checked_in') expect(verdict).toEqual({ ok: false, reason: 'already_checked_in' });
      else expect(verdict, status).toMatchObject({ ok: false, reason: 'status' });
    }
    expect(at('cancelled', start - 2 * 60 * 60_000)).toMatchObject({
      reason: 'status',
      message: 'a cancelled booking cannot be checked in (cancelled is final)',
    });
    expect(at('pending', start)).toMatchObject({
      reason: 'status',
      message: expect.stringContaining('pending'),
    });
  });

  it('refuses a second check-in as a conflict on the status', () => {
    const error = checkInRefused({ ok: false, reason: 'already_checked_in' });
    expect(error.code).toBe('INVALID_STATE');
    expect(error.field).toBe('status');
    expect(error.message).toBe('a checked-in booking is already checked in (it can only be completed)');
  });
});
