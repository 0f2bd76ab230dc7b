import { and, asc, eq, gt, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { bays, bookings, customers, sessionSteps } from '../db/schema.js';
import type { StepName } from './session-plan.js';

export type SessionBooking = typeof bookings.$inferSelect;
export type SessionStepRecord = typeof sessionSteps.$inferSelect;

/**
 * Bookings the automation must look at: those starting within `until` and not ended before
 * `since`, plus any whose bay was prepared but never ended (a session left open by an outage).
 */
export function sessionCandidates(db: Drizzle, since: number, until: number): SessionBooking[] {
  const open = db
    .select({ id: sessionSteps.booking_id })
    .from(sessionSteps)
    .where(and(eq(sessionSteps.step, 'prepare'), inArray(sessionSteps.outcome, ['pending', 'sent'])))
    .all()
    .map((r) => r.id);
  const ended = new Set(
    open.length === 0
      ? []
      : db
          .select({ id: sessionSteps.booking_id })
          .from(sessionSteps)
          .where(and(eq(sessionSteps.step, 'end'), inArray(sessionSteps.booking_id, open)))
          .all()
          .map((r) => r.id),
  );
  const unfinished = open.filter((id) => !ended.has(id));
  const window = and(lte(bookings.start_time, until), gt(bookings.end_time, since));
  return db
    .select()
    .from(bookings)
    .where(unfinished.length === 0 ? window : or(window, inArray(bookings.id, unfinished.slice(0, 500))))
    .orderBy(asc(bookings.start_time))
    .all();
}

export function stepsOf(db: Drizzle, bookingId: string): Map<StepName, SessionStepRecord> {
  const rows = db.select().from(sessionSteps).where(eq(sessionSteps.booking_id, bookingId)).all();
  return new Map(rows.map((r) => [r.step as StepName, r]));
}

/** Insert-or-ignore on (booking, step): true when this call recorded it (and so must act on it). */
export function recordStep(db: Drizzle, row: typeof sessionSteps.$inferInsert): boolean {
  return db.insert(sessionSteps).values(row).onConflictDoNothing().run().changes > 0;
}

export function markStepSent(db: Drizzle, bookingId: string, step: StepName): void {
  db.update(sessionSteps)
    .set({ outcome: 'sent' })
    .where(and(eq(sessionSteps.booking_id, bookingId), eq(sessionSteps.step, step)))
    .run();
}

/** Sent steps of the bay's sessions that were prepared and not yet ended, oldest first. */
export function openSessionSteps(db: Drizzle, simulatorId: string): SessionStepRecord[] {
  const rows = db
    .select()
    .from(sessionSteps)
    .where(eq(sessionSteps.simulator_id, simulatorId))
    .orderBy(asc(sessionSteps.due_at), sql`rowid`)
    .all();
  const ended = new Set(rows.filter((r) => r.step === 'end').map((r) => r.booking_id));
  const prepared = new Set(
    rows.filter((r) => r.step === 'prepare' && r.outcome === 'sent').map((r) => r.booking_id),
  );
  return rows.filter(
    (r) =>
      prepared.has(r.booking_id) && !ended.has(r.booking_id) && r.outcome === 'sent' && r.command_id !== null,
  );
}

export function pendingSteps(db: Drizzle): SessionStepRecord[] {
  return db
    .select()
    .from(sessionSteps)
    .where(eq(sessionSteps.outcome, 'pending'))
    .orderBy(asc(sessionSteps.due_at), sql`rowid`)
    .all();
}

export function allStepsOf(db: Drizzle, bookingId: string): SessionStepRecord[] {
  return db
    .select()
    .from(sessionSteps)
    .where(eq(sessionSteps.booking_id, bookingId))
    .orderBy(asc(sessionSteps.due_at), sql`rowid`)
    .all();
}

export function bayDevice(
  db: Drizzle,
  simulatorId: string,
): { ninjaone_device_id: string | null } | undefined {
  return db
    .select({ ninjaone_device_id: bays.ninjaone_device_id })
    .from(bays)
    .where(eq(bays.id, simulatorId))
    .get();
}

export function customerName(db: Drizzle, customerId: string | null): string | null {
  if (customerId === null) return null;
  const row = db
    .select({ first: customers.first_name, last: customers.last_name })
    .from(customers)
    .where(eq(customers.id, customerId))
    .get();
  const name = [row?.first, row?.last].filter((p) => typeof p === 'string' && p !== '').join(' ');
  return name === '' ? null : name;
}

/** Whether another live booking (or hold) takes any of [from, to) on the bay, per the replica. */
export function bayTakenBetween(
  db: Drizzle,
  simulatorId: string,
  from: number,
  to: number,
  exceptId: string,
): boolean {
  const row = db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.simulator_id, simulatorId),
        inArray(bookings.status, ['pending', 'confirmed', 'checked_in']),
        lt(bookings.start_time, to),
        gt(bookings.end_time, from),
        ne(bookings.id, exceptId),
      ),
    )
    .get();
  return row !== undefined;
}
