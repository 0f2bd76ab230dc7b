import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { bayCommandTopic, bayStateTopic, doorScanResultTopic, doorScanTopic } from '@clubos/shared/mqtt';
import { BayDeviceAgent } from '@clubos/simulators/devices/bay-device.agent';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingBatch } from '../sync/outbox.repository.js';
import {
  type ControlHarness,
  newVenue,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import { eventually, tempDir } from '../testing/sync-harness.js';
import { readDeviceStatus } from './device.repository.js';

const venue = newVenue();
const clock = testClock(Date.UTC(2026, 5, 1, 18, 0));
const [bay1, bay2] = venue.bays as [(typeof venue.bays)[0], (typeof venue.bays)[0]];
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;
const agents: BayDeviceAgent[] = [];
const clients: mqtt.MqttClient[] = [];

function agentFor(bayId: string, password?: string): BayDeviceAgent {
  const login = edge.control.devices.register('bay_pc', bayId);
  const agent = new BayDeviceAgent({
    brokerUrl: edge.mqttUrl,
    facilityId: venue.facilityId,
    bayId,
    username: login.username,
    password: password ?? login.password,
    cleanupMs: 50,
    reconnectPeriodMs: 0,
  });
  agents.push(agent);
  return agent;
}

beforeEach(async () => {
  dir = tempDir('edge-broker-');
  edge = await startControlHarness({ file: path.join(dir.dir, 'edge.sqlite'), venue, clock });
});

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.crash();
  for (const client of clients.splice(0)) await client.endAsync(true);
  await edge.close();
  dir.cleanup();
});

