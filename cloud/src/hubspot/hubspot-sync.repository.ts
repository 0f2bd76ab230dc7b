import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { plainEmail } from '../customers/guest-email.js';
import type { Database, Executor } from '../db/client.js';
import { hubspotSyncItems } from '../db/schema/hubspot.schema.js';
import { bookings, customers, facilities, simulators } from '../db/schema/index.js';

export type SyncItemRow = typeof hubspotSyncItems.$inferSelect;
export type SyncItemKind = 'contact.upsert' | 'note.create' | 'deal.sync';
export type SyncItemStatus = 'pending' | 'done' | 'failed';

export interface NewSyncItem {
  kind: SyncItemKind;
  customerId: string;
  bookingId?: string | null;
  eventKey?: string | null;
  payload?: Record<string, unknown>;
}

export interface CustomerFacts {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  hubspotContactId: string | null;
  vipStatus: boolean;
  totalBookings: number;
  totalSpentCents: number;
  lastBookingAt: Date | null;
  deletedAt: Date | null;
}

export interface BookingDetail {
  id: string;
  customerId: string | null;
  status: string;
  type: string;
  seriesId: string | null;
  referenceCode: string;
  startTime: Date;
  endTime: Date;
  duration: number;
  priceCents: number;
  refundCents: number | null;
  /** Net of succeeded payments and refunds; null (or absent) while no payment succeeded. */
  paidCents?: number | null;
  cancellationReason: string | null;
  hubspotDealId: string | null;
  bayName: string;
  bayNumber: number | null;
  facilityName: string;
  timezone: string;
}

/** What the booking was paid, net of refunds (the ledger of src/payments/), or null when nothing succeeded. */
const paidNetCents = sql<number | null>`(
  select (sum(p.amount_cents) - coalesce((select sum(r.amount_cents) from refunds r
      where r.booking_id = ${bookings.id} and r.status = 'succeeded'), 0))::int
  from payments p where p.booking_id = ${bookings.id} and p.status = 'succeeded')`;

const bookingDetailColumns = {
  id: bookings.id,
  customerId: bookings.customerId,
  status: bookings.status,
  type: bookings.type,
  seriesId: bookings.seriesId,
  referenceCode: bookings.referenceCode,
  startTime: bookings.startTime,
  endTime: bookings.endTime,
  duration: bookings.duration,
  priceCents: bookings.priceCents,
  refundCents: bookings.refundCents,
  paidCents: paidNetCents,
  cancellationReason: bookings.cancellationReason,
  hubspotDealId: bookings.hubspotDealId,
  bayName: simulators.name,
  bayNumber: simulators.bayNumber,
  facilityName: facilities.name,
  timezone: facilities.timezone,
};

/** The sync items (one per HubSpot operation) and the customer and booking facts they send. */
export class HubspotSyncRepository {
  constructor(private readonly db: Database) {}

  /**
   * Inserts items; a repeated event key is ignored, and a contact change while a contact item
   * is pending bumps that item's revision instead of adding a second one.
   */
  async insertItems(tx: Executor, items: NewSyncItem[], now: Date): Promise<void> {
    const keyed = items.filter((i) => i.kind !== 'contact.upsert');
    if (keyed.length > 0) {
      await tx
        .insert(hubspotSyncItems)
        .values(keyed.map((i) => ({ ...i, payload: i.payload ?? {}, nextAttemptAt: now })))
        .onConflictDoNothing({ target: hubspotSyncItems.eventKey });
    }
    const contactIds = [
      ...new Set(items.filter((i) => i.kind === 'contact.upsert').map((i) => i.customerId)),
    ];
    for (const customerId of contactIds) {
      await tx
        .insert(hubspotSyncItems)
        .values({ kind: 'contact.upsert', customerId, nextAttemptAt: now })
        .onConflictDoUpdate({
          target: hubspotSyncItems.customerId,
          targetWhere: sql`kind = 'contact.upsert' AND status = 'pending'`,
          set: { revision: sql`${hubspotSyncItems.revision} + 1`, updatedAt: now },
        });
    }
  }

