import {
  assertTopicSegment,
  bayCommandTopic,
  bayPresenceTopic,
  bayStateTopic,
  doorScanResultTopic,
  doorScanTopic,
  TOPIC_ROOT,
} from './topics.js';

/**
 * Who may publish or subscribe to what on the edge broker (docs/decisions/008-mqtt-topics-and-qos.md). The
 * edge's aedes `authorizePublish` / `authorizeSubscribe` hooks call this with the principal it bound to the
 * connection at `authenticate`. A device gets exact topics only (never a wildcard), so a compromised bay PC
 * can neither read another bay's commands nor fake another bay's state.
 */
export type MqttPrincipal =
  | { role: 'edge'; facilityId: string }
  | { role: 'bay'; facilityId: string; bayId: string }
  | { role: 'door_scanner'; facilityId: string; doorId: string; scannerId?: string };

export type MqttAction = 'publish' | 'subscribe';

export type TopicDecision = { allowed: true } | { allowed: false; reason: string };

const deny = (reason: string): TopicDecision => ({ allowed: false, reason });
const ALLOW: TopicDecision = { allowed: true };

function ownTopics(principal: MqttPrincipal, action: MqttAction): string[] {
  switch (principal.role) {
    case 'bay':
      return action === 'publish'
        ? [
            bayStateTopic(principal.facilityId, principal.bayId),
            bayPresenceTopic(principal.facilityId, principal.bayId),
          ]
        : [bayCommandTopic(principal.facilityId, principal.bayId)];
    case 'door_scanner':
      return action === 'publish'
        ? [doorScanTopic(principal.facilityId, principal.doorId)]
        : [doorScanResultTopic(principal.facilityId, principal.doorId)];
    case 'edge':
      return [];
  }
}

function edgeDecision(facilityId: string, action: MqttAction, topic: string): TopicDecision {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts[1] !== facilityId || parts.length < 3) {
    return deny(`the edge of facility ${facilityId} may only use ${TOPIC_ROOT}/${facilityId}/…`);
  }
  const rest = parts.slice(2);
  if (action === 'publish' && rest.some((p) => p.includes('+') || p.includes('#'))) {
    return deny('a published topic may not contain wildcards');
  }
  // The edge sends commands and scan results; states, presence and scans come from devices, and
  // an edge that wrote them would hide what the devices really reported.
  if (action === 'publish') {
    const leaf = rest.slice(2).join('/');
    const ok = (rest[0] === 'bays' && leaf === 'command') || (rest[0] === 'doors' && leaf === 'scan/result');
    return ok ? ALLOW : deny(`the edge publishes only bay commands and scan results, not ${topic}`);
  }
  return ALLOW;
}

export function decideTopicAccess(
  principal: MqttPrincipal,
  action: MqttAction,
  topic: string,
): TopicDecision {
  try {
    assertTopicSegment('facilityId', principal.facilityId);
    if (principal.role === 'edge') return edgeDecision(principal.facilityId, action, topic);
    const own = ownTopics(principal, action);
    if (own.includes(topic)) return ALLOW;
    const who =
      principal.role === 'bay' ? `bay ${principal.bayId}` : `door scanner of door ${principal.doorId}`;
    return deny(`${who} of facility ${principal.facilityId} may not ${action} ${topic}`);
  } catch (error) {
    // A principal with an unusable id (bound from a bad credentials row) gets nothing.
    return deny(error instanceof Error ? error.message : 'invalid principal');
  }
}

export function isTopicAllowed(principal: MqttPrincipal, action: MqttAction, topic: string): boolean {
  return decideTopicAccess(principal, action, topic).allowed;
}
