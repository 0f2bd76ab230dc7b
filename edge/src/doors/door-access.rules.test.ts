import { createHash } from 'node:crypto';
import { generateSigningKeyPair, issueAccessToken } from '@clubos/shared/credentials';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService } from '../alerts/alert.service.js';
import { auditSince } from '../audit/audit.repository.js';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { pendingBatch } from '../sync/outbox.repository.js';
import { upsertReplicaRow } from '../sync/replica.repository.js';
import {
  type Clock,
  DOORS,
  MINUTE,
  newVenue,
  putBooking,
  qrFor,
  seedVenue,
  testClock,
} from '../testing/facility-control.js';
import { type DoorAccessOptions, DoorAccessService } from './door-access.service.js';

/**
 * The rules a door decision follows, straight through DoorAccessService on an in-memory replica
 * (no broker, no UniFi): the window edges to the millisecond, the order of the reasons, which of
 * two bookings sharing a PIN a scan means, and what a grant does when the unlock fails.
 */
const venue = newVenue();
const T0 = Date.UTC(2026, 5, 1, 18, 0);
/** The default access window: 15 minutes either side of the booking. */
const GRACE = 15 * MINUTE;
const SCAN = { name: 'scanner:front' };
const log = pino({ level: 'silent' });

let database: EdgeDatabase;
let clock: Clock;
let unlocked: { doorId: string; bookingId: string | null }[];
let alerts: AlertService;

function service(overrides: Partial<DoorAccessOptions> = {}): DoorAccessService {
  return new DoorAccessService({
    database,
    publicKey: venue.keys.publicKey,
    facilityId: () => venue.facilityId,
    unlock: async (doorId, context) => {
      unlocked.push({ doorId, bookingId: context.bookingId });
    },
    alerts,
    log,
    now: clock.now,
    ...overrides,
  });
}

const pin = (value: string) => ({ kind: 'pin' as const, pin: value });
const qr = (text: string) => ({ kind: 'qr_code' as const, text });
const lastAudit = () => auditSince(database.db, 0, 1)[0];

beforeEach(() => {
  database = openDatabase(':memory:');
  seedVenue(database, venue);
  clock = testClock(T0);
  unlocked = [];
  alerts = new AlertService(database, log, clock.now);
});
afterEach(() => database.close());

describe('the replica window decides a PIN to the millisecond', () => {
  const booking = () =>
    putBooking(database, venue, { start_time: T0 + 60 * MINUTE, end_time: T0 + 120 * MINUTE });

  it('refuses a PIN 1 ms before the window opens (15 minutes before the start)', () => {
    const b = booking();
    clock.set(b.start_time - GRACE - 1);
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN)).toMatchObject({
      decision: 'denied',
      reason: 'not_yet_valid',
      booking_id: b.id,
    });
  });

  it('admits a PIN at the first millisecond of the window', () => {
    const b = booking();
    clock.set(b.start_time - GRACE);
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN)).toMatchObject({
      decision: 'granted',
      reason: 'valid',
    });
  });

  it('admits a PIN at the last millisecond of the window (15 minutes after the end)', () => {
    const b = booking();
    clock.set(b.end_time + GRACE - 1);
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN).decision).toBe('granted');
  });

  it('refuses a PIN at the window end itself: the window is half-open', () => {
    const b = booking();
    clock.set(b.end_time + GRACE);
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN)).toMatchObject({
      decision: 'denied',
      reason: 'expired',
    });
  });

  it('uses the edge’s configured margins rather than the defaults', () => {
    const b = booking();
    const tight = service({ window: { beforeMinutes: 0, afterMinutes: 5 } });
    clock.set(b.start_time - 1);
    expect(tight.decide(DOORS.front, pin(b.access_code), SCAN).reason).toBe('not_yet_valid');
    clock.set(b.start_time);
    expect(tight.decide(DOORS.front, pin(b.access_code), SCAN).reason).toBe('valid');
    clock.set(b.end_time + 5 * MINUTE);
    expect(tight.decide(DOORS.front, pin(b.access_code), SCAN).reason).toBe('expired');
  });
});

