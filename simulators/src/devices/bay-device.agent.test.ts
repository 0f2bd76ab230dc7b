import { type BayCommand, type BayStateMessage, bayCommandTopic, bayStateTopic } from '@clubos/shared/mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BayDeviceAgent } from './bay-device.agent.js';
import { type AclBroker, startAclBroker } from './mqtt-acl-broker.js';
import { MqttProbe } from './mqtt-probe.js';

const F = 'fac-1';
const at = '2026-11-25T18:00:00.000Z';
const ends = '2026-11-25T19:00:00.000Z';

let broker: AclBroker;
let edge: MqttProbe;
const agents: BayDeviceAgent[] = [];

function agent(bayId = '3', password = 'bay3-secret'): BayDeviceAgent {
  const a = new BayDeviceAgent({
    brokerUrl: broker.url,
    facilityId: F,
    bayId,
    username: 'bay-3',
    password,
    cleanupMs: 50,
    reconnectPeriodMs: 100,
  });
  agents.push(a);
  return a;
}

const cmd = {
  prepare: (id: string, booking = 'bk-1'): BayCommand => ({
    type: 'session.prepare',
    command_id: id,
    booking_id: booking,
    issued_at: at,
    starts_at: at,
    ends_at: ends,
    customer_name: 'Ann Lee',
    preferences: { equipment: ['driver', 'irons'], climate: 'moderate' },
  }),
  start: (id: string, booking = 'bk-1'): BayCommand => ({
    type: 'session.start',
    command_id: id,
    booking_id: booking,
    issued_at: at,
    ends_at: ends,
  }),
  warn: (id: string, minutes: number): BayCommand => ({
    type: 'session.warn',
    command_id: id,
    booking_id: 'bk-1',
    issued_at: at,
    minutes_left: minutes,
  }),
  end: (id: string): BayCommand => ({
    type: 'session.end',
    command_id: id,
    booking_id: 'bk-1',
    issued_at: at,
  }),
};

const stateOf = (text: string) => JSON.parse(text) as BayStateMessage;
const hasState = (test: (s: BayStateMessage) => boolean) => (text: string) => test(stateOf(text));
const presence = `clubos/${F}/bays/3/presence`;

/** A started bay that has followed `session.prepare` c1 into preparing. */
async function preparingBay(): Promise<BayDeviceAgent> {
  const bay = agent();
  await bay.start();
  await edge.publish(command, cmd.prepare('c1'));
  await edge.waitFor(
    state,
    hasState((s) => s.status === 'preparing'),
  );
  return bay;
}

/** What a console connecting now reads first on `topic`: the retained message. */
async function readRetained(topic: string) {
  const late = await MqttProbe.connect(broker.url, 'edge', 'edge-secret', 'late-console');
  try {
    await late.subscribe(topic);
    return await late.waitFor(topic, () => true);
  } finally {
    await late.close();
  }
}
const state = bayStateTopic(F, '3');
const command = bayCommandTopic(F, '3');

beforeEach(async () => {
  broker = await startAclBroker([
    { username: 'edge', password: 'edge-secret', principal: { role: 'edge', facilityId: F } },
    { username: 'bay-3', password: 'bay3-secret', principal: { role: 'bay', facilityId: F, bayId: '3' } },
  ]);
  edge = await MqttProbe.connect(broker.url, 'edge', 'edge-secret', 'edge-probe');
  await edge.subscribe(`clubos/${F}/bays/+/state`);
  await edge.subscribe(`clubos/${F}/bays/+/presence`);
});

afterEach(async () => {
  for (const a of agents.splice(0)) await a.crash();
  await edge.close();
  await broker.close();
});

