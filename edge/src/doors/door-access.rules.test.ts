import { generateSigningKeyPair, issueAccessToken } from '@clubos/shared/credentials';
import { describe, expect, it } from 'vitest';
import { upsertReplicaRow } from '../sync/replica.repository.js';
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
 * The rules a door decision follows, through DoorAccessService on an in-memory replica: the window
 * edges to the millisecond, a moved booking's window over its token's times, and the order of the reasons.
 */
const door = doorRulesWorld();
describe('the replica window decides a PIN to the millisecond', () => {
  const booking = () =>
    putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 + 60 * MINUTE,
      end_time: DOOR_T0 + 120 * MINUTE,
    });

  it('refuses a PIN 1 ms before the window opens (15 minutes before the start)', () => {
    const b = booking();
    door.clock.set(b.start_time - DOOR_GRACE - 1);
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER)).toMatchObject({
      decision: 'denied',
      reason: 'not_yet_valid',
      booking_id: b.id,
    });
  });

  it('admits a PIN at the first millisecond of the window', () => {
    const b = booking();
    door.clock.set(b.start_time - DOOR_GRACE);
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER)).toMatchObject({
      decision: 'granted',
      reason: 'valid',
    });
  });

  it('admits a PIN at the last millisecond of the window (15 minutes after the end)', () => {
    const b = booking();
    door.clock.set(b.end_time + DOOR_GRACE - 1);
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER).decision).toBe('granted');
  });

  it('refuses a PIN at the window end itself: the window is half-open', () => {
    const b = booking();
    door.clock.set(b.end_time + DOOR_GRACE);
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER)).toMatchObject({
      decision: 'denied',
      reason: 'expired',
    });
  });

  it('uses the edge’s configured margins rather than the defaults', () => {
    const b = booking();
    const tight = door.service({ window: { beforeMinutes: 0, afterMinutes: 5 } });
    door.clock.set(b.start_time - 1);
    expect(tight.decide(DOORS.front, pinScan(b.access_code), SCANNER).reason).toBe('not_yet_valid');
    door.clock.set(b.start_time);
    expect(tight.decide(DOORS.front, pinScan(b.access_code), SCANNER).reason).toBe('valid');
    door.clock.set(b.end_time + 5 * MINUTE);
    expect(tight.decide(DOORS.front, pinScan(b.access_code), SCANNER).reason).toBe('expired');
  });
});

describe('a QR whose booking moved: the replica window beats the token’s times', () => {
  it('refuses a still-signed QR 1 ms after the window of a booking shortened since it was issued', () => {
    const b = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0,
      end_time: DOOR_T0 + 120 * MINUTE,
    });
    const token = qrFor(DOOR_VENUE, b);
    putBooking(door.database, DOOR_VENUE, { ...b, end_time: DOOR_T0 + 60 * MINUTE });
    const doors = door.service();
    door.clock.set(DOOR_T0 + 60 * MINUTE + DOOR_GRACE - 1);
    expect(doors.decide(DOORS.front, qrScan(token), SCANNER).reason).toBe('valid');
    door.clock.set(DOOR_T0 + 60 * MINUTE + DOOR_GRACE);
    expect(doors.decide(DOORS.front, qrScan(token), SCANNER)).toMatchObject({
      decision: 'denied',
      reason: 'expired',
      booking_id: b.id,
    });
  });

  it('refuses a still-signed QR 1 ms before the window of a booking moved later', () => {
    const b = putBooking(door.database, DOOR_VENUE, { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE });
    const token = qrFor(DOOR_VENUE, b);
    putBooking(door.database, DOOR_VENUE, {
      ...b,
      start_time: DOOR_T0 + 30 * MINUTE,
      end_time: DOOR_T0 + 90 * MINUTE,
    });
    const doors = door.service();
    door.clock.set(DOOR_T0 + 30 * MINUTE - DOOR_GRACE - 1);
    expect(doors.decide(DOORS.front, qrScan(token), SCANNER).reason).toBe('not_yet_valid');
    door.clock.set(DOOR_T0 + 30 * MINUTE - DOOR_GRACE);
    expect(doors.decide(DOORS.front, qrScan(token), SCANNER).reason).toBe('valid');
  });

  it('trusts the signature alone for a booking the replica does not hold yet', () => {
    const b = {
      id: crypto.randomUUID(),
      simulator_id: DOOR_VENUE.bays[0]!.id,
      start_time: DOOR_T0,
      end_time: DOOR_T0 + 60 * MINUTE,
    };
    const token = qrFor(DOOR_VENUE, { ...b, status: 'confirmed', access_code: '', reference_code: '' });
    expect(door.service().decide(DOORS.front, qrScan(token), SCANNER)).toMatchObject({
      reason: 'valid',
      booking_id: b.id,
    });
  });
});

