import { type DoorScanResultMessage, decodeDoorScan, doorScanResultTopic } from '@clubos/shared/mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DoorScannerAgent, ScanTimeoutError } from './door-scanner.agent.js';
import { type AclBroker, startAclBroker } from './mqtt-acl-broker.js';
import { MqttProbe } from './mqtt-probe.js';

const F = 'fac-1';
let broker: AclBroker;
let edge: MqttProbe;
let scanner: DoorScannerAgent;

function scannerFor(doorId: string): DoorScannerAgent {
  return new DoorScannerAgent({
    brokerUrl: broker.url,
    facilityId: F,
    doorId,
    scannerId: 'scanner-front-1',
    username: 'scanner-front',
    password: 'front-secret',
  });
}

/** The edge's answer: grants the text "valid", denies anything else; answers a decoy first. */
async function answerScans(): Promise<void> {
  await edge.subscribe(`clubos/${F}/doors/+/scan`);
  edge.client.on('message', (topic, payload) => {
    if (!topic.endsWith('/scan')) return;
    const scan = decodeDoorScan(payload);
    if (!scan.ok) return;
    const doorId = topic.split('/')[3] as string;
    const result = (scanId: string, granted: boolean): DoorScanResultMessage => ({
      scan_id: scanId,
      decision: granted ? 'granted' : 'denied',
      reason: granted ? 'valid' : 'bad_signature',
      booking_id: granted ? 'bk-1' : null,
      decided_at: new Date().toISOString(),
    });
    void edge.publish(doorScanResultTopic(F, doorId), result('someone-else', true));
    void edge.publish(
      doorScanResultTopic(F, doorId),
      result(scan.value.scan_id, scan.value.text === 'valid'),
    );
  });
}

beforeEach(async () => {
  broker = await startAclBroker([
    { username: 'edge', password: 'edge-secret', principal: { role: 'edge', facilityId: F } },
    {
      username: 'scanner-front',
      password: 'front-secret',
      principal: { role: 'door_scanner', facilityId: F, doorId: 'front', scannerId: 'scanner-front-1' },
    },
  ]);
  edge = await MqttProbe.connect(broker.url, 'edge', 'edge-secret', 'edge-probe');
  scanner = scannerFor('front');
});

afterEach(async () => {
  await scanner.stop();
  await edge.close();
  await broker.close();
});

describe('DoorScannerAgent', () => {
  it('publishes a scan and resolves with the matching result, ignoring answers to other scans', async () => {
    await answerScans();
    await scanner.start();
    const granted = await scanner.scan('valid');
    expect(granted).toMatchObject({ decision: 'granted', reason: 'valid', booking_id: 'bk-1' });
    expect(granted.scan_id).not.toBe('someone-else');
    const denied = await scanner.scan('forged');
    expect(denied).toMatchObject({ decision: 'denied', reason: 'bad_signature', booking_id: null });
    const scans = edge.on(`clubos/${F}/doors/front/scan`).map((m) => JSON.parse(m.text));
    expect(scans).toMatchObject([
      { scanner_id: 'scanner-front-1', text: 'valid' },
      { scanner_id: 'scanner-front-1', text: 'forged' },
    ]);
  });

  it('rejects with ScanTimeoutError when the edge does not answer', async () => {
    await scanner.start();
    await expect(scanner.scan('valid', { timeoutMs: 150 })).rejects.toBeInstanceOf(ScanTimeoutError);
  });

  it('cannot listen to another door’s results', async () => {
    const other = scannerFor('back');
    await expect(other.start()).rejects.toThrow(
      /refused the subscription to clubos\/fac-1\/doors\/back\/scan\/result/,
    );
  });
});
