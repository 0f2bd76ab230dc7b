import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import {
  accessTokens,
  bookings,
  customers,
  facilities,
  refreshTokens,
  simulators,
  users,
  waitlistEntries,
} from '../db/schema/index.js';
import { countedBookings, countedFigures } from './customer-figures.sql.js';
import { bookingsLinking, notAHold } from './customer-of-facility.sql.js';

export type CustomerRow = typeof customers.$inferSelect;
export type CustomerBookingRow = typeof bookings.$inferSelect;

const ACTIVE = ['pending', 'confirmed', 'checked_in'];

/**
 * A customer's running totals as the customers row keeps them (`total_bookings`,
 * `total_spent_cents`, `last_booking_at`), but from their bookings at some facilities only.
 */
export interface CustomerFigures {
  totalBookings: number;
  totalSpentCents: number;
  lastBookingAt: Date | null;
}

/** Customers, their bookings as seen from the customer, and the GDPR export/erasure queries. */
export class CustomerRepository {
  constructor(private readonly db: Database) {}

  async findById(id: string, tx: Executor = this.db): Promise<CustomerRow | undefined> {
    const [row] = await tx.select().from(customers).where(eq(customers.id, id)).limit(1);
    return row;
  }

  /** Facilities the customer has booked at (`bookingsLinking`): the ones whose staff may see them. */
  async facilityIdsOf(customerId: string, tx: Executor = this.db): Promise<string[]> {
    const rows = await tx
      .selectDistinct({ facilityId: bookings.facilityId })
      .from(bookings)
      .where(bookingsLinking(customerId));
    return rows.map((r) => r.facilityId);
  }

