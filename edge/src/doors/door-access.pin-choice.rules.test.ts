import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pendingBatch } from '../sync/outbox.repository.js';
import {
  DOOR_GRACE,
  DOOR_T0,
  DOOR_VENUE,
  doorRulesWorld,
  pinScan,
  qrScan,
  SCANNER,
} from '../testing/door-rules.js';
import { DOORS, MINUTE, putBooking, qrFor } from '../testing/facility-control.js';

/**
 * Which booking a door scan means when two share a PIN, and what a decision records and a grant does
 * when the unlock fails (DoorAccessService on an in-memory replica).
 */
const door = doorRulesWorld();
describe('two bookings sharing a PIN: the scan means the one whose window holds now', () => {
  it('picks the booking in its window over an earlier or later one with the same PIN', () => {
    const early = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 - 3 * 60 * MINUTE,
      end_time: DOOR_T0 - 2 * 60 * MINUTE,
    });
    const now = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0,
      end_time: DOOR_T0 + 60 * MINUTE,
      access_code: early.access_code,
    });
    putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 + 3 * 60 * MINUTE,
      end_time: DOOR_T0 + 4 * 60 * MINUTE,
      access_code: early.access_code,
    });
    expect(door.service().decide(DOORS.front, pinScan(early.access_code), SCANNER)).toMatchObject({
      reason: 'valid',
      booking_id: now.id,
    });
  });

  it('outside every window, names the nearest: expired for a just-ended one, not_yet_valid for a close next one', () => {
    const ended = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 - 90 * MINUTE,
      end_time: DOOR_T0 - 30 * MINUTE,
    });
    const next = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 + 60 * MINUTE,
      end_time: DOOR_T0 + 120 * MINUTE,
      access_code: ended.access_code,
    });
    // Now is 15 min past the end of `ended`'s window, 45 min before `next`'s opens.
    expect(door.service().decide(DOORS.front, pinScan(ended.access_code), SCANNER)).toMatchObject({
      reason: 'expired',
      booking_id: ended.id,
    });
    // 10 min before `next`'s window, 35 min after `ended`'s.
    door.clock.set(DOOR_T0 + 35 * MINUTE);
    expect(door.service().decide(DOORS.front, pinScan(ended.access_code), SCANNER)).toMatchObject({
      reason: 'not_yet_valid',
      booking_id: next.id,
    });
  });

  it('at equal distance, the booking whose window just ended counts as 1 ms further than one about to open', () => {
    // `ended`'s window ends at DOOR_T0 (now is its first millisecond out), `next`'s opens 1 ms from now.
    const ended = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 - 60 * MINUTE - DOOR_GRACE,
      end_time: DOOR_T0 - DOOR_GRACE,
    });
    const next = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 + 1 + DOOR_GRACE,
      end_time: DOOR_T0 + 60 * MINUTE,
      access_code: ended.access_code,
    });
    expect(door.service().decide(DOORS.front, pinScan(ended.access_code), SCANNER).booking_id).toBe(next.id);
  });

  it('prefers a live booking over a cancelled one for the same window, whichever the replica lists first', () => {
    const live = { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE };
    const cancelled = putBooking(door.database, DOOR_VENUE, { ...live, status: 'cancelled' });
    const kept = putBooking(door.database, DOOR_VENUE, { ...live, access_code: cancelled.access_code });
    const missed = putBooking(door.database, DOOR_VENUE, {
      ...live,
      status: 'no_show',
      access_code: cancelled.access_code,
    });
    const decision = door.service().decide(DOORS.front, pinScan(cancelled.access_code), SCANNER);
    expect(decision).toMatchObject({ reason: 'valid', booking_id: kept.id });
    expect(decision.booking_id).not.toBe(missed.id);
  });
});

describe('a live booking and a cancelled or missed one sharing a PIN over the same window', () => {
  const live = { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE };
  for (const status of ['cancelled', 'no_show'] as const) {
    it(`opens for the live booking whether the ${status} one is listed before or after it`, () => {
      const deadFirst = putBooking(door.database, DOOR_VENUE, { ...live, status, access_code: '100001' });
      const liveSecond = putBooking(door.database, DOOR_VENUE, { ...live, access_code: '100001' });
      const liveFirst = putBooking(door.database, DOOR_VENUE, { ...live, access_code: '200002' });
      putBooking(door.database, DOOR_VENUE, { ...live, status, access_code: '200002' });
      expect(door.service().decide(DOORS.front, pinScan('100001'), SCANNER)).toMatchObject({
        reason: 'valid',
        booking_id: liveSecond.id,
      });
      expect(door.service().decide(DOORS.front, pinScan('200002'), SCANNER)).toMatchObject({
        reason: 'valid',
        booking_id: liveFirst.id,
      });
      expect(deadFirst.status).toBe(status);
    });
  }

  it('counts every booking whose window holds now as equally near, however late its window ends', () => {
    // Inside a window the distance is 0, not "how soon it ends": the live booking ending sooner wins
    // the tie over the cancelled one whose window outlasts it.
    const kept = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0,
      end_time: DOOR_T0 + 15 * MINUTE,
      access_code: '300003',
    });
    putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0,
      end_time: DOOR_T0 + 120 * MINUTE,
      status: 'cancelled',
      access_code: '300003',
    });
    expect(door.service().decide(DOORS.front, pinScan('300003'), SCANNER)).toMatchObject({
      reason: 'valid',
      booking_id: kept.id,
    });
  });
});

