import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ControlHarness,
  DOORS,
  MINUTE,
  newVenue,
  putBooking,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import { type SimulatorProcess, startSimulatorProcess } from '../testing/simulator-process.js';
import { tempDir } from '../testing/sync-harness.js';
import { visitorOf } from './provisioning.repository.js';
import { UnifiAccessClient } from './unifi-access.client.js';
import type { UnifiProvisioningService } from './unifi-provisioning.service.js';

let unifi: SimulatorProcess;
const venue = newVenue();
const T0 = Date.UTC(2026, 5, 1, 18, 0);
const clock = testClock(T0);
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;
let client: UnifiAccessClient;
let provisioning: UnifiProvisioningService;

const sec = (ms: number) => Math.floor(ms / 1000);
const visitorCreates = async () =>
  (await unifi.control<{ requests: { method: string; path: string }[] }>('GET', '/requests')).requests.filter(
    (r) => r.method === 'POST' && r.path.endsWith('/visitors'),
  ).length;
const pinAt = (door: string, pin: string, atMs: number) =>
  unifi.control<{ result: string; reason: string }>('POST', `/doors/${door}/pin`, { pin, at: sec(atMs) });

beforeAll(async () => {
  unifi = await startSimulatorProcess('unifi', ['--token', 'edge-token']);
  client = new UnifiAccessClient({
    baseUrl: unifi.info.url!,
    token: 'edge-token',
    timeoutMs: 1_000,
    retry: { retries: 0 },
  });
});
afterAll(async () => {
  await unifi.stop();
});
beforeEach(async () => {
  dir = tempDir('edge-provision-');
  clock.set(T0);
  edge = await startControlHarness({ file: path.join(dir.dir, 'edge.sqlite'), venue, clock, unifi: client });
  provisioning = edge.control.provisioning!;
});
afterEach(async () => {
  await edge.close();
  await unifi.control('POST', '/faults', { reset: true });
  dir.cleanup();
});

