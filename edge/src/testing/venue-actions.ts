import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { appendAudit } from '../audit/audit.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import { enqueueEvent } from '../sync/outbox.repository.js';

/**
 * What the door module does on a scan, for sync tests: the audit row and its outbox event in one
 * transaction. Returns the event id, which the cloud must end up holding exactly once.
 */
export function recordDoorDecision(db: EdgeDatabase, granted: boolean): string {
  const eventId = randomUUID();
  db.immediate(() => {
    appendAudit(db.db, {
      at: Date.now(),
      kind: 'door.decision',
      subject: 'front',
      decision: granted ? 'granted' : 'denied',
    });
    enqueueEvent(db.db, {
      event_id: eventId,
      type: 'door.decision',
      occurred_at: Date.now(),
      payload: {
        door_id: 'front',
        decision: granted ? 'granted' : 'denied',
        reason: granted ? 'valid' : 'expired',
        booking_id: null,
        credential: 'qr_code',
      },
    });
  });
  return eventId;
}

/** A walk-in sold through the kiosk's LAN API: the booking when sold, null when the time is taken. */
export async function sellWalkIn(
  app: FastifyInstance,
  kioskAuthorization: string,
  bay: string,
  start: number,
  minutes: number,
): Promise<{ booking: { id: string }; mode: string } | null> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/walk-ins',
    headers: { authorization: kioskAuthorization },
    payload: { simulator_id: bay, start_time: new Date(start).toISOString(), duration: minutes },
  });
  expect([201, 409], res.body).toContain(res.statusCode);
  return res.statusCode === 201 ? (res.json() as { booking: { id: string }; mode: string }) : null;
}
