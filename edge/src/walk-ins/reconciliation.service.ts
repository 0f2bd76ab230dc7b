import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.js';
import { bookingById, updateBooking } from '../bookings/booking.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import type { EventAck } from '../sync/cloud-feed.js';
import type { OutboxRow } from '../sync/outbox.repository.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import { freeBaysFor } from './slot-check.js';
import { WALK_IN_EVENT } from './walk-in.event.js';

/**
 * Whether the cloud refused a walk-in because its time is taken. The upload ack carries only a
 * reason text (`@clubos/shared/sync` UploadResult), so this reads it; the cloud's walk-in handler
 * says "conflict: …" for an overlap.
 */
export function isConflictRejection(reason: string): boolean {
  return /\b(conflict|overlap|already booked|slot taken)/i.test(reason);
}

/**
 * Settles a walk-in once the cloud has answered for it (runs inside the uploader's transaction):
 * - accepted / duplicate: the booking is final ('accepted', or stays 'moved' if it was moved);
 * - rejected as a conflict: the cloud booking stands. The walk-in moves to a free bay at the same
 *   time if one exists and is re-submitted as a new event; otherwise it is cancelled and flagged for
 *   staff. Bays the cloud already refused travel in the payload so a stale replica cannot pick one
 *   of them twice.
 * - rejected for another reason: flagged for staff with that reason.
 */
export function createWalkInAckHandler(database: EdgeDatabase, now: () => number = Date.now) {
  return (row: OutboxRow, ack: EventAck): 'resolved' | 'keep' => {
    const payload = row.payload as { booking_id?: string; excluded_simulator_ids?: string[] };
    const booking =
      payload.booking_id === undefined ? undefined : bookingById(database.db, payload.booking_id);
    if (booking === undefined) return ack.status === 'rejected' ? 'keep' : 'resolved';
    const at = now();

    if (ack.status !== 'rejected') {
      updateBooking(database.db, booking.id, {
        provisional: false,
        reconciliation: booking.reconciliation === 'moved' ? 'moved' : 'accepted',
        updated_at: at,
      });
      return 'resolved';
    }

    if (isConflictRejection(ack.reason)) {
      const tried = [...(payload.excluded_simulator_ids ?? []), booking.simulator_id];
      const target = freeBaysFor(database.db, booking, new Set(tried), at)[0];
      if (target !== undefined) {
        const original = booking.original_simulator_id ?? booking.simulator_id;
        updateBooking(database.db, booking.id, {
          simulator_id: target.id,
          original_simulator_id: original,
          reconciliation: 'moved',
          reconciliation_note: `Bay was sold online while the venue was offline; moved to ${target.name} at the same time.`,
          updated_at: at,
        });
        enqueueEvent(database.db, {
          event_id: randomUUID(),
          type: WALK_IN_EVENT,
          occurred_at: at,
          payload: { ...row.payload, simulator_id: target.id, excluded_simulator_ids: tried },
        });
        appendAudit(database.db, {
          at,
          kind: 'walk_in.moved',
          subject: booking.id,
          decision: 'moved',
          reason: ack.reason,
          details: { from: booking.simulator_id, to: target.id },
        });
        return 'resolved';
      }
    }

    const note = isConflictRejection(ack.reason)
      ? 'Bay was sold online while the venue was offline and no other bay is free at that time: staff must resolve (refund or rebook).'
      : `The cloud refused this walk-in (${ack.reason}): staff must resolve.`;
    updateBooking(database.db, booking.id, {
      status: 'cancelled',
      cancelled_at: at,
      cancellation_reason: note,
      reconciliation: 'flagged',
      reconciliation_note: note,
      updated_at: at,
    });
    appendAudit(database.db, {
      at,
      kind: 'walk_in.flagged',
      subject: booking.id,
      decision: 'flagged',
      reason: ack.reason,
    });
    return 'keep';
  };
}
