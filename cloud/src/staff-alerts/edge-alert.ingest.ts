import { formatMoney } from '@clubos/shared/pricing';
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

/**
 * A walk-in sold offline whose price is still owed (`walk_in.to_collect`): staff resolve it at the
 * desk. One alert per booking, recorded with the due itself.
 */
export function recordWalkInToCollect(
  alerts: StaffAlertRepository,
  tx: Executor,
  facilityId: string,
  bookingId: string,
  amountCents: number,
): Promise<boolean> {
  return alerts.record(tx, {
    facilityId,
    incidentKey: `walk_in_to_collect:${bookingId}`,
    kind: 'walk_in_to_collect',
    severity: 'warning',
    subject: bookingId,
    message: `A walk-in sold offline still owes ${formatMoney(amountCents)}: collect it at the desk`,
    details: { booking_id: bookingId, amount_cents: amountCents },
    raisedAt: new Date(),
  });
}