describe('embedded broker: device logins and topic ACL', () => {
  it('refuses a login with a wrong password, and an unknown device', async () => {
    const agent = agentFor(bay1.id, 'not-the-password');
    await expect(agent.start()).rejects.toThrow(/Bad username or password|Not authorized|connack/i);
    await expect(
      mqtt.connectAsync(edge.mqttUrl, { username: 'nobody', password: 'x', reconnectPeriod: 0 }),
    ).rejects.toThrow();
  });

  it('delivers the edge command to its own bay only, and stores its retained state and presence', async () => {
    const agent = agentFor(bay1.id);
    const neighbour = agentFor(bay2.id);
    await agent.start();
    await neighbour.start();
    await eventually(() => readDeviceStatus(edge.database.db, 'bay', bay1.id)?.presence === 'online');
    const command = {
      type: 'session.prepare',
      command_id: 'c1',
      booking_id: 'b1',
      issued_at: new Date().toISOString(),
      starts_at: new Date().toISOString(),
      ends_at: new Date().toISOString(),
      preferences: {},
    };
    await edge.control.broker.publish(bayCommandTopic(venue.facilityId, bay1.id), JSON.stringify(command));
    expect(await eventually(() => agent.state.status === 'preparing')).toBe(true);
    expect(
      await eventually(
        () => readDeviceStatus(edge.database.db, 'bay', bay1.id)?.state?.status === 'preparing',
      ),
    ).toBe(true);
    expect(neighbour.state.status).toBe('idle');
    expect(readDeviceStatus(edge.database.db, 'bay', bay2.id)?.state?.status).toBe('idle');
  });

  it('lets a bay PC neither publish another bay state nor subscribe to its commands', async () => {
    const login = edge.control.devices.register('bay_pc', bay1.id, 'bay-one');
    const client = await mqtt.connectAsync(edge.mqttUrl, {
      username: login.username,
      password: login.password,
      reconnectPeriod: 0,
    });
    clients.push(client);
    const granted = await client
      .subscribeAsync(bayCommandTopic(venue.facilityId, bay2.id), { qos: 1 })
      .catch(() => [{ qos: 128 }]);
    expect(granted.every((g) => g.qos === 128)).toBe(true);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const fake = {
      bay_id: bay2.id,
      status: 'error',
      booking_id: null,
      last_command_id: null,
      rejected_command_id: null,
      reason: 'spoofed',
      minutes_left: null,
      ends_at: null,
      updated_at: new Date().toISOString(),
    };
    client.publish(bayStateTopic(venue.facilityId, bay2.id), JSON.stringify(fake), { qos: 1 });
    client.publish(doorScanTopic(venue.facilityId, 'front'), '{}', { qos: 1 });
    // aedes drops a connection that publishes outside its ACL (MQTT 3.1.1 has no PUBACK error code).
    await closed;
    expect(readDeviceStatus(edge.database.db, 'bay', bay2.id)).toBeUndefined();
    expect(edge.control.alerts.list(true)).toHaveLength(0);
  });

  it('answers a door scan at QoS 0 (no PUBACK from the scanner) while bay commands stay QoS 1', async () => {
    // A QoS 1 answer makes the scanner send a PUBACK; with Nagle on in the device, its next scan
    // then waits for the edge's delayed ACK (tens of ms, see bench/edge-doors.md).
    const login = edge.control.devices.register('door_scanner', 'front');
    const scanner = await mqtt.connectAsync(edge.mqttUrl, {
      username: login.username,
      password: login.password,
      reconnectPeriod: 0,
    });
    clients.push(scanner);
    await scanner.subscribeAsync(doorScanResultTopic(venue.facilityId, 'front'), { qos: 1 });
    const answer = new Promise<mqtt.IPublishPacket>((resolve) =>
      scanner.once('message', (_topic, _payload, packet) => resolve(packet)),
    );
    const scan = {
      scan_id: 'scan-1',
      scanner_id: 'front',
      text: 'not-a-token',
      scanned_at: new Date().toISOString(),
    };
    await scanner.publishAsync(doorScanTopic(venue.facilityId, 'front'), JSON.stringify(scan), { qos: 1 });
    const packet = await answer;
    expect(JSON.parse(packet.payload.toString())).toMatchObject({ scan_id: 'scan-1', decision: 'denied' });
    expect(packet.qos).toBe(0);

    const bay = await mqtt.connectAsync(edge.mqttUrl, {
      ...(({ username, password }) => ({ username, password }))(
        edge.control.devices.register('bay_pc', bay1.id),
      ),
      reconnectPeriod: 0,
    });
    clients.push(bay);
    await bay.subscribeAsync(bayCommandTopic(venue.facilityId, bay1.id), { qos: 1 });
    const command = new Promise<mqtt.IPublishPacket>((resolve) =>
      bay.once('message', (_topic, _payload, packet) => resolve(packet)),
    );
    await edge.control.broker.publish(bayCommandTopic(venue.facilityId, bay1.id), '{}');
    expect((await command).qos).toBe(1);
  });

  it('shows a bay PC that drops as offline: device status, staff alert and a device.health event; back online resolves it', async () => {
    const agent = agentFor(bay1.id);
    await agent.start();
    expect(
      await eventually(() => readDeviceStatus(edge.database.db, 'bay', bay1.id)?.presence === 'online'),
    ).toBe(true);
    await agent.crash();
    expect(
      await eventually(() => readDeviceStatus(edge.database.db, 'bay', bay1.id)?.presence === 'offline'),
    ).toBe(true);
    const open = edge.control.alerts.list(true);
    expect(open).toMatchObject([{ kind: 'bay_offline', subject: bay1.id }]);
    const health = pendingBatch(edge.database.db, 10).filter((e) => e.type === 'device.health');
    expect(health.map((e) => e.payload)).toEqual([
      expect.objectContaining({ device_id: bay1.id, device_kind: 'bay_pc', status: 'offline' }),
    ]);
    await agent.start();
    expect(await eventually(() => edge.control.alerts.list(true).length === 0)).toBe(true);
    expect(readDeviceStatus(edge.database.db, 'bay', bay1.id)?.presence).toBe('online');
  });

  it('registers devices through the LAN API for a manager only and lists their presence', async () => {
    await edge.auth.createStaff('boss', 'long-password', 'manager');
    await edge.auth.createStaff('desk', 'long-password', 'staff');
    const token = async (u: string) => (await edge.auth.login(u, 'long-password')).token;
    const denied = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${await token('desk')}` },
      payload: { kind: 'bay_pc', target_id: bay1.id },
    });
    expect(denied.statusCode).toBe(403);
    const bad = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${await token('boss')}` },
      payload: { kind: 'bay_pc', target_id: 'a/#' },
    });
    expect(bad.statusCode).toBe(400);
    const created = await edge.app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${await token('boss')}` },
      payload: { kind: 'bay_pc', target_id: bay1.id },
    });
    expect(created.statusCode).toBe(201);
    const { username, password } = created.json() as { username: string; password: string };
    const agent = new BayDeviceAgent({
      brokerUrl: edge.mqttUrl,
      facilityId: venue.facilityId,
      bayId: bay1.id,
      username,
      password,
      reconnectPeriodMs: 0,
    });
    agents.push(agent);
    await agent.start();
    await eventually(() => readDeviceStatus(edge.database.db, 'bay', bay1.id)?.presence === 'online');
    const list = await edge.app.inject({
      method: 'GET',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${await token('desk')}` },
    });
    expect(list.json()).toMatchObject({ devices: [{ username, presence: 'online', kind: 'bay_pc' }] });
    expect(JSON.stringify(list.json())).not.toContain(password);
  });

  it('keeps the edge up with a critical alert when the MQTT port is taken, and starts once it is free', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', () => resolve()));
    const port = (blocker.address() as AddressInfo).port;
    const other = tempDir('edge-broker-taken-');
    const second = await startControlHarness({
      file: path.join(other.dir, 'edge.sqlite'),
      venue,
      clock,
      mqttPort: port,
      brokerRetryMs: 100,
    });
    try {
      expect(second.control.alerts.list(true)).toMatchObject([
        { kind: 'mqtt_broker_down', severity: 'critical' },
      ]);
      const lan = await second.app.inject({ method: 'GET', url: '/api/v1/alerts' });
      expect(lan.statusCode).toBe(401);
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      expect(await eventually(() => second.control.alerts.list(true).length === 0, 3_000)).toBe(true);
      expect(second.control.broker.port).toBe(port);
    } finally {
      await second.close();
      blocker.close();
      other.cleanup();
    }
  });
});
