import path from 'node:path';
import type { BayStateMessage } from '@clubos/shared/mqtt';
import { BayDeviceAgent } from '@clubos/simulators/devices/bay-device.agent';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ninjaJobByKey } from '../bays/ninja-job.repository.js';
import { bookingById } from '../bookings/booking.repository.js';
import { readDeviceStatus } from '../broker/device.repository.js';
import { pendingBatch } from '../sync/outbox.repository.js';
import {
  type ControlHarness,
  MINUTE,
  newVenue,
  putBooking,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import {
  ninjaOneClientOf,
  type SimulatorProcess,
  startSimulatorProcess,
} from '../testing/simulator-process.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { allStepsOf } from './session.repository.js';

interface Run {
  deviceId: number;
  scriptId: number;
  parameters: string;
}
const PREP = 501;
const CLEANUP = 502;

let ninja: SimulatorProcess;
const venue = newVenue();
const bay = venue.bays[0]!;
const T0 = Date.UTC(2026, 5, 1, 18, 0);
const clock = testClock(T0);
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;
let agent: BayDeviceAgent;
/** Commands the bay applied, in order, as `type` (from its state after each). */
let applied: string[];

const runs = async () => (await ninja.control<{ runs: Run[] }>('GET', '/runs')).runs;
const faults = (spec: unknown) => ninja.control('POST', '/faults', spec);
const ninjaClient = () => ninjaOneClientOf(ninja, { timeoutMs: 1_000 });

async function startEdge(mqttPort = 0): Promise<ControlHarness> {
  return startControlHarness({
    file: path.join(dir.dir, 'edge.sqlite'),
    venue,
    clock,
    ninjaone: ninjaClient(),
    mqttPort,
  });
}

/** One automation pass at the current test clock, then the NinjaOne queue. */
async function tick(): Promise<void> {
  await edge.control.sessions.tick();
  await edge.control.ninjaJobs?.runDue();
}

beforeAll(async () => {
  ninja = await startSimulatorProcess('ninjaone', ['--script-delay', '20']);
});
afterAll(async () => {
  await ninja.stop();
});

beforeEach(async () => {
  dir = tempDir('edge-sessions-');
  clock.set(T0);
  edge = await startEdge();
  const login = edge.control.devices.register('bay_pc', bay.id);
  agent = new BayDeviceAgent({
    brokerUrl: edge.mqttUrl,
    facilityId: venue.facilityId,
    bayId: bay.id,
    username: login.username,
    password: login.password,
    cleanupMs: 30,
    reconnectPeriodMs: 100,
  });
  applied = [];
  let last: string | null = null;
  agent.on('state', (state: BayStateMessage) => {
    if (state.last_command_id !== null && state.last_command_id !== last) {
      last = state.last_command_id;
      applied.push(state.status === 'in_session' && state.minutes_left !== null ? 'warn' : state.status);
    }
  });
  await agent.start();
});

afterEach(async () => {
  await agent.crash();
  await edge.close();
  await faults({ reset: true });
  dir.cleanup();
});

describe('session automation', () => {
  it('fires prepare, start, warn and end once each, in order, across an edge restart mid-session', async () => {
    const runsBefore = (await runs()).filter((r) => r.deviceId === bay.ninja).length;
    const booking = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 10 * MINUTE,
      end_time: T0 + 70 * MINUTE,
      status: 'checked_in',
    });
    await tick();
    await tick();
    expect(await eventually(() => applied.length === 1)).toBe(true);
    clock.set(booking.start_time);
    await tick();
    expect(await eventually(() => applied.length === 2)).toBe(true);

    // Restart: same database file, same MQTT port; the bay reconnects by itself.
    const port = edge.control.broker.port;
    const before = readDeviceStatus(edge.database.db, 'bay', bay.id)!;
    clock.advance(1);
    await edge.close();
    edge = await startEdge(port);
    expect(await eventually(() => agent.connected, 5_000)).toBe(true);
    // The bay re-announced itself to the new process (and so has resubscribed).
    expect(
      await eventually(
        () => readDeviceStatus(edge.database.db, 'bay', bay.id)?.presence_at !== before.presence_at,
      ),
    ).toBe(true);
    clock.advance(MINUTE);
    await tick();
    clock.set(booking.end_time - 5 * MINUTE);
    await tick();
    await tick();
    clock.set(booking.end_time);
    await tick();
    clock.advance(10 * MINUTE);
    await tick();
    expect(await eventually(() => applied.length === 4)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(applied).toEqual(['preparing', 'in_session', 'warn', 'cleanup']);
    expect(agent.rejections).toEqual([]);
    expect(allStepsOf(edge.database.db, booking.id).map((s) => [s.step, s.outcome])).toEqual([
      ['prepare', 'sent'],
      ['start', 'sent'],
      ['warn', 'sent'],
      ['end', 'sent'],
    ]);
    const scripts = (await runs()).filter((r) => r.deviceId === bay.ninja).slice(runsBefore);
    expect(scripts.map((r) => r.scriptId)).toEqual([PREP, CLEANUP]);
    expect(JSON.parse(scripts[0]!.parameters)).toMatchObject({ booking_id: booking.id, bay_id: bay.id });
  });

  it('releases a booking without check-in as a no-show after the grace period and ends the bay', async () => {
    const booking = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 10 * MINUTE,
      end_time: T0 + 70 * MINUTE,
      status: 'confirmed',
    });
    await tick();
    clock.set(booking.start_time);
    await tick();
    clock.set(booking.start_time + 14 * MINUTE);
    await tick();
    expect(bookingById(edge.database.db, booking.id)?.status).toBe('confirmed');
    clock.set(booking.start_time + 15 * MINUTE);
    await tick();
    expect(bookingById(edge.database.db, booking.id)?.status).toBe('no_show');
    expect(
      pendingBatch(edge.database.db, 10)
        .filter((e) => e.type === 'booking.no_show')
        .map((e) => e.payload),
    ).toEqual([expect.objectContaining({ booking_id: booking.id })]);
    expect(await eventually(() => applied.length === 3)).toBe(true);
    expect(applied).toEqual(['preparing', 'in_session', 'cleanup']);
    clock.set(booking.end_time);
    await tick();
    expect(allStepsOf(edge.database.db, booking.id).map((s) => s.step)).toEqual([
      'prepare',
      'start',
      'no_show',
      'end',
    ]);
    expect(ninjaJobByKey(edge.database.db, `${booking.id}:end`)?.state).toBe('done');
  });

  it('runs the MQTT steps while NinjaOne is down and catches up on its jobs, losing none', async () => {
    const before = (await runs()).length;
    const booking = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 10 * MINUTE,
      end_time: T0 + 70 * MINUTE,
      status: 'checked_in',
    });
    await faults({ down: 'close' });
    await tick();
    expect(await eventually(() => applied.length === 1)).toBe(true);
    const job = ninjaJobByKey(edge.database.db, `${booking.id}:prepare`);
    expect(job).toMatchObject({ state: 'pending', attempts: 1 });
    expect(edge.control.alerts.list(true).map((a) => a.kind)).toContain('ninjaone_unreachable');
    await faults({ reset: true });
    // Not retried before its backoff is over, then run once.
    await edge.control.ninjaJobs?.runDue();
    expect((await runs()).length).toBe(before);
    clock.advance(10 * MINUTE);
    await tick();
    expect(ninjaJobByKey(edge.database.db, `${booking.id}:prepare`)?.state).toBe('done');
    expect((await runs()).length).toBe(before + 1);
    expect(edge.control.alerts.list(true).map((a) => a.kind)).not.toContain('ninjaone_unreachable');
  });

  it('honours 429 Retry-After, and survives an expired token and a 401 without losing the job', async () => {
    const booking = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 10 * MINUTE,
      end_time: T0 + 70 * MINUTE,
      status: 'checked_in',
    });
    await edge.control.ninjaJobs?.runDue();
    await faults({ fail: { status: 429, count: 5, retry_after_seconds: 120 } });
    await tick();
    const limited = ninjaJobByKey(edge.database.db, `${booking.id}:prepare`);
    expect(limited?.state).toBe('pending');
    expect(limited?.next_attempt_at).toBeGreaterThanOrEqual(T0 + 120_000);
    await faults({ reset: true });
    await ninja.control('POST', '/tokens/expire');
    clock.advance(119_000);
    await edge.control.ninjaJobs?.runDue();
    expect(ninjaJobByKey(edge.database.db, `${booking.id}:prepare`)?.state).toBe('pending');
    clock.advance(1_000);
    const before = (await runs()).length;
    await edge.control.ninjaJobs?.runDue();
    expect(ninjaJobByKey(edge.database.db, `${booking.id}:prepare`)?.state).toBe('done');
    expect((await runs()).length).toBe(before + 1);
    // A 401 on the run itself: the client renews its token once and the job still completes.
    clock.set(booking.end_time);
    await faults({ fail: { status: 401, count: 1 } });
    await tick();
    expect(ninjaJobByKey(edge.database.db, `${booking.id}:end`)?.state).toBe('done');
  });
});
