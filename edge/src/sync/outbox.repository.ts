import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { outbox } from '../db/schema.js';

export type OutboxRow = typeof outbox.$inferSelect;

export interface NewOutboxEvent {
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: number;
}

/**
 * Call inside the transaction that makes the local change the event reports
 * (docs/decisions/005-edge-outbox.md).
 */
export function enqueueEvent(db: Drizzle, event: NewOutboxEvent): void {
  // Insert-or-ignore on the event id: re-running the same local write cannot queue it twice.
  db.insert(outbox).values(event).onConflictDoNothing({ target: outbox.event_id }).run();
}

/** The oldest pending events, in the order they happened. */
export function pendingBatch(db: Drizzle, limit: number): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(eq(outbox.state, 'pending'))
    .orderBy(asc(outbox.seq))
    .limit(limit)
    .all();
}

export function pendingEvent(db: Drizzle, eventId: string): OutboxRow | undefined {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.event_id, eventId), eq(outbox.state, 'pending')))
    .get();
}

/** Acknowledged (accepted or duplicate) by the cloud: only now may the rows go. */
export function deleteAcknowledged(db: Drizzle, eventIds: string[]): void {
  for (let i = 0; i < eventIds.length; i += 500) {
    db.delete(outbox)
      .where(inArray(outbox.event_id, eventIds.slice(i, i + 500)))
      .run();
  }
}

/** Refused by the cloud for good: kept, with the reason, for staff; never re-sent. */
export function markRejected(db: Drizzle, eventId: string, reason: string, at: number): void {
  db.update(outbox)
    .set({ state: 'rejected', rejected_reason: reason, rejected_at: at })
    .where(eq(outbox.event_id, eventId))
    .run();
}

export function recordAttemptFailure(db: Drizzle, eventIds: string[], error: string): void {
  if (eventIds.length === 0) return;
  db.update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, last_error: error })
    .where(inArray(outbox.event_id, eventIds))
    .run();
}

export function outboxDepth(db: Drizzle): { pending: number; rejected: number } {
  const rows = db.select({ state: outbox.state, n: count() }).from(outbox).groupBy(outbox.state).all();
  const by = new Map(rows.map((r) => [r.state, r.n]));
  return { pending: by.get('pending') ?? 0, rejected: by.get('rejected') ?? 0 };
}

export function rejectedEvents(db: Drizzle, limit: number): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(eq(outbox.state, 'rejected'))
    .orderBy(asc(outbox.seq))
    .limit(limit)
    .all();
}
