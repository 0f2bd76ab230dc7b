import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { bayCommandTopic, decodeBayCommand, type SessionPrepareCommand } from '@clubos/shared/mqtt';
import type { ChangeRow } from '@clubos/shared/sync';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyChangeBatch } from '../sync/change-apply.service.js';
import { toReplicaChange } from '../sync/feed-mapper.js';
import {
  type ControlHarness,
  MINUTE,
  newVenue,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import { eventually, tempDir } from '../testing/sync-harness.js';

const venue = newVenue();
const bay = venue.bays[0]!;
const T0 = Date.UTC(2026, 5, 1, 18, 0);
const clock = testClock(T0);
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;
let device: MqttClient;
let prepares: SessionPrepareCommand[];
let seq = 0;

/** A booking as the cloud's feed carries it (`toFeedPayload`), applied through the real sync path. */
function feedBooking(extra: Record<string, unknown>): string {
  const id = randomUUID();
  const change: ChangeRow = {
    seq: ++seq,
    facility_id: venue.facilityId,
    entity: 'booking',
    op: 'upsert',
    entity_id: id,
    data: {
      id,
      facility_id: venue.facilityId,
      simulator_id: bay.id,
      customer_id: randomUUID(),
      start_time: new Date(T0 + 8 * MINUTE).toISOString(),
      end_time: new Date(T0 + 68 * MINUTE).toISOString(),
      status: 'confirmed',
      access_code: '482913',
      reference_code: `R${seq}ABCD`,
      updated_at: new Date(T0 - MINUTE).toISOString(),
      ...extra,
    },
    created_at: new Date(T0).toISOString(),
  };
  applyChangeBatch(edge.database, [toReplicaChange(change)], {
    head: change.seq,
    requestedAt: T0,
    caughtUp: true,
  });
  return id;
}

beforeEach(async () => {
  dir = tempDir('edge-prefs-');
  clock.set(T0);
  seq = 0;
  edge = await startControlHarness({ file: path.join(dir.dir, 'edge.sqlite'), venue, clock });
  // The bay PC: a plain MQTT client with its own credentials, over TCP to the edge's broker.
  const login = edge.control.devices.register('bay_pc', bay.id);
  device = await mqtt.connectAsync(edge.mqttUrl, {
    username: login.username,
    password: login.password,
    reconnectPeriod: 0,
  });
  prepares = [];
  device.on('message', (_topic, payload) => {
    const decoded = decodeBayCommand(payload);
    if (decoded.ok && decoded.value.type === 'session.prepare') prepares.push(decoded.value);
  });
  await device.subscribeAsync(bayCommandTopic(venue.facilityId, bay.id), { qos: 1 });
});

afterEach(async () => {
  await device.endAsync();
  await edge.close();
  dir.cleanup();
});

describe('session.prepare carries the preferences from the feed', () => {
  it('sends the booking preferences the cloud replicated to the bay device', async () => {
    const preferences = { handedness: 'left', units: 'metric', ball: 'TP5', climate: { fan: 2 } };
    const id = feedBooking({ preferences });
    await edge.control.sessions.tick();
    expect(await eventually(() => prepares.length === 1, 5_000)).toBe(true);
    expect(prepares[0]).toMatchObject({ booking_id: id, preferences });
  });

  it('sends {} for a booking from a feed without preferences (an older cloud)', async () => {
    const id = feedBooking({});
    await edge.control.sessions.tick();
    expect(await eventually(() => prepares.length === 1, 5_000)).toBe(true);
    expect(prepares[0]).toMatchObject({ booking_id: id, preferences: {} });
  });
});
