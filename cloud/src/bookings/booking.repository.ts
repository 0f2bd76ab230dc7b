import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, type SQL, sql } from 'drizzle-orm';
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
import {
  accessTokens,
  bookings,
  customers,
  hubspotOutbox,
  type idempotencyKeys,
} from '../db/schema/index.js';

export type BookingRow = typeof bookings.$inferSelect;
export type NewBookingRow = typeof bookings.$inferInsert;
export type AccessTokenRow = typeof accessTokens.$inferSelect;

/**
 * Everything `writeAll` puts in its one statement: the rows of one request or of several (a group
 * commit, common/group-commit.ts), all of one facility.
 */
export interface BookingWrite {
  rows: BookingRow[];
  tokens: (typeof accessTokens.$inferInsert)[];
  /** Idempotency records, one per request that has a key. */
  idempotency: (typeof idempotencyKeys.$inferInsert)[];
  /** When the write happens: the customers' `last_booking_at`. */
  at: Date;
  /** `ChangeLogRepository.appendParts` over the gate it is given (the inserted rows). */
  changeLog?: (gate: SQL) => SQL;
}

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

/** Bookings (and holds), their access tokens, customer counters and the HubSpot outbox rows. */
export class BookingRepository {
  constructor(private readonly db: Database) {}

  /**
   * Expired holds stop blocking time: delete them before inserting on the bay, in the same
   * transaction, so the exclusion constraint only sees live rows.
   */
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
    await tx
      .delete(bookings)
      .where(
        and(
          inArray(bookings.simulatorId, simulatorIds),
          eq(bookings.status, 'pending'),
          lte(bookings.holdExpiresAt, sql`now()`),
        ),
      );
  }

  /**
   * Deletes expired holds on the bays (they no longer block anything); returns how many. The
   * one-statement write runs this only after an exclusion violation, then tries once more.
   */
  async purgeExpiredHolds(tx: Executor, simulatorIds: string[]): Promise<number> {
    if (simulatorIds.length === 0) return 0;
    const rows = await tx
      .delete(bookings)
      .where(
        and(
          inArray(bookings.simulatorId, simulatorIds),
          eq(bookings.status, 'pending'),
          lte(bookings.holdExpiresAt, sql`now()`),
        ),
      )
      .returning({ id: bookings.id });
    return rows.length;
  }

  /**
   * A whole booking write as ONE statement (one round trip, atomic on its own): the bays'
   * advisory locks (the same keys as `claimBays`, taken before any row is inserted, so writers to
   * one bay still queue and other bays do not wait), the rows, and then, each fed by the inserted
   * rows so it runs after them: credentials, the totals of the confirmed rows' customers (their
   * rows locked in id order, so two writes of several customers cannot deadlock), the HubSpot
   * outbox for confirmed rows, the idempotency records and the change log (`changeLog`, whose
   * counter lock is thus taken last). The statement's text does not depend on how many rows or
   * requests it carries, so it stays one prepared statement.
   */
  async writeAll(tx: Executor, write: BookingWrite): Promise<void> {
    const bays = [...new Set(write.rows.map((r) => r.simulatorId))].sort();
    const rows = JSON.stringify(
      write.rows.map((r) => ({
        id: r.id,
        facility_id: r.facilityId,
        simulator_id: r.simulatorId,
        customer_id: r.customerId,
        start_time: r.startTime,
        end_time: r.endTime,
        blocked_until: r.blockedUntil,
        duration: r.duration,
        status: r.status,
        type: r.type,
        recurrence_rule: r.recurrenceRule,
        series_id: r.seriesId,
        price_cents: r.priceCents,
        price_breakdown: r.priceBreakdown,
        payment_status: r.paymentStatus,
        access_code: r.accessCode,
        reference_code: r.referenceCode,
        hold_expires_at: r.holdExpiresAt,
        source: r.source,
        created_by: r.createdBy,
        metadata: r.metadata,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
      })),
    );
    const tokens = JSON.stringify(
      write.tokens.map((t) => ({
        booking_id: t.bookingId,
        token: t.token,
        type: t.type,
        valid_from: t.validFrom,
        valid_until: t.validUntil,
        device_id: t.deviceId ?? null,
      })),
    );
    const idempotency = JSON.stringify(
      write.idempotency.map((e) => ({
        scope: e.scope,
        key: e.key,
        request_hash: e.requestHash,
        status_code: e.statusCode,
        response: e.response,
      })),
    );
    const at = write.at.toISOString();
    const parts = [
      sql`lk AS (
        SELECT pg_advisory_xact_lock(hashtextextended('bay:' || b.id, 0))
        FROM (SELECT value AS id, ord FROM jsonb_array_elements_text(${JSON.stringify(bays)}::jsonb)
          WITH ORDINALITY AS a(value, ord) ORDER BY ord) b
      )`,
      sql`ins AS (
        INSERT INTO bookings (id, facility_id, simulator_id, customer_id, start_time, end_time,
          blocked_until, duration, status, type, recurrence_rule, series_id, price_cents,
          price_breakdown, payment_status, access_code, reference_code, hold_expires_at, source,
          created_by, metadata, created_at, updated_at)
        SELECT r.* FROM jsonb_to_recordset(${rows}::jsonb) AS r(id uuid, facility_id uuid,
          simulator_id uuid, customer_id uuid, start_time timestamptz, end_time timestamptz,
          blocked_until timestamptz, duration int, status text, type text, recurrence_rule jsonb,
          series_id uuid, price_cents int, price_breakdown jsonb, payment_status text,
          access_code text, reference_code text, hold_expires_at timestamptz, source text,
          created_by uuid, metadata jsonb, created_at timestamptz, updated_at timestamptz)
        CROSS JOIN (SELECT count(*) FROM lk) AS locked
        RETURNING id, price_cents, customer_id, status
      )`,
      sql`tok AS (
        INSERT INTO access_tokens (booking_id, token, type, valid_from, valid_until, device_id)
        SELECT t.booking_id, t.token, t.type, t.valid_from, t.valid_until, t.device_id
        FROM jsonb_to_recordset(${tokens}::jsonb) AS t(booking_id uuid, token text, type text,
          valid_from timestamptz, valid_until timestamptz, device_id text)
        WHERE t.booking_id IN (SELECT id FROM ins)
      )`,
      sql`tot_rows AS (
        SELECT customer_id, count(*)::int AS n, coalesce(sum(price_cents), 0)::int AS s FROM ins
        WHERE status = 'confirmed' AND customer_id IS NOT NULL GROUP BY customer_id
      )`,
      sql`tot_lock AS (
        SELECT c.id FROM customers c WHERE c.id IN (SELECT customer_id FROM tot_rows)
        ORDER BY c.id FOR UPDATE
      )`,
      sql`tot AS (
        UPDATE customers SET total_bookings = customers.total_bookings + k.n,
          total_spent_cents = greatest(0, customers.total_spent_cents + k.s),
          last_booking_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
        FROM tot_rows AS k, (SELECT count(*) FROM tot_lock) AS locked
        WHERE customers.id = k.customer_id
      )`,
      sql`outbox AS (
        INSERT INTO hubspot_outbox (kind, aggregate_id, payload)
        SELECT 'booking.created', id, jsonb_build_object('booking_id', id) FROM ins
        WHERE status = 'confirmed'
      )`,
      sql`idem AS (
        INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response)
        SELECT i.scope, i.key, i.request_hash, i.status_code, i.response
        FROM jsonb_to_recordset(${idempotency}::jsonb) AS i(scope text, key text, request_hash text,
          status_code int, response jsonb)
        CROSS JOIN (SELECT count(*) FROM ins) AS written
      )`,
    ];
    if (write.changeLog) parts.push(write.changeLog(sql`(SELECT count(*) FROM ins) AS gate`));
    await executeNamed(tx, sql`WITH ${sql.join(parts, sql`, `)} SELECT count(*) FROM ins`);
  }

  async insert(tx: Executor, rows: NewBookingRow[]): Promise<BookingRow[]> {
    if (rows.length === 0) return [];
    return tx.insert(bookings).values(rows).returning();
  }

  async insertAccessTokens(tx: Executor, rows: (typeof accessTokens.$inferInsert)[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.insert(accessTokens).values(rows);
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
