import path from 'node:path';
import { bayCommandTopic, decodeBayCommand } from '@clubos/shared/mqtt';
import { BayDeviceAgent, type BayScreen } from '@clubos/simulators/devices/bay-device.agent';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ControlHarness,
  MINUTE,
  newVenue,
  putBooking,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { allStepsOf } from './session.repository.js';

const venue = newVenue();
const bay = venue.bays[0]!;
const T0 = Date.UTC(2026, 5, 1, 18, 0);
const clock = testClock(T0);
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;
let agent: BayDeviceAgent;
let screens: BayScreen[];
/** A plain MQTT client on the edge's real broker, reading the bay's command topic as the edge's staff tool would. */
let watcher: mqtt.MqttClient;
let seen: { type: string; extend_offer?: unknown }[];

beforeEach(async () => {
  dir = tempDir('edge-extend-offer-');
  clock.set(T0);
  edge = await startControlHarness({ file: path.join(dir.dir, 'edge.sqlite'), venue, clock, mqttPort: 0 });
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
  screens = [];
  agent.on('screen', (screen) => screens.push(screen));
  await agent.start();
  // A second bay PC login for the same bay: the ACL lets it read that bay's commands only.
  const second = edge.control.devices.register('bay_pc', bay.id, `watch-${bay.id}`);
  watcher = await mqtt.connectAsync(edge.mqttUrl, {
    username: second.username,
    password: second.password,
    clientId: `watch-${bay.id}`,
    reconnectPeriod: 0,
  });
  seen = [];
  watcher.on('message', (_topic, payload) => {
    const decoded = decodeBayCommand(payload);
    if (decoded.ok) seen.push(decoded.value as { type: string; extend_offer?: unknown });
  });
  await watcher.subscribeAsync(bayCommandTopic(venue.facilityId, bay.id), { qos: 1 });
});

afterEach(async () => {
  await watcher?.endAsync();
  await agent.crash();
  await edge.close();
  dir.cleanup();
});

/** Runs the session from its start to ten minutes before its end, then to the warn, a tick at a time. */
async function runToWarn(booking: { start_time: number; end_time: number }): Promise<void> {
  clock.set(booking.start_time - 10 * MINUTE);
  await edge.control.sessions.tick();
  clock.set(booking.start_time);
  await edge.control.sessions.tick();
  expect(await eventually(() => agent.state.status === 'in_session')).toBe(true);
  clock.set(booking.end_time - 10 * MINUTE);
  await edge.control.sessions.tick();
  await edge.control.sessions.tick();
  clock.set(booking.end_time - 5 * MINUTE);
  await edge.control.sessions.tick();
  expect(await eventually(() => seen.filter((c) => c.type === 'session.warn').length >= 1)).toBe(true);
  await new Promise((r) => setTimeout(r, 150));
}

describe('the extend prompt on the bay PC', () => {
  it('shows "10 minutes left — extend?" once, over MQTT, when the next slot on the bay is free', async () => {
    const booking = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 10 * MINUTE,
      end_time: T0 + 70 * MINUTE,
      status: 'checked_in',
    });
    await runToWarn(booking);
    const offers = seen.filter((c) => c.extend_offer !== undefined);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      type: 'session.warn',
      minutes_left: 10,
      extend_offer: { minutes: 30, until: new Date(booking.end_time + 30 * MINUTE).toISOString() },
    });
    expect(screens[0]?.prompt).toMatch(/^10 minutes left\. The next 30 minutes on this bay are free/);
    expect(agent.rejections).toEqual([]);
    const steps = allStepsOf(edge.database.db, booking.id).map((s) => [s.step, s.outcome]);
    expect(steps).toContainEqual(['extend_offer', 'sent']);
    // The session's end takes the prompt off the screen.
    clock.set(booking.end_time);
    await edge.control.sessions.tick();
    expect(await eventually(() => agent.screen.prompt === null)).toBe(true);
  });

  it('makes no prompt when the next slot is booked, nor for a booking cancelled before its end', async () => {
    const booking = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 10 * MINUTE,
      end_time: T0 + 70 * MINUTE,
      status: 'checked_in',
    });
    putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 70 * MINUTE,
      end_time: T0 + 130 * MINUTE,
      status: 'confirmed',
    });
    await runToWarn(booking);
    expect(seen.filter((c) => c.extend_offer !== undefined)).toEqual([]);
    expect(screens).toEqual([]);
    expect(allStepsOf(edge.database.db, booking.id).map((s) => s.step)).not.toContain('extend_offer');

    const cancelled = putBooking(edge.database, venue, {
      simulator_id: bay.id,
      start_time: T0 + 200 * MINUTE,
      end_time: T0 + 260 * MINUTE,
      status: 'cancelled',
    });
    clock.set(cancelled.end_time - 10 * MINUTE);
    await edge.control.sessions.tick();
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.filter((c) => c.extend_offer !== undefined)).toEqual([]);
  });
});
