import { and, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { BookingRow } from '../bookings/booking.repository.js';
import type { Database, Executor } from '../db/client.js';
import { accessTokens, bookings, customers, facilities, simulators, users } from '../db/schema/index.js';

export interface BookingPlace {
  bayName: string;
  facilityName: string;
  timezone: string;
  settings: Record<string, unknown>;
}

/** Reads and the one write (moving bookings between customer records) of guest access. No rules. */
export class GuestAccessRepository {
  constructor(private readonly db: Database) {}

  /**
   * The bookings with a reference code; checkout holds are not bookings yet. Codes are unique per
   * facility (docs/decisions/019-sharding-by-facility.md), so two venues may share one: the caller
   * picks the one its PIN or email proves.
   */
  async findByReference(code: string): Promise<BookingRow[]> {
    return this.db
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.referenceCode, code),
          or(ne(bookings.status, 'pending'), isNull(bookings.holdExpiresAt)),
        ),
      )
      .orderBy(bookings.createdAt)
      .limit(8);
  }

  async findById(id: string): Promise<BookingRow | undefined> {
    const [row] = await this.db.select().from(bookings).where(eq(bookings.id, id)).limit(1);
    return row;
  }

  async customerEmail(customerId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ email: customers.email })
      .from(customers)
      .where(eq(customers.id, customerId))
      .limit(1);
    return row?.email;
  }

  async hasAccount(customerId: string, tx: Executor = this.db): Promise<boolean> {
    const [row] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.customerId, customerId))
      .limit(1);
    return row !== undefined;
  }

  async placeOf(row: BookingRow): Promise<BookingPlace> {
    const [place] = await this.db
      .select({
        bayName: simulators.name,
        facilityName: facilities.name,
        timezone: facilities.timezone,
        settings: facilities.settings,
      })
      .from(simulators)
      .innerJoin(facilities, eq(facilities.id, simulators.facilityId))
      .where(eq(simulators.id, row.simulatorId))
      .limit(1);
    return place!;
  }

  async qrTokenOf(bookingId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ token: accessTokens.token })
      .from(accessTokens)
      .where(
        and(
          eq(accessTokens.bookingId, bookingId),
          eq(accessTokens.type, 'qr'),
          isNull(accessTokens.revokedAt),
        ),
      )
      .limit(1);
    return row?.token ?? null;
  }

  /**
   * The booking and, when it belongs to a series or group, the other bookings of it that still
   * have the same customer (they were made in the same checkout), locked for the move.
   */
  async lockClaimable(tx: Executor, booking: BookingRow): Promise<BookingRow[]> {
    const sameCustomer =
      booking.customerId === null ? isNull(bookings.customerId) : eq(bookings.customerId, booking.customerId);
    const scope = booking.seriesId
      ? and(eq(bookings.seriesId, booking.seriesId), sameCustomer)
      : eq(bookings.id, booking.id);
    return tx
      .select()
      .from(bookings)
      .where(and(scope, or(ne(bookings.status, 'pending'), isNull(bookings.holdExpiresAt))))
      .orderBy(bookings.startTime)
      .for('update');
  }

  async moveToCustomer(tx: Executor, ids: string[], customerId: string): Promise<BookingRow[]> {
    if (ids.length === 0) return [];
    return tx
      .update(bookings)
      .set({ customerId, updatedAt: new Date() })
      .where(inArray(bookings.id, ids))
      .returning();
  }

  /**
   * Locks the customer rows in id order, as the batched booking write does (`BookingWriter.insertBuilt
   * .run`: `ORDER BY c.id FOR UPDATE`): two transactions that both lock the same two records
   * then take them in the same order and cannot deadlock on them. `FOR NO KEY UPDATE`, the lock
   * the totals' UPDATE takes anyway: it still waits for (and holds off) the statement's `FOR UPDATE`,
   * but not the key-share locks the foreign-key checks of a booking INSERT take on its customer in
   * row order, not id order (`FOR UPDATE` would wait for those, and could deadlock with them).
   */
  async lockCustomers(tx: Executor, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx
      .select({ id: customers.id })
      .from(customers)
      .where(inArray(customers.id, ids))
      .orderBy(customers.id)
      .for('no key update');
  }

  /** Moves booking counts and spend between records (the seed's running totals). */
  async addTotals(
    tx: Executor,
    customerId: string,
    delta: { bookings: number; spentCents: number; lastBookingAt?: Date },
  ): Promise<void> {
    await tx
      .update(customers)
      .set({
        totalBookings: sql`greatest(0, ${customers.totalBookings} + ${delta.bookings})`,
        totalSpentCents: sql`greatest(0, ${customers.totalSpentCents} + ${delta.spentCents})`,
        ...(delta.lastBookingAt
          ? {
              lastBookingAt: sql`greatest(${customers.lastBookingAt}, ${delta.lastBookingAt.toISOString()}::timestamptz)`,
            }
          : {}),
        updatedAt: new Date(),
      })
      .where(eq(customers.id, customerId));
  }
}
