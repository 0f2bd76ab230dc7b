/**
 * MQTT topic names of the facility protocol (docs/decisions/008-mqtt-topics-and-qos.md). Every topic starts
 * with `clubos/{facility}` so one broker ACL rule can confine a device to its own venue and its own bay or
 * door. Builders validate each id segment: an id holding `/`, `+` or `#` would silently address other topics
 * (or become a wildcard), so it is refused here rather than discovered in the ACL.
 */
export const TOPIC_ROOT = 'clubos';

/** Longest id accepted in a topic segment; UUIDs and bay numbers fit with room to spare. */
export const MAX_TOPIC_SEGMENT_LENGTH = 128;

export type ParsedTopic =
  | { kind: 'bay_command'; facilityId: string; bayId: string }
  | { kind: 'bay_state'; facilityId: string; bayId: string }
  | { kind: 'bay_presence'; facilityId: string; bayId: string }
  | { kind: 'door_scan'; facilityId: string; doorId: string }
  | { kind: 'door_scan_result'; facilityId: string; doorId: string };

export type TopicKind = ParsedTopic['kind'];

/** Why a segment cannot be used, or null when it can. */
export function topicSegmentProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_TOPIC_SEGMENT_LENGTH)
    return `must be at most ${MAX_TOPIC_SEGMENT_LENGTH} characters`;
  if (/[/+#]/.test(value) || value.includes(String.fromCharCode(0)))
    return "must not contain '/', '+', '#' or NUL";
  if (value.startsWith('$')) return "must not start with '$' (reserved for broker topics)";
  return null;
}

export function isValidTopicSegment(value: string): boolean {
  return topicSegmentProblem(value) === null;
}

/** Throws a RangeError naming the id and the reason. */
export function assertTopicSegment(field: string, value: string): void {
  const problem = topicSegmentProblem(value);
  if (problem !== null) throw new RangeError(`${field} ${JSON.stringify(value)} ${problem}`);
}

function bayTopic(facilityId: string, bayId: string, leaf: string): string {
  assertTopicSegment('facilityId', facilityId);
  assertTopicSegment('bayId', bayId);
  return `${TOPIC_ROOT}/${facilityId}/bays/${bayId}/${leaf}`;
}

function doorTopic(facilityId: string, doorId: string, leaf: string): string {
  assertTopicSegment('facilityId', facilityId);
  assertTopicSegment('doorId', doorId);
  return `${TOPIC_ROOT}/${facilityId}/doors/${doorId}/${leaf}`;
}

/** Edge → bay device, QoS 1. */
export const bayCommandTopic = (facilityId: string, bayId: string): string =>
  bayTopic(facilityId, bayId, 'command');
/** Bay device → edge, retained. */
export const bayStateTopic = (facilityId: string, bayId: string): string =>
  bayTopic(facilityId, bayId, 'state');
/** Bay device → edge, retained; the device's last will publishes `offline` here. */
export const bayPresenceTopic = (facilityId: string, bayId: string): string =>
  bayTopic(facilityId, bayId, 'presence');
/** Door scanner → edge. */
export const doorScanTopic = (facilityId: string, doorId: string): string =>
  doorTopic(facilityId, doorId, 'scan');
/** Edge → door scanner: the decision for one scan. */
export const doorScanResultTopic = (facilityId: string, doorId: string): string =>
  doorTopic(facilityId, doorId, 'scan/result');

function facilityFilter(facilityId: string, rest: string): string {
  assertTopicSegment('facilityId', facilityId);
  return `${TOPIC_ROOT}/${facilityId}/${rest}`;
}

/** Subscription filters the edge uses to hear every device of its facility. */
export const allBayStatesFilter = (facilityId: string): string => facilityFilter(facilityId, 'bays/+/state');
export const allBayPresenceFilter = (facilityId: string): string =>
  facilityFilter(facilityId, 'bays/+/presence');
export const allDoorScansFilter = (facilityId: string): string => facilityFilter(facilityId, 'doors/+/scan');

/** Recognises a concrete topic of the protocol (no wildcards); null for anything else. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length < 5 || parts[0] !== TOPIC_ROOT) return null;
  const [, facilityId, group, id, ...leaf] = parts as [string, string, string, string, ...string[]];
  if (!isValidTopicSegment(facilityId) || !isValidTopicSegment(id)) return null;
  const tail = leaf.join('/');
  if (group === 'bays') {
    if (tail === 'command') return { kind: 'bay_command', facilityId, bayId: id };
    if (tail === 'state') return { kind: 'bay_state', facilityId, bayId: id };
    if (tail === 'presence') return { kind: 'bay_presence', facilityId, bayId: id };
    return null;
  }
  if (group === 'doors') {
    if (tail === 'scan') return { kind: 'door_scan', facilityId, doorId: id };
    if (tail === 'scan/result') return { kind: 'door_scan_result', facilityId, doorId: id };
  }
  return null;
}