describe('a QR whose booking moved: the replica window beats the token’s times', () => {
  it('refuses a still-signed QR 1 ms after the window of a booking shortened since it was issued', () => {
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 120 * MINUTE });
    const token = qrFor(venue, b);
    putBooking(database, venue, { ...b, end_time: T0 + 60 * MINUTE });
    const doors = service();
    clock.set(T0 + 60 * MINUTE + GRACE - 1);
    expect(doors.decide(DOORS.front, qr(token), SCAN).reason).toBe('valid');
    clock.set(T0 + 60 * MINUTE + GRACE);
    expect(doors.decide(DOORS.front, qr(token), SCAN)).toMatchObject({
      decision: 'denied',
      reason: 'expired',
      booking_id: b.id,
    });
  });

  it('refuses a still-signed QR 1 ms before the window of a booking moved later', () => {
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const token = qrFor(venue, b);
    putBooking(database, venue, { ...b, start_time: T0 + 30 * MINUTE, end_time: T0 + 90 * MINUTE });
    const doors = service();
    clock.set(T0 + 30 * MINUTE - GRACE - 1);
    expect(doors.decide(DOORS.front, qr(token), SCAN).reason).toBe('not_yet_valid');
    clock.set(T0 + 30 * MINUTE - GRACE);
    expect(doors.decide(DOORS.front, qr(token), SCAN).reason).toBe('valid');
  });

  it('trusts the signature alone for a booking the replica does not hold yet', () => {
    const b = {
      id: crypto.randomUUID(),
      simulator_id: venue.bays[0]!.id,
      start_time: T0,
      end_time: T0 + 60 * MINUTE,
    };
    const token = qrFor(venue, { ...b, status: 'confirmed', access_code: '', reference_code: '' });
    expect(service().decide(DOORS.front, qr(token), SCAN)).toMatchObject({
      reason: 'valid',
      booking_id: b.id,
    });
  });
});

describe('the order of the reasons, so each means one thing', () => {
  it('says not_configured before the facility is known or without any trusted key', () => {
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const token = qrFor(venue, b);
    expect(service({ facilityId: () => null }).decide(DOORS.front, qr(token), SCAN).reason).toBe(
      'not_configured',
    );
    expect(service({ publicKey: null }).decide(DOORS.front, qr(token), SCAN)).toMatchObject({
      reason: 'not_configured',
      booking_id: null,
    });
  });

  it('trusts the walk-in key beside the cloud’s, and calls a token neither signed forged', () => {
    const walkIn = generateSigningKeyPair();
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const token = issueAccessToken({
      secretKey: walkIn.secretKey,
      bookingId: b.id,
      facilityId: venue.facilityId,
      doors: [DOORS.front],
      start: b.start_time,
      end: b.end_time,
    }).token;
    expect(service({ walkInKey: () => walkIn.publicKey }).decide(DOORS.front, qr(token), SCAN).reason).toBe(
      'valid',
    );
    expect(service({ walkInKey: () => null }).decide(DOORS.front, qr(token), SCAN)).toMatchObject({
      reason: 'forged',
      booking_id: null,
    });
  });

  it('refuses a revoked booking before it looks at the status or the window', () => {
    const b = putBooking(database, venue, {
      start_time: T0 + 5 * 60 * MINUTE,
      end_time: T0 + 6 * 60 * MINUTE,
    });
    database.immediate(() =>
      upsertReplicaRow(database.db, 'revocation', {
        id: b.id,
        booking_id: b.id,
        revoked_at: T0,
        valid_until: T0 + 7 * 60 * MINUTE,
        reason: 'cancelled',
      } as never),
    );
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN).reason).toBe('revoked');
    expect(service().decide(DOORS.front, qr(qrFor(venue, b)), SCAN).reason).toBe('revoked');
    // A revocation past its valid_until is forgotten: the booking's own standing speaks again.
    clock.set(T0 + 7 * 60 * MINUTE);
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN).reason).toBe('expired');
  });

  it('names cancelled and no_show bookings, and treats an unknown status as cancelled', () => {
    const live = { start_time: T0, end_time: T0 + 60 * MINUTE };
    for (const [status, reason] of [
      ['cancelled', 'cancelled'],
      ['no_show', 'no_show'],
      ['archived', 'cancelled'],
    ] as const) {
      const b = putBooking(database, venue, { ...live, status });
      expect(service().decide(DOORS.front, pin(b.access_code), SCAN).reason, status).toBe(reason);
      expect(service().decide(DOORS.front, qr(qrFor(venue, b)), SCAN).reason, status).toBe(reason);
    }
  });

  it('admits every status that still holds or has held the bay: pending, confirmed, checked_in, completed', () => {
    for (const status of ['pending', 'confirmed', 'checked_in', 'completed']) {
      const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE, status });
      expect(service().decide(DOORS.front, pin(b.access_code), SCAN).reason, status).toBe('valid');
    }
  });

  it('opens a PIN at the entrance and its own bay’s door only', () => {
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    expect(service().decide(DOORS.front, pin(b.access_code), SCAN).reason).toBe('valid');
    expect(service().decide(DOORS.bay1, pin(b.access_code), SCAN).reason).toBe('valid');
    expect(service().decide(DOORS.bay2, pin(b.access_code), SCAN)).toMatchObject({
      reason: 'wrong_door',
      booking_id: b.id,
    });
  });

  it('says malformed for a PIN that is not six digits, and unknown for one no booking holds', () => {
    expect(service().decide(DOORS.front, pin('12ab56'), SCAN)).toMatchObject({
      reason: 'malformed',
      booking_id: null,
    });
    expect(service().decide(DOORS.front, pin('000000'), SCAN)).toMatchObject({
      reason: 'unknown',
      booking_id: null,
    });
  });
});

