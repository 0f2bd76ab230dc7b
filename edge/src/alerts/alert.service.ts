import { randomUUID } from 'node:crypto';
import { DomainError } from '@clubos/shared/errors';
import type { OutboxEventType } from '@clubos/shared/sync';
import type { Logger } from 'pino';
import type { EdgeDatabase } from '../db/database.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import {
  type AlertRecord,
  acknowledgeAlert,
  listAlerts,
  type NewAlert,
  raiseAlert,
  resolveAlert,
} from './alert.repository.js';

export const STAFF_ALERT_EVENT = 'staff_alert.raised' satisfies OutboxEventType;

/**
 * Staff alerts from every part of facility control (bays, doors, NinjaOne, UniFi). Raising is
 * idempotent per `dedupe_key` while the alert is open; a log line is written only when an alert
 * opens or resolves (logged once when it goes down and once when it comes back).
 */
export class AlertService {
  constructor(
    private readonly database: EdgeDatabase,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  raise(alert: NewAlert): void {
    // A new incident goes to the cloud (staff alerts by email and in-app) through the outbox, in the
    // transaction that opens it: queued while offline, sent on reconnect, once per incident.
    const at = this.now();
    const { created } = this.database.immediate(() => {
      const raised = raiseAlert(this.database.db, alert, at);
      if (raised.created) {
        enqueueEvent(this.database.db, {
          event_id: randomUUID(),
          type: STAFF_ALERT_EVENT,
          occurred_at: at,
          payload: {
            alert_id: raised.id,
            dedupe_key: alert.dedupe_key,
            kind: alert.kind,
            severity: alert.severity,
            subject: alert.subject?.slice(0, 300) ?? null,
            message: alert.message.slice(0, 2000),
            raised_at: new Date(at).toISOString(),
          },
        });
      }
      return raised;
    });
    if (created) this.log.warn({ alert: alert.dedupe_key, subject: alert.subject }, alert.message);
  }

  resolve(dedupeKey: string): void {
    const resolved = this.database.immediate(() => resolveAlert(this.database.db, dedupeKey, this.now()));
    if (resolved) this.log.info({ alert: dedupeKey }, 'alert resolved');
  }

  list(openOnly: boolean, limit = 100): AlertRecord[] {
    return listAlerts(this.database.db, { openOnly, limit });
  }

  acknowledge(id: number, by: string): AlertRecord {
    const row = this.database.immediate(() => acknowledgeAlert(this.database.db, id, by, this.now()));
    if (row === undefined) throw new DomainError('NOT_FOUND', `alert ${id} does not exist`, { field: 'id' });
    return row;
  }
}
