import { and, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import {
  availabilityRules,
  bookings,
  closures,
  customers,
  edgeEvents,
  edgeNodes,
  facilities,
  pricingRules,
  simulators,
} from '../db/schema/index.js';

export type EdgeNodeRow = typeof edgeNodes.$inferSelect;
export type BookingRow = typeof bookings.$inferSelect;

/** Edge registrations, snapshot reads and the received-events store. */
export class EdgeFeedRepository {
  constructor(private readonly db: Database) {}

  async insertEdge(values: typeof edgeNodes.$inferInsert): Promise<EdgeNodeRow> {
    const [row] = await this.db.insert(edgeNodes).values(values).returning();
    return row!;
  }

  async revokeEdge(id: string): Promise<EdgeNodeRow | undefined> {
    const [row] = await this.db
      .update(edgeNodes)
      .set({ revokedAt: new Date() })
      .where(and(eq(edgeNodes.id, id), isNull(edgeNodes.revokedAt)))
      .returning();
    return row;
  }

  /** False once the edge's key was revoked (or the registration is gone). */
  async isEdgeActive(id: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: edgeNodes.id })
      .from(edgeNodes)
      .where(and(eq(edgeNodes.id, id), isNull(edgeNodes.revokedAt)))
      .limit(1);
    return row !== undefined;
  }

  async touchEdge(id: string, lastPulledSeq?: number): Promise<void> {
    await this.db
      .update(edgeNodes)
      .set({ lastSeenAt: new Date(), ...(lastPulledSeq === undefined ? {} : { lastPulledSeq }) })
      .where(eq(edgeNodes.id, id));
  }

  async facilityRow(id: string, tx: Executor = this.db) {
    const [row] = await tx.select().from(facilities).where(eq(facilities.id, id)).limit(1);
    return row;
  }

  /** What a fresh edge replicates: the facility, its bays, rules, closures, and live bookings. */
  async snapshotRows(facilityId: string, since: Date) {
    const bays = await this.db.select().from(simulators).where(eq(simulators.facilityId, facilityId));
    const bayIds = bays.map((b) => b.id);
    const [rules, prices, closureRows, bookingRows, cancelled] = await Promise.all([
      bayIds.length === 0
        ? Promise.resolve([])
        : this.db.select().from(availabilityRules).where(inArray(availabilityRules.simulatorId, bayIds)),
      this.db.select().from(pricingRules).where(eq(pricingRules.facilityId, facilityId)),
      this.db
        .select()
        .from(closures)
        .where(and(eq(closures.facilityId, facilityId), gt(closures.endsAt, since))),
      this.db
        .select()
        .from(bookings)
        .where(
          and(
            eq(bookings.facilityId, facilityId),
            gt(bookings.endTime, since),
            inArray(bookings.status, ['confirmed', 'checked_in', 'completed', 'no_show']),
          ),
        ),
      this.db
        .select()
        .from(bookings)
        .where(
          and(
            eq(bookings.facilityId, facilityId),
            eq(bookings.status, 'cancelled'),
            isNotNull(bookings.cancelledAt),
            gt(bookings.endTime, since),
          ),
        ),
    ]);
    return {
      bays,
      rules,
      prices,
      closures: closureRows,
      bookings: bookingRows,
      cancelled,
      customerPreferences: await this.customerPreferences(bookingRows.map((b) => b.customerId)),
    };
  }

  /** Stored preferences of these customers (for the bookings' feed payload); empty lists guarded. */
  async customerPreferences(ids: (string | null)[]): Promise<Map<string, Record<string, unknown>>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    const found = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.db
        .select({ id: customers.id, preferences: customers.preferences })
        .from(customers)
        .where(inArray(customers.id, wanted.slice(i, i + 500)));
      for (const row of rows) found.set(row.id, row.preferences);
    }
    return found;
  }

  /** Stores an event once: false when `event_id` was already received. */
  async insertEvent(values: typeof edgeEvents.$inferInsert, tx: Executor = this.db): Promise<boolean> {
    const rows = await tx
      .insert(edgeEvents)
      .values(values)
      .onConflictDoNothing({ target: edgeEvents.eventId })
      .returning({ id: edgeEvents.eventId });
    return rows.length === 1;
  }

  async lockBooking(tx: Executor, id: string): Promise<BookingRow | undefined> {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for('update').limit(1);
    return row;
  }

  async updateBooking(
    tx: Executor,
    id: string,
    values: Partial<typeof bookings.$inferInsert>,
  ): Promise<BookingRow> {
    const [row] = await tx
      .update(bookings)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(bookings.id, id))
      .returning();
    return row!;
  }
}