describe('two bookings sharing a PIN: the scan means the one whose window holds now', () => {
  it('picks the booking in its window over an earlier or later one with the same PIN', () => {
    const early = putBooking(database, venue, {
      start_time: T0 - 3 * 60 * MINUTE,
      end_time: T0 - 2 * 60 * MINUTE,
    });
    const now = putBooking(database, venue, {
      start_time: T0,
      end_time: T0 + 60 * MINUTE,
      access_code: early.access_code,
    });
    putBooking(database, venue, {
      start_time: T0 + 3 * 60 * MINUTE,
      end_time: T0 + 4 * 60 * MINUTE,
      access_code: early.access_code,
    });
    expect(service().decide(DOORS.front, pin(early.access_code), SCAN)).toMatchObject({
      reason: 'valid',
      booking_id: now.id,
    });
  });

  it('outside every window, names the nearest: expired for a just-ended one, not_yet_valid for a close next one', () => {
    const ended = putBooking(database, venue, { start_time: T0 - 90 * MINUTE, end_time: T0 - 30 * MINUTE });
    const next = putBooking(database, venue, {
      start_time: T0 + 60 * MINUTE,
      end_time: T0 + 120 * MINUTE,
      access_code: ended.access_code,
    });
    // Now is 15 min past the end of `ended`'s window, 45 min before `next`'s opens.
    expect(service().decide(DOORS.front, pin(ended.access_code), SCAN)).toMatchObject({
      reason: 'expired',
      booking_id: ended.id,
    });
    // 10 min before `next`'s window, 35 min after `ended`'s.
    clock.set(T0 + 35 * MINUTE);
    expect(service().decide(DOORS.front, pin(ended.access_code), SCAN)).toMatchObject({
      reason: 'not_yet_valid',
      booking_id: next.id,
    });
  });

  it('at equal distance, the booking whose window just ended counts as 1 ms further than one about to open', () => {
    // `ended`'s window ends at T0 (now is its first millisecond out), `next`'s opens 1 ms from now.
    const ended = putBooking(database, venue, { start_time: T0 - 60 * MINUTE - GRACE, end_time: T0 - GRACE });
    const next = putBooking(database, venue, {
      start_time: T0 + 1 + GRACE,
      end_time: T0 + 60 * MINUTE,
      access_code: ended.access_code,
    });
    expect(service().decide(DOORS.front, pin(ended.access_code), SCAN).booking_id).toBe(next.id);
  });

  it('prefers a live booking over a cancelled one for the same window, whichever the replica lists first', () => {
    const live = { start_time: T0, end_time: T0 + 60 * MINUTE };
    const cancelled = putBooking(database, venue, { ...live, status: 'cancelled' });
    const kept = putBooking(database, venue, { ...live, access_code: cancelled.access_code });
    const missed = putBooking(database, venue, {
      ...live,
      status: 'no_show',
      access_code: cancelled.access_code,
    });
    const decision = service().decide(DOORS.front, pin(cancelled.access_code), SCAN);
    expect(decision).toMatchObject({ reason: 'valid', booking_id: kept.id });
    expect(decision.booking_id).not.toBe(missed.id);
  });
});

