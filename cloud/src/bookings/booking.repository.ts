import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import {
  type GuestDetails,
  type GuestUpsert,
  guestAnswers,
  guestUpsertCte,
  parseGuestAnswers,
} from '../availability/guest-upsert.js';
import { executeNamed } from '../common/named-statement.js';
import { addCustomerTotals } from '../customers/customer-totals.js';
import type { Database, Executor } from '../db/client.js';
import { accessTokens, bookings, customers, hubspotOutbox } from '../db/schema/index.js';

export type BookingRow = typeof bookings.$inferSelect;
export type NewBookingRow = typeof bookings.$inferInsert;
export type AccessTokenRow = typeof accessTokens.$inferSelect;

export interface BookingWithTokens {
  booking: BookingRow;
  qrToken: string | null;
}

export interface BookingFilter {
  customerId?: string;
  facilityId?: string;
  facilityIds?: string[];
  status?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** Holds on these bays whose time has run out: they no longer block anything. */
const expiredHoldsOn = (simulatorIds: string[]) =>
  and(
    inArray(bookings.simulatorId, simulatorIds),
    eq(bookings.status, 'pending'),
    lte(bookings.holdExpiresAt, sql`now()`),
  );

/** Bookings (and holds), their access tokens, customer counters and the HubSpot outbox rows. */
export class BookingRepository {
  constructor(private readonly db: Database) {}

