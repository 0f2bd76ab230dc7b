import type { OutboxPayloads } from '@clubos/shared/sync';
import type { Executor } from '../db/client.js';
import type { StaffAlertRepository } from './staff-alert.repository.js';

/**
 * A `staff_alert.raised` event from an edge becomes the facility's staff alert in the transaction
 * of the event's dedupe row. The incident is the edge's alert row, so the same incident sent again
 * under another event id (an edge restored from a backup re-queues) is still one alert.
 */
export function recordEdgeAlert(
  alerts: StaffAlertRepository,
  tx: Executor,
  edge: { edgeId: string; facilityId: string },
  payload: OutboxPayloads['staff_alert.raised'],
): Promise<boolean> {
  return alerts.record(tx, {
    facilityId: edge.facilityId,
    incidentKey: `edge:${edge.edgeId}:${payload.alert_id}`,
    kind: payload.kind,
    severity: payload.severity,
    subject: payload.subject,
    message: payload.message,
    details: { source: 'edge', edge_id: edge.edgeId, dedupe_key: payload.dedupe_key },
    raisedAt: new Date(payload.raised_at),
  });
}