describe('a live booking and a cancelled or missed one sharing a PIN over the same window', () => {
  const live = { start_time: T0, end_time: T0 + 60 * MINUTE };
  for (const status of ['cancelled', 'no_show'] as const) {
    it(`opens for the live booking whether the ${status} one is listed before or after it`, () => {
      const deadFirst = putBooking(database, venue, { ...live, status, access_code: '100001' });
      const liveSecond = putBooking(database, venue, { ...live, access_code: '100001' });
      const liveFirst = putBooking(database, venue, { ...live, access_code: '200002' });
      putBooking(database, venue, { ...live, status, access_code: '200002' });
      expect(service().decide(DOORS.front, pin('100001'), SCAN)).toMatchObject({
        reason: 'valid',
        booking_id: liveSecond.id,
      });
      expect(service().decide(DOORS.front, pin('200002'), SCAN)).toMatchObject({
        reason: 'valid',
        booking_id: liveFirst.id,
      });
      expect(deadFirst.status).toBe(status);
    });
  }

  it('counts every booking whose window holds now as equally near, however late its window ends', () => {
    // Inside a window the distance is 0, not "how soon it ends": the live booking ending sooner wins
    // the tie over the cancelled one whose window outlasts it.
    const kept = putBooking(database, venue, {
      start_time: T0,
      end_time: T0 + 15 * MINUTE,
      access_code: '300003',
    });
    putBooking(database, venue, {
      start_time: T0,
      end_time: T0 + 120 * MINUTE,
      status: 'cancelled',
      access_code: '300003',
    });
    expect(service().decide(DOORS.front, pin('300003'), SCAN)).toMatchObject({
      reason: 'valid',
      booking_id: kept.id,
    });
  });
});

describe('what a decision records and what a grant does', () => {
  it('audits and queues each decision with a credential reference that never holds the PIN or token', () => {
    const b = putBooking(database, venue, {
      start_time: T0,
      end_time: T0 + 60 * MINUTE,
      access_code: '482913',
    });
    const token = qrFor(venue, b);
    const doors = service();
    doors.decide(DOORS.front, pin('482913'), { name: 'kiosk' });
    expect(lastAudit()).toMatchObject({
      at: T0,
      kind: 'door.decision',
      actor: 'kiosk',
      subject: DOORS.front,
      decision: 'granted',
      reason: 'valid',
      details: { door_id: DOORS.front, booking_id: b.id, credential: 'pin', credential_ref: 'pin:**13' },
    });
    expect(lastAudit()?.details).not.toHaveProperty('scanner_id');
    doors.decide(DOORS.front, qr(` ${token} `), { name: 'scanner:front', scannerId: 'front' });
    const ref = `qr:${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
    expect(lastAudit()?.details).toMatchObject({
      credential: 'qr_code',
      credential_ref: ref,
      scanner_id: 'front',
    });
    const queued = pendingBatch(database.db, 10).filter((e) => e.type === 'door.decision');
    expect(queued.map((e) => e.payload)).toEqual([
      {
        door_id: DOORS.front,
        decision: 'granted',
        reason: 'valid',
        booking_id: b.id,
        credential: 'pin',
        decided_at: new Date(T0).toISOString(),
      },
      expect.objectContaining({ credential: 'qr_code', scanner_id: 'front' }),
    ]);
  });

  it('unlocks the door once for a grant and never for a denial', async () => {
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const doors = service();
    expect(await doors.open(DOORS.front, pin('000000'), SCAN)).toMatchObject({
      outcome: 'denied',
      unlock_error: null,
    });
    expect(unlocked).toEqual([]);
    expect(await doors.open(DOORS.bay1, pin(b.access_code), SCAN)).toMatchObject({
      outcome: 'granted',
      unlock_error: null,
      booking_id: b.id,
    });
    expect(unlocked).toEqual([{ doorId: DOORS.bay1, bookingId: b.id }]);
    expect(alerts.list(true)).toEqual([]);
  });

  it('reports granted_unlock_failed, audits it and raises an alert when UniFi refuses or is absent', async () => {
    const b = putBooking(database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const failing = service({
      unlock: async () => {
        throw new Error('controller offline');
      },
    });
    expect(await failing.open(DOORS.front, pin(b.access_code), SCAN)).toMatchObject({
      decision: 'granted',
      outcome: 'granted_unlock_failed',
      unlock_error: 'controller offline',
    });
    expect(lastAudit()).toMatchObject({
      kind: 'door.unlock_failed',
      actor: SCAN.name,
      subject: DOORS.front,
      decision: 'granted',
      reason: 'unlock_failed',
      details: { booking_id: b.id, error: 'controller offline' },
    });
    expect(alerts.list(true)).toEqual([
      expect.objectContaining({
        dedupe_key: `door_unlock_failed:${DOORS.front}`,
        kind: 'door_unlock_failed',
        severity: 'warning',
        subject: DOORS.front,
        message: expect.stringContaining('controller offline'),
      }),
    ]);
    const bare = service({
      unlock: async () => {
        throw 'socket hang up';
      },
    });
    expect((await bare.open(DOORS.front, pin(b.access_code), SCAN)).unlock_error).toBe('socket hang up');
    const none = service({ unlock: null });
    expect(await none.open(DOORS.front, pin(b.access_code), SCAN)).toMatchObject({
      outcome: 'granted_unlock_failed',
      unlock_error: 'no UniFi Access controller is configured on this edge',
    });
  });
});
