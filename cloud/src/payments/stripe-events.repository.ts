import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { executeNamed } from '../common/named-statement.js';
import type { Database, Executor } from '../db/client.js';
import { stripeEvents } from '../db/schema/payments.schema.js';

export type StripeEventRow = typeof stripeEvents.$inferSelect;

/** The `stripe_events` table: every verified webhook event, stored by id before it is acknowledged. */
export class StripeEventsRepository {
  constructor(private readonly db: Database) {}

  /** Stores the event; false when its id was stored before (a redelivery). */
  async insertIfNew(event: { id: string; type: string; payload: Record<string, unknown> }): Promise<boolean> {
    const rows = await this.db
      .insert(stripeEvents)
      .values(event)
      .onConflictDoNothing({ target: stripeEvents.id })
      .returning({ id: stripeEvents.id });
    return rows.length === 1;
  }

  /** Stores the event in the caller's transaction; its row (locked by the insert), or undefined for a repeat. */
  async insertNew(
    tx: Executor,
    event: { id: string; type: string; payload: Record<string, unknown> },
  ): Promise<StripeEventRow | undefined> {
    const [row] = await tx
      .insert(stripeEvents)
      .values(event)
      .onConflictDoNothing({ target: stripeEvents.id })
      .returning();
    return row;
  }

  /**
   * Stores a webhook batch in one statement; the ids that were new (a redelivery is not). Each row
   * gets its own instant, in the batch's order, so held events are retried in the order received.
   */
  async insertMany(
    tx: Executor,
    events: { id: string; type: string; payload: Record<string, unknown> }[],
  ): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows = await tx
      .insert(stripeEvents)
      .values(events.map((e) => ({ ...e, receivedAt: sql`clock_timestamp()` })))
      .onConflictDoNothing({ target: stripeEvents.id })
      .returning({ id: stripeEvents.id });
    return new Set(rows.map((r) => r.id));
  }

  /**
   * A batch's outcomes in one statement (`held`: its reason, or null once applied), answering the
   * held events of the bookings whose events applied (and those held before their booking was
   * known), oldest first, the batch's own left out: what `markAppliedListingHeld` does per event.
   */
  async markBatch(
    tx: Executor,
    marks: { id: string; booking_id: string | null; held: string | null }[],
  ): Promise<{ id: string; bookingId: string | null }[]> {
    if (marks.length === 0) return [];
    const applied = [...new Set(marks.filter((m) => m.held === null).map((m) => m.booking_id))];
    const { rows } = await executeNamed<{ id: string; booking_id: string | null }>(
      tx,
      sql`with v as (
            select * from jsonb_to_recordset(${JSON.stringify(marks)}::jsonb)
              as v(id text, booking_id uuid, held text)
          ), done as (
            update stripe_events e set
              applied_at = case when v.held is null then now() end,
              held_reason = v.held,
              booking_id = v.booking_id
            from v where e.id = v.id)
          select id, booking_id from stripe_events
          where applied_at is null and held_reason is not null
            and (booking_id is null or booking_id in (
              select b::uuid from jsonb_array_elements_text(${JSON.stringify(applied.filter((b) => b !== null))}::jsonb) b))
            and id not in (select id from v)
          order by received_at, id`,
    );
    return rows.map((r) => ({ id: r.id, bookingId: r.booking_id }));
  }

  async find(id: string, tx: Executor = this.db): Promise<StripeEventRow | undefined> {
    const [row] = await tx.select().from(stripeEvents).where(eq(stripeEvents.id, id));
    return row;
  }

  /**
   * The event, locked for applying; undefined when another transaction has it (`skipLocked`: that
   * one applies it, and will see whatever this transaction commits).
   */
  async lock(tx: Executor, id: string, skipLocked = false): Promise<StripeEventRow | undefined> {
    const query = tx.select().from(stripeEvents).where(eq(stripeEvents.id, id));
    const [row] = await (skipLocked ? query.for('update', { skipLocked: true }) : query.for('update'));
    return row;
  }

  async markApplied(tx: Executor, id: string, bookingId: string | null): Promise<void> {
    await tx
      .update(stripeEvents)
      .set({ appliedAt: new Date(), heldReason: null, bookingId })
      .where(eq(stripeEvents.id, id));
  }

  /**
   * `markApplied` and the booking's held events (as `heldIds`, this event left out) in one
   * statement: the look-up that follows every applied event, nearly always empty, costs no round
   * trip of its own (bench/payments-webhooks.md). Run after the booking's and provider ids' locks.
   */
  async markAppliedListingHeld(tx: Executor, id: string, bookingId: string): Promise<string[]> {
    const { rows } = await executeNamed<{ id: string }>(
      tx,
      sql`with done as (
            update stripe_events set applied_at = ${new Date()}, held_reason = null, booking_id = ${bookingId}
            where id = ${id})
          select id from stripe_events
          where applied_at is null and held_reason is not null and id <> ${id}
            and (booking_id = ${bookingId} or booking_id is null)
          order by received_at, id`,
    );
    return rows.map((r) => r.id);
  }

  async markHeld(tx: Executor, id: string, reason: string, bookingId: string | null): Promise<void> {
    await tx.update(stripeEvents).set({ heldReason: reason, bookingId }).where(eq(stripeEvents.id, id));
  }

  /** Held events of a booking, and those held before their booking was known, oldest first. */
  async heldIds(tx: Executor, bookingId: string): Promise<string[]> {
    const rows = await tx
      .select({ id: stripeEvents.id })
      .from(stripeEvents)
      .where(
        and(
          isNull(stripeEvents.appliedAt),
          sql`${stripeEvents.heldReason} is not null`,
          sql`(${stripeEvents.bookingId} = ${bookingId} or ${stripeEvents.bookingId} is null)`,
        ),
      )
      .orderBy(asc(stripeEvents.receivedAt), asc(stripeEvents.id));
    return rows.map((r) => r.id);
  }

  /** Stored events never tried (a crash between the acknowledgement and applying). */
  async untriedIds(olderThan: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: stripeEvents.id })
      .from(stripeEvents)
      .where(
        and(
          isNull(stripeEvents.appliedAt),
          isNull(stripeEvents.heldReason),
          sql`${stripeEvents.receivedAt} < ${olderThan}`,
        ),
      )
      .orderBy(asc(stripeEvents.receivedAt))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** Counts for tests and the admin view. */
  async counts(): Promise<{ stored: number; applied: number; held: number }> {
    const [row] = await this.db
      .select({
        stored: sql<number>`count(*)::int`,
        applied: sql<number>`(count(*) filter (where ${stripeEvents.appliedAt} is not null))::int`,
        held: sql<number>`(count(*) filter (where ${stripeEvents.appliedAt} is null and ${stripeEvents.heldReason} is not null))::int`,
      })
      .from(stripeEvents);
    return row!;
  }
}
