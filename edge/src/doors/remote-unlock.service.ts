import { randomUUID } from 'node:crypto';
import { DomainError } from '@clubos/shared/errors';
import type { Logger } from 'pino';
import { appendAudit } from '../audit/audit.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import { DOOR_DECISION_EVENT } from './door-access.service.js';
import { facilityDoorIds } from './door-lookup.repository.js';
import { type UnifiAccessClient, UnifiError } from './unifi-access.client.js';

export const REMOTE_UNLOCK_KIND = 'door.remote_unlock';

export interface RemoteUnlockOptions {
  database: EdgeDatabase;
  client: UnifiAccessClient;
  log: Logger;
  now: () => number;
}

export interface RemoteUnlockResult {
  door_id: string;
  unlocked_at: number;
  actor: string;
}

/**
 * A staff member opens a door from the console (the route admits staff only). UniFi logs the staff
 * member as the actor; our audit log and the cloud's door trail (a `door.decision` with credential
 * `remote`) record who, which door and why, whether or not the controller obeyed. Never retried:
 * a timed-out unlock may have opened the door, and a late second one would open it again.
 */
export class RemoteUnlockService {
  constructor(private readonly options: RemoteUnlockOptions) {}

  async unlock(doorId: string, actor: string, reason: string | null): Promise<RemoteUnlockResult> {
    const { client, database, log } = this.options;
    if (!facilityDoorIds(database.db).includes(doorId)) {
      throw new DomainError('NOT_FOUND', `door ${doorId} is neither an entrance nor a bay door here`, {
        field: 'door_id',
      });
    }
    try {
      await client.unlockDoor(
        doorId,
        { id: actor, name: actor },
        { source: 'clubos-console', ...(reason === null ? {} : { reason }) },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.record(doorId, actor, reason, 'denied', { error: message });
      log.warn({ door: doorId, actor, err: error }, 'remote unlock failed');
      const unreachable = error instanceof UnifiError && error.retryable;
      throw new DomainError('NOT_READY', `UniFi Access did not unlock door ${doorId}: ${message}`, {
        extra: { unreachable },
      });
    }
    const at = this.record(doorId, actor, reason, 'granted', {});
    log.info({ door: doorId, actor, reason }, 'door unlocked remotely by staff');
    return { door_id: doorId, unlocked_at: at, actor };
  }

  private record(
    doorId: string,
    actor: string,
    reason: string | null,
    decision: 'granted' | 'denied',
    details: Record<string, unknown>,
  ): number {
    const { database, now } = this.options;
    const at = now();
    const why = decision === 'granted' ? 'staff_override' : 'controller_failed';
    database.immediate(() => {
      appendAudit(database.db, {
        at,
        kind: REMOTE_UNLOCK_KIND,
        actor,
        subject: doorId,
        decision,
        reason: reason ?? why,
        details: { door_id: doorId, outcome: why, ...(reason === null ? {} : { note: reason }), ...details },
      });
      enqueueEvent(database.db, {
        event_id: randomUUID(),
        type: DOOR_DECISION_EVENT,
        occurred_at: at,
        payload: {
          door_id: doorId,
          decision,
          reason: why,
          booking_id: null,
          credential: 'remote',
          actor,
          decided_at: new Date(at).toISOString(),
        },
      });
    });
    return at;
  }
}