  /**
   * Takes the bays for this transaction's write, then purges their expired holds. Every insert or
   * move of a booking starts here. The transaction-scoped advisory lock per bay (taken in id order)
   * queues writers to the same bay; without it, twenty concurrent inserts for one slot each wait on
   * the others' uncommitted rows inside the exclusion check. That forms deadlock cycles, which
   * PostgreSQL breaks one per `deadlock_timeout` (1 s). Under load that took minutes. The
   * exclusion constraint stays the guarantee; the lock only orders the queue.
   */
  async claimBays(tx: Executor, simulatorIds: string[]): Promise<void> {
    if (simulatorIds.length === 0) return;
    for (const id of [...new Set(simulatorIds)].sort()) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`bay:${id}`}, 0))`);
    }
    await tx.delete(bookings).where(expiredHoldsOn(simulatorIds));
  }

  /**
   * Deletes expired holds on the bays (they no longer block anything); returns how many. The
   * one-statement write (booking.writer.ts) runs this only after an exclusion violation,
   * then tries once more.
   */
  async purgeExpiredHolds(tx: Executor, simulatorIds: string[]): Promise<number> {
    if (simulatorIds.length === 0) return 0;
    const rows = await tx.delete(bookings).where(expiredHoldsOn(simulatorIds)).returning({ id: bookings.id });
    return rows.length;
  }

  async insert(tx: Executor, rows: NewBookingRow[]): Promise<BookingRow[]> {
    if (rows.length === 0) return [];
    return tx.insert(bookings).values(rows).returning();
  }

  async insertAccessTokens(tx: Executor, rows: (typeof accessTokens.$inferInsert)[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.insert(accessTokens).values(rows);
  }

  /** Moves the live credentials' window end later (an extended session keeps its QR and PIN). */
  async extendAccessTokens(tx: Executor, bookingId: string, byMs: number): Promise<void> {
    await tx
      .update(accessTokens)
      .set({ validUntil: sql`${accessTokens.validUntil} + make_interval(secs => ${byMs / 1000})` })
      .where(and(eq(accessTokens.bookingId, bookingId), isNull(accessTokens.revokedAt)));
  }

  async revokeAccessTokens(tx: Executor, bookingId: string): Promise<void> {
    await tx
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(accessTokens.bookingId, bookingId), isNull(accessTokens.revokedAt)));
  }

  async markTokenUsed(tx: Executor, bookingId: string, type: string): Promise<void> {
    await tx
      .update(accessTokens)
      .set({ usedAt: new Date() })
      .where(
        and(eq(accessTokens.bookingId, bookingId), eq(accessTokens.type, type), isNull(accessTokens.usedAt)),
      );
  }

  async findById(id: string, tx: Executor = this.db): Promise<BookingRow | undefined> {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).limit(1);
    return row;
  }

  /** Row lock for a status change, so two concurrent cancels cannot both refund. */
  async lockById(tx: Executor, id: string): Promise<BookingRow | undefined> {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for('update').limit(1);
    return row;
  }

  /**
   * Row locks of many bookings, taken in id order (two batches locking overlapping sets wait for
   * each other instead of deadlocking); with `customers`, their customers' rows too, also in id
   * order, before any writer's statement takes them one facility at a time.
   */
  async lockByIds(tx: Executor, ids: string[], customersToo = false): Promise<BookingRow[]> {
    if (ids.length === 0) return [];
    const rows = await tx
      .select()
      .from(bookings)
      .where(inArray(bookings.id, ids))
      .orderBy(asc(bookings.id))
      .for('update');
    const customerIds = [...new Set(rows.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
    if (customersToo && customerIds.length > 0)
      await tx
        .select({ id: customers.id })
        .from(customers)
        .where(inArray(customers.id, customerIds))
        .orderBy(asc(customers.id))
        .for('update');
    return rows;
  }

  async qrTokensOf(bookingIds: string[], tx: Executor = this.db): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (bookingIds.length === 0) return map;
    const rows = await tx
      .select({ bookingId: accessTokens.bookingId, token: accessTokens.token })
      .from(accessTokens)
      .where(
        and(
          inArray(accessTokens.bookingId, bookingIds),
          eq(accessTokens.type, 'qr'),
          isNull(accessTokens.revokedAt),
        ),
      )
      .orderBy(asc(accessTokens.createdAt));
    for (const row of rows) map.set(row.bookingId, row.token);
    return map;
  }

  async list(filter: BookingFilter): Promise<BookingRow[]> {
    const conditions = [];
    if (filter.customerId) conditions.push(eq(bookings.customerId, filter.customerId));
    if (filter.facilityId) conditions.push(eq(bookings.facilityId, filter.facilityId));
    if (filter.facilityIds) conditions.push(inArray(bookings.facilityId, filter.facilityIds));
    if (filter.status) conditions.push(eq(bookings.status, filter.status));
    if (filter.from) conditions.push(gte(bookings.startTime, filter.from));
    if (filter.to) conditions.push(lt(bookings.startTime, filter.to));
    return this.db
      .select()
      .from(bookings)
      .where(and(...conditions))
      .orderBy(desc(bookings.startTime))
      .limit(filter.limit);
  }

  async update(tx: Executor, id: string, values: Partial<NewBookingRow>): Promise<BookingRow> {
    const [row] = await tx
      .update(bookings)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(bookings.id, id))
      .returning();
    return row!;
  }

  async deleteHold(tx: Executor, id: string): Promise<void> {
    await tx.delete(bookings).where(and(eq(bookings.id, id), eq(bookings.status, 'pending')));
  }

  async findByReference(referenceCode: string, tx: Executor = this.db): Promise<BookingRow | undefined> {
    const [row] = await tx.select().from(bookings).where(eq(bookings.referenceCode, referenceCode)).limit(1);
    return row;
  }

  /** Finds or creates the customer by email; existing details are kept, missing ones filled in. */
  async upsertCustomer(
    tx: Executor,
    values: { email: string; firstName?: string | null; lastName?: string | null; phone?: string | null },
  ): Promise<string> {
    const [row] = await tx
      .insert(customers)
      .values(values)
      .onConflictDoUpdate({
        target: customers.email,
        set: {
          firstName: sql`coalesce(${customers.firstName}, excluded.first_name)`,
          lastName: sql`coalesce(${customers.lastName}, excluded.last_name)`,
          phone: sql`coalesce(${customers.phone}, excluded.phone)`,
          updatedAt: new Date(),
        },
      })
      .returning({ id: customers.id });
    return row!.id;
  }

  /**
   * `upsertCustomer`, plus whether a login account owns the record, in the same statement. The
   * booking check usually does this in its own read (`AvailabilityService.check` option `guest`).
   */
  async upsertGuestCustomer(tx: Executor, values: GuestDetails): Promise<GuestUpsert> {
    const result = await executeNamed<{ guests: unknown }>(
      tx,
      sql`WITH ${guestUpsertCte([values])} SELECT ${guestAnswers} AS guests`,
    );
    return parseGuestAnswers(result.rows[0]?.guests).get(values.email)!;
  }

  addCustomerTotals(tx: Executor, customerId: string, bookingsDelta: number, spentDeltaCents: number) {
    return addCustomerTotals(tx, customerId, bookingsDelta, spentDeltaCents);
  }

  async enqueueHubspot(
    tx: Executor,
    rows: { kind: string; aggregateId: string; payload: unknown }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await tx.insert(hubspotOutbox).values(rows);
  }
}