describe('UniFi provisioning of bookings as visitors', () => {
  it('creates a time-windowed visitor with the PIN on the entrance and the bay door', async () => {
    const booking = putBooking(edge.database, venue, {
      start_time: T0 + 60 * MINUTE,
      end_time: T0 + 120 * MINUTE,
    });
    await provisioning.run();
    const row = visitorOf(edge.database.db, booking.id)!;
    expect(row).toMatchObject({ state: 'synced', have_pin: booking.access_code });
    const visitor = await client.getVisitor(row.visitor_id!);
    expect(visitor).toMatchObject({ start_time: sec(T0 + 45 * MINUTE), end_time: sec(T0 + 135 * MINUTE) });
    expect(visitor.resources.map((r) => r.id).sort()).toEqual([DOORS.front, DOORS.bay1].sort());
    expect(await pinAt(DOORS.front, booking.access_code, T0 + 50 * MINUTE)).toMatchObject({
      result: 'ACCESS',
    });
    expect(await pinAt(DOORS.bay2, booking.access_code, T0 + 50 * MINUTE)).toMatchObject({
      result: 'BLOCKED',
      reason: 'door_not_assigned',
    });
    // Nothing changed: a second run sends nothing.
    await provisioning.run();
    expect(visitorOf(edge.database.db, booking.id)?.updated_at).toBe(row.updated_at);
  });

  it('moves the visitor when the booking moves, and removes it when the booking is cancelled', async () => {
    const booking = putBooking(edge.database, venue, {
      start_time: T0 + 60 * MINUTE,
      end_time: T0 + 120 * MINUTE,
    });
    await provisioning.run();
    const visitorId = visitorOf(edge.database.db, booking.id)!.visitor_id!;
    putBooking(edge.database, venue, {
      ...booking,
      start_time: T0 + 300 * MINUTE,
      end_time: T0 + 360 * MINUTE,
    });
    await provisioning.run();
    expect(visitorOf(edge.database.db, booking.id)).toMatchObject({ visitor_id: visitorId, state: 'synced' });
    expect(await client.getVisitor(visitorId)).toMatchObject({
      start_time: sec(T0 + 285 * MINUTE),
      end_time: sec(T0 + 375 * MINUTE),
    });
    expect(await pinAt(DOORS.front, booking.access_code, T0 + 50 * MINUTE)).toMatchObject({
      result: 'BLOCKED',
      reason: 'before_window',
    });
    expect(await pinAt(DOORS.front, booking.access_code, T0 + 290 * MINUTE)).toMatchObject({
      result: 'ACCESS',
    });

    putBooking(edge.database, venue, {
      ...booking,
      start_time: T0 + 300 * MINUTE,
      end_time: T0 + 360 * MINUTE,
      status: 'cancelled',
    });
    await provisioning.run();
    expect(visitorOf(edge.database.db, booking.id)).toMatchObject({ wanted: 'absent', state: 'synced' });
    expect((await client.getVisitor(visitorId)).status).toBe('CANCELLED');
    expect(await pinAt(DOORS.front, booking.access_code, T0 + 290 * MINUTE)).toMatchObject({
      result: 'BLOCKED',
      reason: 'visitor_cancelled',
    });
  });

  it('adopts the visitor of a create whose answer was lost instead of making a second one', async () => {
    const booking = putBooking(edge.database, venue, {
      start_time: T0 + 60 * MINUTE,
      end_time: T0 + 120 * MINUTE,
    });
    const createsSoFar = await visitorCreates();
    // UniFi creates the visitor, then the connection drops before the edge reads the answer.
    await unifi.control('POST', '/drop-responses', { method: 'POST', path: '/visitors' });
    await provisioning.run();
    const lost = visitorOf(edge.database.db, booking.id)!;
    expect(lost).toMatchObject({ state: 'pending', attempts: 1, visitor_id: null });
    const ours = async () =>
      (await client.searchVisitors('Ada')).filter((v) => v.remarks === `ClubOS booking ${booking.id}`);
    expect(await ours()).toHaveLength(1);

    clock.set(lost.next_attempt_at);
    await provisioning.run();
    const row = visitorOf(edge.database.db, booking.id)!;
    const [only, ...more] = await ours();
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ state: 'synced', visitor_id: only!.id, have_pin: booking.access_code });
    expect(await visitorCreates()).toBe(createsSoFar + 1);
    expect(await pinAt(DOORS.front, booking.access_code, T0 + 50 * MINUTE)).toMatchObject({
      result: 'ACCESS',
    });
  });

  it('queues the work while UniFi is down and retries it after the backoff', async () => {
    const booking = putBooking(edge.database, venue, {
      start_time: T0 + 60 * MINUTE,
      end_time: T0 + 120 * MINUTE,
    });
    await unifi.control('POST', '/faults', { down: 'close' });
    await provisioning.run();
    const queued = visitorOf(edge.database.db, booking.id)!;
    expect(queued).toMatchObject({ state: 'pending', attempts: 1, visitor_id: null });
    expect(queued.last_error).toMatch(/(search|create)Visitors?:/);
    await unifi.control('POST', '/faults', { reset: true });
    clock.set(queued.next_attempt_at - 1);
    await provisioning.run();
    expect(visitorOf(edge.database.db, booking.id)?.state).toBe('pending');
    clock.set(queued.next_attempt_at);
    await provisioning.run();
    expect(visitorOf(edge.database.db, booking.id)).toMatchObject({
      state: 'synced',
      have_pin: booking.access_code,
    });
  });
  it('provisions again the visitors a controller lost (reset or tidied by hand), and only those', async () => {
    const kept = putBooking(edge.database, venue, {
      start_time: T0 + 60 * MINUTE,
      end_time: T0 + 120 * MINUTE,
    });
    const lost = putBooking(edge.database, venue, {
      start_time: T0 + 180 * MINUTE,
      end_time: T0 + 240 * MINUTE,
      simulator_id: venue.bays[1]!.id,
    });
    await provisioning.run();
    const keptVisitor = visitorOf(edge.database.db, kept.id)!.visitor_id!;
    const lostVisitor = visitorOf(edge.database.db, lost.id)!.visitor_id!;
    expect(await provisioning.verifyController()).toBe(0);

    await client.deleteVisitor(lostVisitor, { force: true });
    expect(await pinAt(DOORS.front, lost.access_code, T0 + 190 * MINUTE)).not.toMatchObject({
      result: 'ACCESS',
    });
    expect(await provisioning.verifyController()).toBe(1);
    await provisioning.run();

    const again = visitorOf(edge.database.db, lost.id)!;
    expect(again).toMatchObject({ state: 'synced', have_pin: lost.access_code });
    expect(again.visitor_id).not.toBe(lostVisitor);
    expect(visitorOf(edge.database.db, kept.id)!.visitor_id).toBe(keptVisitor);
    expect(await pinAt(DOORS.front, lost.access_code, T0 + 190 * MINUTE)).toMatchObject({ result: 'ACCESS' });
    expect(await provisioning.verifyController()).toBe(0);
  });
});