describe('what a decision records and what a grant does', () => {
  it('audits and queues each decision with a credential reference that never holds the PIN or token', () => {
    const b = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0,
      end_time: DOOR_T0 + 60 * MINUTE,
      access_code: '482913',
    });
    const token = qrFor(DOOR_VENUE, b);
    const doors = door.service();
    doors.decide(DOORS.front, pinScan('482913'), { name: 'kiosk' });
    expect(door.lastAudit()).toMatchObject({
      at: DOOR_T0,
      kind: 'door.decision',
      actor: 'kiosk',
      subject: DOORS.front,
      decision: 'granted',
      reason: 'valid',
      details: { door_id: DOORS.front, booking_id: b.id, credential: 'pin', credential_ref: 'pin:**13' },
    });
    expect(door.lastAudit()?.details).not.toHaveProperty('scanner_id');
    doors.decide(DOORS.front, qrScan(` ${token} `), { name: 'scanner:front', scannerId: 'front' });
    const ref = `qr:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
    expect(door.lastAudit()?.details).toMatchObject({
      credential: 'qr_code',
      credential_ref: ref,
      scanner_id: 'front',
    });
    const queued = pendingBatch(door.database.db, 10).filter((e) => e.type === 'door.decision');
    expect(queued.map((e) => e.payload)).toEqual([
      {
        door_id: DOORS.front,
        decision: 'granted',
        reason: 'valid',
        booking_id: b.id,
        credential: 'pin',
        decided_at: new Date(DOOR_T0).toISOString(),
      },
      expect.objectContaining({ credential: 'qr_code', scanner_id: 'front' }),
    ]);
  });

  it('unlocks the door once for a grant and never for a denial', async () => {
    const b = putBooking(door.database, DOOR_VENUE, { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE });
    const doors = door.service();
    expect(await doors.open(DOORS.front, pinScan('000000'), SCANNER)).toMatchObject({
      outcome: 'denied',
      unlock_error: null,
    });
    expect(door.unlocked).toEqual([]);
    expect(await doors.open(DOORS.bay1, pinScan(b.access_code), SCANNER)).toMatchObject({
      outcome: 'granted',
      unlock_error: null,
      booking_id: b.id,
    });
    expect(door.unlocked).toEqual([{ doorId: DOORS.bay1, bookingId: b.id }]);
    expect(door.alerts.list(true)).toEqual([]);
  });

  it('reports granted_unlock_failed, audits it and raises an alert when UniFi refuses or is absent', async () => {
    const b = putBooking(door.database, DOOR_VENUE, { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE });
    const failing = door.service({
      unlock: async () => {
        throw new Error('controller offline');
      },
    });
    expect(await failing.open(DOORS.front, pinScan(b.access_code), SCANNER)).toMatchObject({
      decision: 'granted',
      outcome: 'granted_unlock_failed',
      unlock_error: 'controller offline',
    });
    expect(door.lastAudit()).toMatchObject({
      kind: 'door.unlock_failed',
      actor: SCANNER.name,
      subject: DOORS.front,
      decision: 'granted',
      reason: 'unlock_failed',
      details: { booking_id: b.id, error: 'controller offline' },
    });
    expect(door.alerts.list(true)).toEqual([
      expect.objectContaining({
        dedupe_key: `door_unlock_failed:${DOORS.front}`,
        kind: 'door_unlock_failed',
        severity: 'warning',
        subject: DOORS.front,
        message: expect.stringContaining('controller offline'),
      }),
    ]);
    const bare = door.service({
      unlock: async () => {
        throw 'socket hang up';
      },
    });
    expect((await bare.open(DOORS.front, pinScan(b.access_code), SCANNER)).unlock_error).toBe(
      'socket hang up',
    );
    const none = door.service({ unlock: null });
    expect(await none.open(DOORS.front, pinScan(b.access_code), SCANNER)).toMatchObject({
      outcome: 'granted_unlock_failed',
      unlock_error: 'no UniFi Access controller is configured on this edge',
    });
  });
});
