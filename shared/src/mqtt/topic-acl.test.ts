import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideTopicAccess, isTopicAllowed, type MqttPrincipal } from './topic-acl.js';
import {
  bayCommandTopic,
  bayPresenceTopic,
  bayStateTopic,
  doorScanResultTopic,
  doorScanTopic,
  isValidTopicSegment,
} from './topics.js';

const bay3: MqttPrincipal = { role: 'bay', facilityId: 'fac-1', bayId: '3' };
const frontScanner: MqttPrincipal = {
  role: 'door_scanner',
  facilityId: 'fac-1',
  doorId: 'front',
  scannerId: 's1',
};
const edge: MqttPrincipal = { role: 'edge', facilityId: 'fac-1' };

describe('bay device ACL', () => {
  it('publishes only its own state and presence and subscribes only to its own commands', () => {
    expect(isTopicAllowed(bay3, 'publish', bayStateTopic('fac-1', '3'))).toBe(true);
    expect(isTopicAllowed(bay3, 'publish', bayPresenceTopic('fac-1', '3'))).toBe(true);
    expect(isTopicAllowed(bay3, 'subscribe', bayCommandTopic('fac-1', '3'))).toBe(true);

    expect(isTopicAllowed(bay3, 'publish', bayCommandTopic('fac-1', '3'))).toBe(false);
    expect(isTopicAllowed(bay3, 'subscribe', bayStateTopic('fac-1', '3'))).toBe(false);
    expect(isTopicAllowed(bay3, 'publish', bayStateTopic('fac-1', '4'))).toBe(false);
    expect(isTopicAllowed(bay3, 'publish', bayStateTopic('fac-2', '3'))).toBe(false);
    expect(isTopicAllowed(bay3, 'subscribe', bayCommandTopic('fac-1', '4'))).toBe(false);
    expect(isTopicAllowed(bay3, 'publish', doorScanTopic('fac-1', 'front'))).toBe(false);
  });

  it('never gets a wildcard, even one that would cover its own topic', () => {
    for (const filter of ['clubos/fac-1/bays/+/command', 'clubos/fac-1/bays/3/#', '#', 'clubos/#']) {
      expect(isTopicAllowed(bay3, 'subscribe', filter)).toBe(false);
    }
  });

  it('explains a refusal', () => {
    expect(decideTopicAccess(bay3, 'publish', bayStateTopic('fac-1', '4'))).toEqual({
      allowed: false,
      reason: 'bay 3 of facility fac-1 may not publish clubos/fac-1/bays/4/state',
    });
  });

  it('no bay may touch another bay’s topics (property)', () => {
    const id = fc.string({ minLength: 1, maxLength: 12 }).filter(isValidTopicSegment);
    fc.assert(
      fc.property(id, id, id, (facility, mine, other) => {
        fc.pre(mine !== other);
        const me: MqttPrincipal = { role: 'bay', facilityId: facility, bayId: mine };
        for (const topic of [bayStateTopic, bayPresenceTopic, bayCommandTopic].map((t) =>
          t(facility, other),
        )) {
          if (isTopicAllowed(me, 'publish', topic) || isTopicAllowed(me, 'subscribe', topic)) return false;
        }
        return true;
      }),
    );
  });

  it('a principal bound with an unusable id gets nothing', () => {
    const bad: MqttPrincipal = { role: 'bay', facilityId: '+', bayId: '3' };
    expect(isTopicAllowed(bad, 'publish', 'clubos/+/bays/3/state')).toBe(false);
  });
});

describe('door scanner ACL', () => {
  it('publishes scans of its door and hears only that door’s results', () => {
    expect(isTopicAllowed(frontScanner, 'publish', doorScanTopic('fac-1', 'front'))).toBe(true);
    expect(isTopicAllowed(frontScanner, 'subscribe', doorScanResultTopic('fac-1', 'front'))).toBe(true);
    expect(isTopicAllowed(frontScanner, 'publish', doorScanResultTopic('fac-1', 'front'))).toBe(false);
    expect(isTopicAllowed(frontScanner, 'publish', doorScanTopic('fac-1', 'back'))).toBe(false);
    expect(isTopicAllowed(frontScanner, 'subscribe', doorScanResultTopic('fac-1', 'back'))).toBe(false);
    expect(isTopicAllowed(frontScanner, 'subscribe', 'clubos/fac-1/doors/+/scan/result')).toBe(false);
  });
});

describe('edge ACL', () => {
  it('subscribes to anything of its own facility, wildcards included', () => {
    expect(isTopicAllowed(edge, 'subscribe', 'clubos/fac-1/bays/+/state')).toBe(true);
    expect(isTopicAllowed(edge, 'subscribe', 'clubos/fac-1/#')).toBe(true);
    expect(isTopicAllowed(edge, 'subscribe', 'clubos/+/bays/+/state')).toBe(false);
    expect(isTopicAllowed(edge, 'subscribe', 'clubos/fac-2/#')).toBe(false);
    expect(isTopicAllowed(edge, 'subscribe', '#')).toBe(false);
  });

  it('publishes commands and scan results, never device-owned topics', () => {
    expect(isTopicAllowed(edge, 'publish', bayCommandTopic('fac-1', '3'))).toBe(true);
    expect(isTopicAllowed(edge, 'publish', doorScanResultTopic('fac-1', 'front'))).toBe(true);
    expect(isTopicAllowed(edge, 'publish', bayStateTopic('fac-1', '3'))).toBe(false);
    expect(isTopicAllowed(edge, 'publish', bayPresenceTopic('fac-1', '3'))).toBe(false);
    expect(isTopicAllowed(edge, 'publish', doorScanTopic('fac-1', 'front'))).toBe(false);
    expect(isTopicAllowed(edge, 'publish', bayCommandTopic('fac-2', '3'))).toBe(false);
    expect(isTopicAllowed(edge, 'publish', 'clubos/fac-1/bays/+/command')).toBe(false);
  });
});