  /** Claims due items of the given kinds; the lease (a future `next_attempt_at`) hides them from other passes. */
  async claim(kinds: SyncItemKind[], now: Date, limit: number, leaseMs: number): Promise<SyncItemRow[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: hubspotSyncItems.id })
        .from(hubspotSyncItems)
        .where(
          and(
            eq(hubspotSyncItems.status, 'pending'),
            inArray(hubspotSyncItems.kind, kinds),
            lte(hubspotSyncItems.nextAttemptAt, now),
          ),
        )
        .orderBy(asc(hubspotSyncItems.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(hubspotSyncItems)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            hubspotSyncItems.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
      return rows.sort((a, b) => a.id - b.id);
    });
  }

  /** Persisted before the request leaves, so a crash mid-call is known to have maybe reached HubSpot. */
  async markSent(ids: number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(hubspotSyncItems)
      .set({ attempts: sql`${hubspotSyncItems.attempts} + 1`, lastAttemptAt: now, updatedAt: now })
      .where(inArray(hubspotSyncItems.id, ids));
  }

  /**
   * Acknowledges an item with the HubSpot id it produced. A contact item whose revision moved
   * while it was in flight stays pending (due now) so the newer data is sent too.
   */
  async succeed(
    item: Pick<SyncItemRow, 'id' | 'revision'>,
    outcome: { hubspotId: string | null; result: 'created' | 'updated' | 'adopted' | 'skipped' },
    now: Date,
    tx: Executor = this.db,
  ): Promise<void> {
    const done = await tx
      .update(hubspotSyncItems)
      .set({ status: 'done', ...outcome, lastError: null, doneAt: now, updatedAt: now })
      .where(and(eq(hubspotSyncItems.id, item.id), eq(hubspotSyncItems.revision, item.revision)))
      .returning({ id: hubspotSyncItems.id });
    if (done.length === 0) {
      await tx
        .update(hubspotSyncItems)
        .set({ ...outcome, nextAttemptAt: now, updatedAt: now })
        .where(eq(hubspotSyncItems.id, item.id));
    }
  }

  /** A failure: back off, or after `maxFailures` counted failures (or a rejection) stop as `failed`. */
  async fail(
    id: number,
    failure: {
      error: string;
      retryAt: Date | null;
      counts: boolean;
      uncountAttempt?: boolean;
      maxFailures: number;
    },
    now: Date,
  ): Promise<void> {
    const failures = failure.counts ? sql`${hubspotSyncItems.failures} + 1` : hubspotSyncItems.failures;
    const giveUp =
      failure.retryAt === null
        ? sql`true`
        : failure.counts
          ? sql`${hubspotSyncItems.failures} + 1 >= ${failure.maxFailures}`
          : sql`false`;
    await this.db
      .update(hubspotSyncItems)
      .set({
        failures,
        ...(failure.uncountAttempt ? { attempts: sql`greatest(0, ${hubspotSyncItems.attempts} - 1)` } : {}),
        status: sql`case when ${giveUp} then 'failed' else 'pending' end`,
        nextAttemptAt: failure.retryAt ?? now,
        lastError: failure.error.slice(0, 2000),
        updatedAt: now,
      })
      .where(eq(hubspotSyncItems.id, id));
  }

  /** Items claimed but not tried in an interrupted pass become due at `at`, with no attempt counted. */
  async release(ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(hubspotSyncItems)
      .set({ nextAttemptAt: at })
      .where(inArray(hubspotSyncItems.id, ids));
  }

  /** A detached guest record (see guest-email.ts) is the same person to the CRM: its plain email. */
  async customers(ids: string[]): Promise<CustomerFacts[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({
        id: customers.id,
        email: customers.email,
        firstName: customers.firstName,
        lastName: customers.lastName,
        phone: customers.phone,
        hubspotContactId: customers.hubspotContactId,
        vipStatus: customers.vipStatus,
        totalBookings: customers.totalBookings,
        totalSpentCents: customers.totalSpentCents,
        lastBookingAt: customers.lastBookingAt,
        deletedAt: customers.deletedAt,
      })
      .from(customers)
      .where(inArray(customers.id, ids));
    return rows.map((row) => ({ ...row, email: plainEmail(row.email) }));
  }

  async setContactIds(pairs: Array<{ customerId: string; contactId: string }>): Promise<void> {
    for (const pair of pairs) {
      await this.db
        .update(customers)
        .set({ hubspotContactId: pair.contactId })
        .where(eq(customers.id, pair.customerId));
    }
  }

  async bookingDetail(id: string): Promise<BookingDetail | undefined> {
    const [row] = await this.db
      .select(bookingDetailColumns)
      .from(bookings)
      .innerJoin(simulators, eq(simulators.id, bookings.simulatorId))
      .innerJoin(facilities, eq(facilities.id, bookings.facilityId))
      .where(eq(bookings.id, id))
      .limit(1);
    return row;
  }

  /** The bookings one deal stands for: the booking, or every bay of its group booking. */
  async dealBookings(booking: BookingDetail): Promise<BookingDetail[]> {
    if (booking.type !== 'group' || !booking.seriesId) return [booking];
    return this.db
      .select(bookingDetailColumns)
      .from(bookings)
      .innerJoin(simulators, eq(simulators.id, bookings.simulatorId))
      .innerJoin(facilities, eq(facilities.id, bookings.facilityId))
      .where(eq(bookings.seriesId, booking.seriesId))
      .orderBy(asc(bookings.startTime), asc(simulators.bayNumber));
  }

  async setDealId(bookingIds: string[], dealId: string): Promise<void> {
    if (bookingIds.length === 0) return;
    await this.db.update(bookings).set({ hubspotDealId: dealId }).where(inArray(bookings.id, bookingIds));
  }

  /** HubSpot ids this customer's finished items produced (skipped when reconciling). */
  async knownHubspotIds(customerId: string, kind: SyncItemKind): Promise<Set<string>> {
    const rows = await this.db
      .select({ id: hubspotSyncItems.hubspotId })
      .from(hubspotSyncItems)
      .where(
        and(
          eq(hubspotSyncItems.customerId, customerId),
          eq(hubspotSyncItems.kind, kind),
          eq(hubspotSyncItems.status, 'done'),
        ),
      );
    return new Set(rows.map((r) => r.id).filter((id): id is string => id !== null));
  }
}
