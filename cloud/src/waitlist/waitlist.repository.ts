import { and, asc, eq, gt, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { bookings, waitlistEntries } from '../db/schema/index.js';

export type WaitlistRow = typeof waitlistEntries.$inferSelect;
/** An entry with the bay of its open offer's hold (null when there is none). */
export type WaitlistView = WaitlistRow & { offerSimulatorId: string | null };

const viewColumns = {
  id: waitlistEntries.id,
  facilityId: waitlistEntries.facilityId,
  simulatorId: waitlistEntries.simulatorId,
  customerId: waitlistEntries.customerId,
  startTime: waitlistEntries.startTime,
  duration: waitlistEntries.duration,
  status: waitlistEntries.status,
  offerBookingId: waitlistEntries.offerBookingId,
  offerExpiresAt: waitlistEntries.offerExpiresAt,
  createdAt: waitlistEntries.createdAt,
  updatedAt: waitlistEntries.updatedAt,
  offerSimulatorId: bookings.simulatorId,
};

const endOf = sql`${waitlistEntries.startTime} + make_interval(mins => ${waitlistEntries.duration})`;

/** Waitlist entries. Status changes are conditional updates, so two racing callers cannot both win. */
export class WaitlistRepository {
  constructor(private readonly db: Database) {}

  async insert(values: typeof waitlistEntries.$inferInsert, tx: Executor = this.db): Promise<WaitlistRow> {
    const [row] = await tx.insert(waitlistEntries).values(values).returning();
    return row!;
  }

  private view(where: SQL | undefined) {
    return this.db
      .select(viewColumns)
      .from(waitlistEntries)
      .leftJoin(bookings, eq(bookings.id, waitlistEntries.offerBookingId))
      .where(where)
      .orderBy(asc(waitlistEntries.startTime), asc(waitlistEntries.createdAt), asc(waitlistEntries.id));
  }

  async findById(id: string): Promise<WaitlistView | undefined> {
    const [row] = await this.view(eq(waitlistEntries.id, id)).limit(1);
    return row;
  }

  async list(filter: {
    customerId?: string;
    facilityIds?: string[] | null;
    status?: string;
  }): Promise<WaitlistView[]> {
    if (filter.facilityIds && filter.facilityIds.length === 0) return [];
    return this.view(
      and(
        filter.customerId ? eq(waitlistEntries.customerId, filter.customerId) : undefined,
        filter.facilityIds ? inArray(waitlistEntries.facilityId, filter.facilityIds) : undefined,
        filter.status ? eq(waitlistEntries.status, filter.status) : undefined,
      ),
    ).limit(500);
  }

  /** Waiting entries of the facilities, oldest first: the line, to number positions. */
  async waitingLine(facilityIds: string[], tx: Executor = this.db): Promise<WaitlistRow[]> {
    if (facilityIds.length === 0) return [];
    return tx
      .select()
      .from(waitlistEntries)
      .where(and(inArray(waitlistEntries.facilityId, facilityIds), eq(waitlistEntries.status, 'waiting')))
      .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id));
  }

  /** The customer's open entry for exactly this slot, if any (no joining twice). */
  async findOpenDuplicate(v: {
    customerId: string;
    facilityId: string;
    simulatorId: string | null;
    startTime: Date;
    duration: number;
  }): Promise<WaitlistRow | undefined> {
    const [row] = await this.db
      .select()
      .from(waitlistEntries)
      .where(
        and(
          eq(waitlistEntries.customerId, v.customerId),
          eq(waitlistEntries.facilityId, v.facilityId),
          v.simulatorId
            ? eq(waitlistEntries.simulatorId, v.simulatorId)
            : isNull(waitlistEntries.simulatorId),
          eq(waitlistEntries.startTime, v.startTime),
          eq(waitlistEntries.duration, v.duration),
          inArray(waitlistEntries.status, ['waiting', 'offered']),
        ),
      )
      .limit(1);
    return row;
  }

  /**
   * Who may be offered time freed on `simulatorId` in `[from, to)`: waiting entries for that bay
   * or for any bay of the facility whose slot overlaps it and has not started, first come first.
   */
  async candidates(
    facilityId: string,
    simulatorId: string,
    from: Date,
    to: Date,
    now: Date,
  ): Promise<WaitlistRow[]> {
    return this.db
      .select()
      .from(waitlistEntries)
      .where(
        and(
          eq(waitlistEntries.facilityId, facilityId),
          eq(waitlistEntries.status, 'waiting'),
          or(isNull(waitlistEntries.simulatorId), eq(waitlistEntries.simulatorId, simulatorId)),
          lt(waitlistEntries.startTime, to),
          sql`${endOf} > ${from}`,
          gt(waitlistEntries.startTime, now),
        ),
      )
      .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id));
  }

  /** waiting → offered, only if still waiting. */
  async markOffered(id: string, offerBookingId: string, expiresAt: Date): Promise<boolean> {
    // The offer email goes to the outbox in the same statement (docs/decisions/011).
    const result = (await this.db.execute(sql`
      WITH upd AS (
        UPDATE waitlist_entries SET status = 'offered', offer_booking_id = ${offerBookingId}::uuid,
          offer_expires_at = ${expiresAt.toISOString()}::timestamptz, updated_at = now()
        WHERE id = ${id}::uuid AND status = 'waiting' RETURNING id, facility_id
      ), notify AS (
        INSERT INTO notification_messages (booking_id, facility_id, kind, version)
        SELECT ${offerBookingId}::uuid, facility_id, 'waitlist_offer', 1 FROM upd
        ON CONFLICT DO NOTHING
      )
      SELECT id FROM upd`)) as unknown as { rows: unknown[] };
    return result.rows.length === 1;
  }

  /** Moves the entry from one of `from` to `to`; false when someone else moved it first. */
  async transition(
    id: string,
    from: string[],
    to: string,
    extra: Partial<typeof waitlistEntries.$inferInsert> = {},
    tx: Executor = this.db,
  ): Promise<WaitlistRow | undefined> {
    const [row] = await tx
      .update(waitlistEntries)
      .set({ status: to, updatedAt: new Date(), ...extra })
      .where(and(eq(waitlistEntries.id, id), inArray(waitlistEntries.status, from)))
      .returning();
    return row;
  }

  async lapsedOffers(now: Date): Promise<WaitlistRow[]> {
    return this.db
      .select()
      .from(waitlistEntries)
      .where(and(eq(waitlistEntries.status, 'offered'), lte(waitlistEntries.offerExpiresAt, now)))
      .orderBy(asc(waitlistEntries.offerExpiresAt));
  }

  /** Waiting entries whose slot has started can no longer be served. */
  async expireStarted(now: Date): Promise<number> {
    const rows = await this.db
      .update(waitlistEntries)
      .set({ status: 'expired', updatedAt: now })
      .where(and(eq(waitlistEntries.status, 'waiting'), lte(waitlistEntries.startTime, now)))
      .returning({ id: waitlistEntries.id });
    return rows.length;
  }

  async booking(id: string) {
    const [row] = await this.db.select().from(bookings).where(eq(bookings.id, id)).limit(1);
    return row;
  }

  /** Drops an offer's hold (only while it is still a hold: an accepted one is a booking now). */
  async deleteHold(bookingId: string): Promise<void> {
    await this.db
      .delete(bookings)
      .where(
        and(
          eq(bookings.id, bookingId),
          eq(bookings.status, 'pending'),
          sql`${bookings.holdExpiresAt} is not null`,
        ),
      );
  }
}
