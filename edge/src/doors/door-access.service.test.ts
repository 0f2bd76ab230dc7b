import path from 'node:path';
import { generateSigningKeyPair, issueAccessToken, signAccessToken } from '@clubos/shared/credentials';
import { DoorScannerAgent } from '@clubos/simulators/devices/door-scanner.agent';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditSince } from '../audit/audit.repository.js';
import { pendingBatch } from '../sync/outbox.repository.js';
import { upsertReplicaRow } from '../sync/replica.repository.js';
import {
  type ControlHarness,
  DOORS,
  MINUTE,
  newVenue,
  putBooking,
  qrFor,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import { type SimulatorProcess, startSimulatorProcess } from '../testing/simulator-process.js';
import { tempDir } from '../testing/sync-harness.js';
import { UnifiAccessClient } from './unifi-access.client.js';

interface Unlock {
  door_id: string;
  result: string;
}

let unifi: SimulatorProcess;
const venue = newVenue();
const T0 = Date.UTC(2026, 5, 1, 18, 0);
const clock = testClock(T0);
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;
let scanner: DoorScannerAgent;

const unlocks = async () => (await unifi.control<{ unlocks: Unlock[] }>('GET', '/unlocks')).unlocks;
const lastAudit = () => auditSince(edge.database.db, 0, 1)[0];

beforeAll(async () => {
  unifi = await startSimulatorProcess('unifi', ['--token', 'edge-token']);
});
afterAll(async () => {
  await unifi.stop();
});

beforeEach(async () => {
  dir = tempDir('edge-doors-');
  clock.set(T0);
  edge = await startControlHarness({
    file: path.join(dir.dir, 'edge.sqlite'),
    venue,
    clock,
    // No cloud anywhere in this harness: every decision below is made offline.
    unifi: new UnifiAccessClient({
      baseUrl: unifi.info.url!,
      token: 'edge-token',
      timeoutMs: 1_000,
      retry: { retries: 0 },
    }),
  });
  const login = edge.control.devices.register('door_scanner', DOORS.front, 'front-scanner');
  scanner = new DoorScannerAgent({
    brokerUrl: edge.mqttUrl,
    facilityId: venue.facilityId,
    doorId: DOORS.front,
    scannerId: 'front-scanner',
    username: login.username,
    password: login.password,
  });
  await scanner.start();
});

afterEach(async () => {
  await scanner.stop();
  await edge.close();
  await unifi.control('POST', '/faults', { reset: true });
  dir.cleanup();
});

describe('door decisions over MQTT, with the cloud unreachable', () => {
  it('opens the door for a valid QR inside its window: audit, outbox and the unlock at UniFi', async () => {
    const booking = putBooking(edge.database, venue, {
      start_time: T0 + 5 * MINUTE,
      end_time: T0 + 65 * MINUTE,
    });
    const before = (await unlocks()).length;
    const result = await scanner.scan(qrFor(venue, booking));
    expect(result).toMatchObject({ decision: 'granted', reason: 'valid', booking_id: booking.id });
    const after = await unlocks();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ door_id: DOORS.front, result: 'unlocked' });
    expect(lastAudit()).toMatchObject({
      kind: 'door.decision',
      subject: DOORS.front,
      decision: 'granted',
      reason: 'valid',
      actor: 'scanner:front-scanner',
    });
    expect(lastAudit()?.details).toMatchObject({ booking_id: booking.id, credential: 'qr_code' });
    const events = pendingBatch(edge.database.db, 10).filter((e) => e.type === 'door.decision');
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      door_id: DOORS.front,
      decision: 'granted',
      reason: 'valid',
      booking_id: booking.id,
    });
  });

  it('keeps the door shut for each invalid case, each with its reason in the audit log', async () => {
    const other = generateSigningKeyPair();
    const live = { start_time: T0 + 5 * MINUTE, end_time: T0 + 65 * MINUTE };
    const later = putBooking(edge.database, venue, {
      start_time: T0 + 3 * 60 * MINUTE,
      end_time: T0 + 4 * 60 * MINUTE,
    });
    const past = putBooking(edge.database, venue, {
      start_time: T0 - 3 * 60 * MINUTE,
      end_time: T0 - 2 * 60 * MINUTE,
    });
    const bay2 = putBooking(edge.database, venue, { ...live, simulator_id: venue.bays[1]!.id });
    const cancelled = putBooking(edge.database, venue, { ...live, status: 'cancelled' });
    const valid = putBooking(edge.database, venue, live);
    const forged = issueAccessToken({
      secretKey: other.secretKey,
      bookingId: valid.id,
      facilityId: venue.facilityId,
      doors: [DOORS.front],
      start: live.start_time,
      end: live.end_time,
    }).token;
    const elsewhere = signAccessToken(
      {
        v: 1,
        booking_id: valid.id,
        facility_id: '11111111-1111-4111-8111-111111111111',
        doors: [DOORS.front],
        bay_id: null,
        nbf: Math.floor(T0 / 1000) - 60,
        exp: Math.floor(T0 / 1000) + 3600,
      },
      venue.keys.secretKey,
    );
    const cases: [string, string][] = [
      ['not_yet_valid', qrFor(venue, later)],
      ['expired', qrFor(venue, past)],
      ['wrong_door', qrFor(venue, bay2, [venue.bays[1]!.door])],
      ['forged', forged],
      ['malformed', 'https://example.com/not-a-token'],
      ['wrong_facility', elsewhere],
      ['cancelled', qrFor(venue, cancelled)],
      ['unknown', '000000'],
    ];
    const before = (await unlocks()).length;
    for (const [reason, text] of cases) {
      const result = await scanner.scan(text);
      expect(result, reason).toMatchObject({ decision: 'denied', reason });
      expect(lastAudit(), reason).toMatchObject({
        kind: 'door.decision',
        decision: 'denied',
        reason,
        subject: DOORS.front,
      });
    }
    expect(await unlocks()).toHaveLength(before);
    const reasons = pendingBatch(edge.database.db, 50).map((e) => e.payload.reason);
    expect(reasons).toEqual(cases.map(([r]) => r));
  });

  it('refuses a cancelled booking QR once its revocation has synced, though its signature is valid', async () => {
    const booking = putBooking(edge.database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const qr = qrFor(venue, booking);
    expect(await scanner.scan(qr)).toMatchObject({ decision: 'granted' });
    // What the change feed applies on a cancellation: the revocation row (status may lag behind).
    edge.database.immediate(() =>
      upsertReplicaRow(edge.database.db, 'revocation', {
        id: booking.id,
        booking_id: booking.id,
        revoked_at: T0 + MINUTE,
        valid_until: T0 + 75 * MINUTE,
        reason: 'cancelled',
      } as never),
    );
    clock.advance(2 * MINUTE);
    expect(await scanner.scan(qr)).toMatchObject({
      decision: 'denied',
      reason: 'revoked',
      booking_id: booking.id,
    });
    expect(lastAudit()).toMatchObject({ decision: 'denied', reason: 'revoked' });
  });

  it('uses the replica window when the booking moved after its QR was issued', async () => {
    const booking = putBooking(edge.database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    const qr = qrFor(venue, booking);
    putBooking(edge.database, venue, {
      ...booking,
      start_time: T0 + 3 * 60 * MINUTE,
      end_time: T0 + 4 * 60 * MINUTE,
    });
    expect(await scanner.scan(qr)).toMatchObject({ decision: 'denied', reason: 'not_yet_valid' });
  });

  it('admits a six-digit PIN at a door it covers, and refuses it at another bay', async () => {
    const booking = putBooking(edge.database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    expect(await scanner.scan(booking.access_code)).toMatchObject({
      decision: 'granted',
      reason: 'valid',
      booking_id: booking.id,
    });
    const atBay2 = edge.control.doors.decide(
      venue.bays[1]!.door,
      { kind: 'pin', pin: booking.access_code },
      { name: 'test' },
    );
    expect(atBay2).toMatchObject({ decision: 'denied', reason: 'wrong_door' });
    expect(lastAudit()?.details).toMatchObject({
      credential: 'pin',
      credential_ref: `pin:**${booking.access_code.slice(-2)}`,
    });
  });

  it('logs the grant and tells the scanner when UniFi is unreachable, and never retries the unlock', async () => {
    const booking = putBooking(edge.database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    await unifi.control('POST', '/faults', { down: 'close' });
    const result = await scanner.scan(qrFor(venue, booking));
    expect(result).toMatchObject({
      decision: 'denied',
      reason: 'granted_unlock_failed',
      booking_id: booking.id,
    });
    const audit = auditSince(edge.database.db, 0, 5);
    expect(audit.map((a) => [a.kind, a.decision, a.reason])).toEqual([
      ['door.unlock_failed', 'granted', 'unlock_failed'],
      ['door.decision', 'granted', 'valid'],
    ]);
    expect(pendingBatch(edge.database.db, 10).filter((e) => e.type === 'door.decision')).toHaveLength(1);
    expect(edge.control.alerts.list(true).map((a) => a.kind)).toContain('door_unlock_failed');
    await unifi.control('POST', '/faults', { reset: true });
    const before = (await unlocks()).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(await unlocks()).toHaveLength(before);
  });

  it('answers a malformed scan message with a denial instead of crashing the handler', async () => {
    const kiosk = edge.control.doors.decide(DOORS.front, { kind: 'qr_code', text: '' }, { name: 'kiosk:1' });
    expect(kiosk).toMatchObject({ decision: 'denied', reason: 'malformed' });
    const booking = putBooking(edge.database, venue, { start_time: T0, end_time: T0 + 60 * MINUTE });
    expect(await scanner.scan(qrFor(venue, booking))).toMatchObject({ decision: 'granted' });
  });
});