describe('the order of the reasons, so each means one thing', () => {
  it('says not_configured before the facility is known or without any trusted key', () => {
    const b = putBooking(door.database, DOOR_VENUE, { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE });
    const token = qrFor(DOOR_VENUE, b);
    expect(door.service({ facilityId: () => null }).decide(DOORS.front, qrScan(token), SCANNER).reason).toBe(
      'not_configured',
    );
    expect(door.service({ publicKey: null }).decide(DOORS.front, qrScan(token), SCANNER)).toMatchObject({
      reason: 'not_configured',
      booking_id: null,
    });
  });

  it('trusts the walk-in key beside the cloud’s, and calls a token neither signed forged', () => {
    const walkIn = generateSigningKeyPair();
    const b = putBooking(door.database, DOOR_VENUE, { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE });
    const token = issueAccessToken({
      secretKey: walkIn.secretKey,
      bookingId: b.id,
      facilityId: DOOR_VENUE.facilityId,
      doors: [DOORS.front],
      start: b.start_time,
      end: b.end_time,
    }).token;
    expect(
      door.service({ walkInKey: () => walkIn.publicKey }).decide(DOORS.front, qrScan(token), SCANNER).reason,
    ).toBe('valid');
    expect(door.service({ walkInKey: () => null }).decide(DOORS.front, qrScan(token), SCANNER)).toMatchObject(
      {
        reason: 'forged',
        booking_id: null,
      },
    );
  });

  it('refuses a revoked booking before it looks at the status or the window', () => {
    const b = putBooking(door.database, DOOR_VENUE, {
      start_time: DOOR_T0 + 5 * 60 * MINUTE,
      end_time: DOOR_T0 + 6 * 60 * MINUTE,
    });
    door.database.immediate(() =>
      upsertReplicaRow(door.database.db, 'revocation', {
        id: b.id,
        booking_id: b.id,
        revoked_at: DOOR_T0,
        valid_until: DOOR_T0 + 7 * 60 * MINUTE,
        reason: 'cancelled',
      } as never),
    );
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER).reason).toBe('revoked');
    expect(door.service().decide(DOORS.front, qrScan(qrFor(DOOR_VENUE, b)), SCANNER).reason).toBe('revoked');
    // A revocation past its valid_until is forgotten: the booking's own standing speaks again.
    door.clock.set(DOOR_T0 + 7 * 60 * MINUTE);
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER).reason).toBe('expired');
  });

  it('names cancelled and no_show bookings, and treats an unknown status as cancelled', () => {
    const live = { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE };
    for (const [status, reason] of [
      ['cancelled', 'cancelled'],
      ['no_show', 'no_show'],
      ['archived', 'cancelled'],
    ] as const) {
      const b = putBooking(door.database, DOOR_VENUE, { ...live, status });
      expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER).reason, status).toBe(reason);
      expect(door.service().decide(DOORS.front, qrScan(qrFor(DOOR_VENUE, b)), SCANNER).reason, status).toBe(
        reason,
      );
    }
  });

  it('admits every status that still holds or has held the bay: pending, confirmed, checked_in, completed', () => {
    for (const status of ['pending', 'confirmed', 'checked_in', 'completed']) {
      const b = putBooking(door.database, DOOR_VENUE, {
        start_time: DOOR_T0,
        end_time: DOOR_T0 + 60 * MINUTE,
        status,
      });
      expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER).reason, status).toBe(
        'valid',
      );
    }
  });

  it('opens a PIN at the entrance and its own bay’s door only', () => {
    const b = putBooking(door.database, DOOR_VENUE, { start_time: DOOR_T0, end_time: DOOR_T0 + 60 * MINUTE });
    expect(door.service().decide(DOORS.front, pinScan(b.access_code), SCANNER).reason).toBe('valid');
    expect(door.service().decide(DOORS.bay1, pinScan(b.access_code), SCANNER).reason).toBe('valid');
    expect(door.service().decide(DOORS.bay2, pinScan(b.access_code), SCANNER)).toMatchObject({
      reason: 'wrong_door',
      booking_id: b.id,
    });
  });

  it('says malformed for a PIN that is not six digits, and unknown for one no booking holds', () => {
    expect(door.service().decide(DOORS.front, pinScan('12ab56'), SCANNER)).toMatchObject({
      reason: 'malformed',
      booking_id: null,
    });
    expect(door.service().decide(DOORS.front, pinScan('000000'), SCANNER)).toMatchObject({
      reason: 'unknown',
      booking_id: null,
    });
  });
});