  /** Past and finished bookings (most recent first), at most `limit`. */
  async history(customerId: string, now: Date, facilityIds: string[] | null, limit: number) {
    return this.db
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.customerId, customerId),
          notAHold,
          facilityIds ? inArray(bookings.facilityId, facilityIds) : undefined,
          or(lte(bookings.endTime, now), sql`${bookings.status} NOT IN ('pending','confirmed','checked_in')`),
        ),
      )
      .orderBy(desc(bookings.startTime))
      .limit(limit);
  }

  /** Active bookings that have not ended yet, soonest first. */
  async upcoming(customerId: string, now: Date, facilityIds: string[] | null, limit: number) {
    return this.db
      .select()
      .from(bookings)
      .where(
        and(
          eq(bookings.customerId, customerId),
          notAHold,
          facilityIds ? inArray(bookings.facilityId, facilityIds) : undefined,
          inArray(bookings.status, ACTIVE),
          gt(bookings.endTime, now),
        ),
      )
      .orderBy(asc(bookings.startTime))
      .limit(limit);
  }

  /** The customer's figures at these facilities (`countedBookings`: as the customers row counts). */
  async figuresAt(customerId: string, facilityIds: string[]): Promise<CustomerFigures> {
    if (facilityIds.length === 0) return { totalBookings: 0, totalSpentCents: 0, lastBookingAt: null };
    const [row] = await this.db
      .select(countedFigures)
      .from(bookings)
      .where(countedBookings(customerId, facilityIds));
    const last = row?.lastBookingAt ?? null;
    return {
      totalBookings: Number(row?.totalBookings ?? 0),
      totalSpentCents: Number(row?.totalSpentCents ?? 0),
      lastBookingAt: last === null ? null : new Date(last),
    };
  }

  /** Minutes actually played: completed bookings, and checked-in ones that have ended. */
  async playedMinutes(customerId: string, now: Date): Promise<number> {
    const [row] = await this.db
      .select({ minutes: sql<number>`coalesce(sum(${bookings.duration}), 0)::int` })
      .from(bookings)
      .where(
        and(
          eq(bookings.customerId, customerId),
          or(
            eq(bookings.status, 'completed'),
            and(eq(bookings.status, 'checked_in'), lte(bookings.endTime, now)),
          ),
        ),
      );
    return Number(row?.minutes ?? 0);
  }

  async bayExists(simulatorId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: simulators.id })
      .from(simulators)
      .where(eq(simulators.id, simulatorId))
      .limit(1);
    return rows.length > 0;
  }

  async setPreferences(tx: Executor, id: string, preferences: Record<string, unknown>): Promise<CustomerRow> {
    const [row] = await tx
      .update(customers)
      .set({ preferences, updatedAt: new Date() })
      .where(eq(customers.id, id))
      .returning();
    return row!;
  }

  async lockById(tx: Executor, id: string): Promise<CustomerRow | undefined> {
    const [row] = await tx.select().from(customers).where(eq(customers.id, id)).for('update').limit(1);
    return row;
  }

  // GDPR export: every row that belongs to the customer.

  async accountsOf(customerId: string) {
    return this.db
      .select({
        id: users.id,
        email: users.email,
        role: users.role,
        display_name: users.displayName,
        disabled_at: users.disabledAt,
        created_at: users.createdAt,
        updated_at: users.updatedAt,
      })
      .from(users)
      .where(eq(users.customerId, customerId));
  }

  async allBookingsOf(customerId: string) {
    return this.db
      .select({ booking: bookings, facilityName: facilities.name, timezone: facilities.timezone })
      .from(bookings)
      .innerJoin(facilities, eq(facilities.id, bookings.facilityId))
      .where(eq(bookings.customerId, customerId))
      .orderBy(asc(bookings.startTime));
  }

  async accessTokensOf(bookingIds: string[]) {
    if (bookingIds.length === 0) return [];
    return this.db
      .select()
      .from(accessTokens)
      .where(inArray(accessTokens.bookingId, bookingIds))
      .orderBy(asc(accessTokens.createdAt));
  }

  async waitlistOf(customerId: string) {
    return this.db
      .select()
      .from(waitlistEntries)
      .where(eq(waitlistEntries.customerId, customerId))
      .orderBy(asc(waitlistEntries.createdAt));
  }

  // GDPR erasure, all inside the caller's transaction.

  /** Future active bookings (holds included), locked so no concurrent change slips in. */
  async lockFutureActive(tx: Executor, customerId: string, now: Date): Promise<CustomerBookingRow[]> {
    return tx
      .select()
      .from(bookings)
      .where(
        and(eq(bookings.customerId, customerId), inArray(bookings.status, ACTIVE), gt(bookings.endTime, now)),
      )
      .orderBy(asc(bookings.startTime))
      .for('update');
  }

  async deleteHolds(tx: Executor, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.delete(bookings).where(and(inArray(bookings.id, ids), isNotNull(bookings.holdExpiresAt)));
  }

  async cancelBooking(
    tx: Executor,
    id: string,
    values: { reason: string; refundCents: number; paymentStatus: string | null },
  ): Promise<CustomerBookingRow> {
    const now = new Date();
    const [row] = await tx
      .update(bookings)
      .set({
        status: 'cancelled',
        cancelledAt: now,
        cancellationReason: values.reason,
        refundCents: values.refundCents,
        paymentStatus: values.paymentStatus,
        updatedAt: now,
      })
      .where(eq(bookings.id, id))
      .returning();
    return row!;
  }

  /** Revokes every unrevoked credential of the bookings; returns how many were revoked. */
  async revokeAccessTokens(tx: Executor, bookingIds: string[]): Promise<number> {
    if (bookingIds.length === 0) return 0;
    const rows = await tx
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(and(inArray(accessTokens.bookingId, bookingIds), isNull(accessTokens.revokedAt)))
      .returning({ id: accessTokens.id });
    return rows.length;
  }

  /** Blanks the personal fields; the row stays so bookings keep their (now anonymous) customer. */
  async anonymise(tx: Executor, id: string, erasedAt: Date): Promise<CustomerRow> {
    const [row] = await tx
      .update(customers)
      .set({
        email: `erased-${id}@erased.invalid`,
        phone: null,
        firstName: null,
        lastName: null,
        hubspotContactId: null,
        preferences: {},
        tags: null,
        vipStatus: false,
        memberTier: null,
        deletedAt: erasedAt,
        updatedAt: erasedAt,
      })
      .where(eq(customers.id, id))
      .returning();
    return row!;
  }

  /** Disables the customer's login accounts and revokes their refresh tokens. */
  async disableAccounts(tx: Executor, customerId: string, erasedAt: Date): Promise<number> {
    const accounts = await tx
      .update(users)
      .set({
        email: sql`'erased-' || ${users.id}::text || '@erased.invalid'`,
        passwordHash: 'erased',
        displayName: null,
        disabledAt: erasedAt,
        updatedAt: erasedAt,
      })
      .where(eq(users.customerId, customerId))
      .returning({ id: users.id });
    const ids = accounts.map((a) => a.id);
    if (ids.length > 0) {
      await tx
        .update(refreshTokens)
        .set({ revokedAt: erasedAt })
        .where(and(inArray(refreshTokens.userId, ids), isNull(refreshTokens.revokedAt)));
    }
    return ids.length;
  }

  async leaveWaitlist(tx: Executor, customerId: string): Promise<number> {
    const rows = await tx
      .update(waitlistEntries)
      .set({ status: 'cancelled', offerBookingId: null, offerExpiresAt: null, updatedAt: new Date() })
      .where(
        and(
          eq(waitlistEntries.customerId, customerId),
          inArray(waitlistEntries.status, ['waiting', 'offered']),
        ),
      )
      .returning({ id: waitlistEntries.id });
    return rows.length;
  }

  async facilitySettings(facilityId: string, tx: Executor = this.db): Promise<Record<string, unknown>> {
    const [row] = await tx
      .select({ settings: facilities.settings })
      .from(facilities)
      .where(eq(facilities.id, facilityId))
      .limit(1);
    return row?.settings ?? {};
  }
}
