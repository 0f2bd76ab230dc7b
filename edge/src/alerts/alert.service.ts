import { DomainError } from '@clubos/shared/errors';
import type { Logger } from 'pino';
import type { EdgeDatabase } from '../db/database.js';
import {
  type AlertRecord,
  acknowledgeAlert,
  listAlerts,
  type NewAlert,
  raiseAlert,
  resolveAlert,
} from './alert.repository.js';

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
    const { created } = this.database.immediate(() => raiseAlert(this.database.db, alert, this.now()));
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