describe('BayDeviceAgent against an aedes broker with the shared ACL', () => {
  it('announces online (retained) and publishes its idle state on start', async () => {
    await agent().start();
    await edge.waitFor(presence, (t) => t === 'online');
    const idle = await edge.waitFor(
      state,
      hasState((s) => s.status === 'idle'),
    );
    expect(stateOf(idle.text)).toMatchObject({ bay_id: '3', booking_id: null, last_command_id: null });
  });

  it('follows session commands in order and leaves the last state retained', async () => {
    const bay = agent();
    await bay.start();
    for (const c of [cmd.prepare('c1'), cmd.start('c2'), cmd.warn('c3', 5), cmd.end('c4')])
      await edge.publish(command, c);
    await edge.waitFor(
      state,
      hasState((s) => s.status === 'idle' && s.last_command_id === 'c4'),
    );
    const sequence = edge
      .on(state)
      .map((m) => stateOf(m.text))
      .map((s) => [s.status, s.last_command_id, s.minutes_left]);
    expect(sequence).toEqual([
      ['idle', null, null],
      ['preparing', 'c1', null],
      ['in_session', 'c2', null],
      ['in_session', 'c3', 5],
      ['cleanup', 'c4', 0],
      ['idle', 'c4', null],
    ]);
    // A console that connects later learns the bay's state from the retained message.
    const retained = await readRetained(state);
    expect(retained.retain).toBe(true);
    expect(stateOf(retained.text)).toMatchObject({ status: 'idle', last_command_id: 'c4' });
  });

  it('applies a redelivered command once and refuses an out-of-order one into error with a reason', async () => {
    const bay = agent();
    await bay.start();
    await edge.publish(command, cmd.prepare('c1'));
    await edge.publish(command, cmd.prepare('c1'));
    await edge.publish(command, cmd.warn('c2', 10)); // warn before start
    const error = await edge.waitFor(
      state,
      hasState((s) => s.status === 'error'),
    );
    expect(stateOf(error.text)).toMatchObject({
      status: 'error',
      booking_id: 'bk-1',
      last_command_id: 'c1',
      rejected_command_id: 'c2',
      reason: 'session.warn for booking bk-1 while preparing for booking bk-1',
    });
    expect(edge.on(state).filter((m) => stateOf(m.text).status === 'preparing')).toHaveLength(1);
    expect(bay.rejections).toEqual([{ commandId: 'c2', reason: error && stateOf(error.text).reason }]);
  });

  it('refuses a malformed command without disturbing the session', async () => {
    const bay = await preparingBay();
    const rejected = new Promise((resolve) => bay.once('rejected', resolve));
    await edge.publish(command, {
      type: 'session.warn',
      command_id: 'c2',
      booking_id: 'bk-1',
      issued_at: at,
      minutes_left: 'ten',
    });
    expect(await rejected).toMatchObject({
      commandId: null,
      reason: expect.stringContaining('/minutes_left'),
    });
    expect(bay.state.status).toBe('preparing');
  });

  it('a crash fires the retained offline will; after restart it is online with its state and gets queued commands', async () => {
    const bay = await preparingBay();
    await bay.crash();
    await edge.waitFor(presence, (t) => t === 'offline');
    // Commands sent while the bay is down wait in its persistent session (QoS 1, clean: false).
    await edge.publish(command, cmd.start('c2'));
    const onlineBefore = edge.on(presence).filter((m) => m.text === 'online').length;
    await bay.start();
    await edge.waitFor(
      state,
      hasState((s) => s.status === 'in_session' && s.last_command_id === 'c2'),
    );
    expect(edge.on(presence).filter((m) => m.text === 'online').length).toBe(onlineBefore + 1);
  });

  it('the will is retained: a console connecting after the crash reads offline', async () => {
    const bay = agent();
    await bay.start();
    await bay.crash();
    await edge.waitFor(presence, (t) => t === 'offline');
    expect(await readRetained(presence)).toMatchObject({ text: 'offline', retain: true });
  });

  it('reconnects by itself after the broker drops the connection, and keeps following commands', async () => {
    const bay = await preparingBay();
    expect(broker.kick(`bay-${F}-3`)).toBe(true);
    await edge.waitFor(presence, (t) => t === 'offline');
    const offlineAt = edge.heard.findIndex((m) => m.topic === presence && m.text === 'offline');
    await edge.waitUntil(
      () => edge.heard.slice(offlineAt).some((m) => m.topic === presence && m.text === 'online'),
      'online again after the drop',
    );
    await edge.publish(command, cmd.start('c2'));
    await edge.waitFor(
      state,
      hasState((s) => s.status === 'in_session' && s.last_command_id === 'c2'),
    );
    expect(bay.connected).toBe(true);
  });

  it('an orderly stop says offline itself', async () => {
    const bay = agent();
    await bay.start();
    await bay.stop();
    await edge.waitFor(presence, (t) => t === 'offline');
    expect(bay.connected).toBe(false);
  });

  it('the broker ACL keeps a device to its own topics', async () => {
    // Bay 3's credentials used by a PC that believes it is bay 4: the subscription is refused.
    await expect(agent('4').start()).rejects.toThrow(/refused the subscription/);
    expect(broker.denials[0]).toMatchObject({
      username: 'bay-3',
      action: 'subscribe',
      topic: bayCommandTopic(F, '4'),
    });
    // A wrong password does not connect at all.
    await expect(agent('3', 'guess').start()).rejects.toThrow();
    // A bay that publishes another bay's state is cut off and nothing reaches the edge.
    const rogue = await MqttProbe.connect(broker.url, 'bay-3', 'bay3-secret', 'rogue');
    await rogue.client.publishAsync(bayStateTopic(F, '5'), 'forged', { qos: 0 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(edge.on(bayStateTopic(F, '5'))).toEqual([]);
    expect(broker.denials.some((d) => d.action === 'publish' && d.topic === bayStateTopic(F, '5'))).toBe(
      true,
    );
    await rogue.close();
  });
});
