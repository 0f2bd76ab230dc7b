import { describe, expect, it } from 'vitest';
import {
  allBayStatesFilter,
  allDoorScansFilter,
  bayCommandTopic,
  bayPresenceTopic,
  bayStateTopic,
  doorScanResultTopic,
  doorScanTopic,
  parseTopic,
} from './topics.js';

describe('topic builders', () => {
  it('build the decision-8 topic names', () => {
    expect(bayCommandTopic('fac-1', '3')).toBe('clubos/fac-1/bays/3/command');
    expect(bayStateTopic('fac-1', '3')).toBe('clubos/fac-1/bays/3/state');
    expect(bayPresenceTopic('fac-1', '3')).toBe('clubos/fac-1/bays/3/presence');
    expect(doorScanTopic('fac-1', 'front')).toBe('clubos/fac-1/doors/front/scan');
    expect(doorScanResultTopic('fac-1', 'front')).toBe('clubos/fac-1/doors/front/scan/result');
    expect(allBayStatesFilter('fac-1')).toBe('clubos/fac-1/bays/+/state');
    expect(allDoorScansFilter('fac-1')).toBe('clubos/fac-1/doors/+/scan');
  });

  it.each([
    ['', 'must not be empty'],
    ['a/b', "must not contain '/'"],
    ['+', "must not contain '/'"],
    ['#', "must not contain '/'"],
    ['$SYS', "must not start with '$'"],
    ['x'.repeat(129), 'at most 128'],
  ])('refuse the id %j (%s)', (id, reason) => {
    expect(() => bayCommandTopic('fac-1', id)).toThrow(reason);
    expect(() => doorScanTopic(id, 'front')).toThrow(/facilityId/);
  });
});

describe('parseTopic', () => {
  it('round-trips every builder', () => {
    expect(parseTopic(bayCommandTopic('f', 'b'))).toEqual({
      kind: 'bay_command',
      facilityId: 'f',
      bayId: 'b',
    });
    expect(parseTopic(bayStateTopic('f', 'b'))).toEqual({ kind: 'bay_state', facilityId: 'f', bayId: 'b' });
    expect(parseTopic(bayPresenceTopic('f', 'b'))).toEqual({
      kind: 'bay_presence',
      facilityId: 'f',
      bayId: 'b',
    });
    expect(parseTopic(doorScanTopic('f', 'd'))).toEqual({ kind: 'door_scan', facilityId: 'f', doorId: 'd' });
    expect(parseTopic(doorScanResultTopic('f', 'd'))).toEqual({
      kind: 'door_scan_result',
      facilityId: 'f',
      doorId: 'd',
    });
  });

  it.each([
    'clubos/f/bays/b',
    'clubos/f/bays/b/state/extra',
    'clubos/f/bays/+/state',
    'clubos/f/doors/d/result',
    'other/f/bays/b/state',
    'clubos/f/lights/b/state',
    '',
  ])('returns null for %j', (topic) => {
    expect(parseTopic(topic)).toBeNull();
  });
});
