import { type SQL, sql } from 'drizzle-orm';
import type { IdempotencyEntry } from '../common/idempotency.js';
import { executeNamed } from '../common/named-statement.js';
import type { Executor } from '../db/client.js';
import type { accessTokens, bookings } from '../db/schema/index.js';

// The one place SQL writes new bookings. It is ONE statement, not a transaction of repository calls,
// for speed: one round trip and no BEGIN/COMMIT instead of 17 round trips per booking (figures in
// docs/decisions/016-booking-group-commit.md and docs/performance.md). It therefore touches several
// repositories' tables (bookings, access_tokens, customers, hubspot_outbox, idempotency_keys and,
// through `changeLog`, the change log); nothing else does.

type BookingRow = typeof bookings.$inferSelect;
type AccessTokenInsert = typeof accessTokens.$inferInsert;

/** Everything one statement writes: one request's rows or a group commit's, all of one facility. */
export interface BookingWrite {
  rows: BookingRow[];
  tokens: AccessTokenInsert[];
  /** Idempotency records, one per request that has a key. */
  idempotency: IdempotencyEntry[];
  /** When the write happens: the customers' `last_booking_at`. */
  at: Date;
  /** `ChangeLogRepository.appendParts` over the gate it is given (the inserted rows). */
  changeLog?: (gate: SQL) => SQL;
}

/**
 * A column list written once: the column, its type in the JSON recordset, and its value. The
 * INSERT's column list, the recordset's definition and the JSON sent are all derived from it.
 */
type Columns<T> = readonly (readonly [column: string, type: string, value: (row: T) => unknown])[];

const BOOKING_COLUMNS: Columns<BookingRow> = [
  ['id', 'uuid', (r) => r.id],
  ['facility_id', 'uuid', (r) => r.facilityId],
  ['simulator_id', 'uuid', (r) => r.simulatorId],
  ['customer_id', 'uuid', (r) => r.customerId],
  ['start_time', 'timestamptz', (r) => r.startTime],
  ['end_time', 'timestamptz', (r) => r.endTime],
  ['blocked_until', 'timestamptz', (r) => r.blockedUntil],
  ['duration', 'int', (r) => r.duration],
  ['status', 'text', (r) => r.status],
  ['type', 'text', (r) => r.type],
  ['recurrence_rule', 'jsonb', (r) => r.recurrenceRule],
  ['series_id', 'uuid', (r) => r.seriesId],
  ['price_cents', 'int', (r) => r.priceCents],
  ['price_breakdown', 'jsonb', (r) => r.priceBreakdown],
  ['payment_status', 'text', (r) => r.paymentStatus],
  ['access_code', 'text', (r) => r.accessCode],
  ['reference_code', 'text', (r) => r.referenceCode],
  ['hold_expires_at', 'timestamptz', (r) => r.holdExpiresAt],
  ['source', 'text', (r) => r.source],
  ['created_by', 'uuid', (r) => r.createdBy],
  ['metadata', 'jsonb', (r) => r.metadata],
  ['created_at', 'timestamptz', (r) => r.createdAt],
  ['updated_at', 'timestamptz', (r) => r.updatedAt],
];

const TOKEN_COLUMNS: Columns<AccessTokenInsert> = [
  ['booking_id', 'uuid', (t) => t.bookingId],
  ['token', 'text', (t) => t.token],
  ['type', 'text', (t) => t.type],
  ['valid_from', 'timestamptz', (t) => t.validFrom],
  ['valid_until', 'timestamptz', (t) => t.validUntil],
  ['device_id', 'text', (t) => t.deviceId ?? null],
];

const IDEMPOTENCY_COLUMNS: Columns<IdempotencyEntry> = [
  ['scope', 'text', (e) => e.scope],
  ['key', 'text', (e) => e.key],
  ['request_hash', 'text', (e) => e.requestHash],
  ['status_code', 'int', (e) => e.statusCode],
  ['response', 'jsonb', (e) => e.response],
];

/** `a.col1, a.col2, …` (or bare names without an alias). */
const names = <T>(columns: Columns<T>, alias = '') =>
  sql.raw(columns.map(([c]) => `${alias}${c}`).join(', '));
/** `alias(col1 type1, col2 type2, …)`: the shape `jsonb_to_recordset` reads. */
const recordset = <T>(alias: string, columns: Columns<T>) =>
  sql.raw(`${alias}(${columns.map(([c, type]) => `${c} ${type}`).join(', ')})`);
const json = <T>(columns: Columns<T>, rows: readonly T[]) =>
  JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(([c, , value]) => [c, value(row)]))));

const BOOKING_NAMES = names(BOOKING_COLUMNS);
const BOOKING_RECORDSET = recordset('r', BOOKING_COLUMNS);
const TOKEN_NAMES = names(TOKEN_COLUMNS);
const TOKEN_SELECTED = names(TOKEN_COLUMNS, 't.');
const TOKEN_RECORDSET = recordset('t', TOKEN_COLUMNS);
const IDEMPOTENCY_NAMES = names(IDEMPOTENCY_COLUMNS);
const IDEMPOTENCY_SELECTED = names(IDEMPOTENCY_COLUMNS, 'i.');
const IDEMPOTENCY_RECORDSET = recordset('i', IDEMPOTENCY_COLUMNS);

/**
 * Writes bookings in ONE statement: the bays' advisory locks (the keys `BookingRepository.claimBays`
 * takes, before any row is inserted, so writers to one bay queue and other bays do not wait), the
 * rows, and then, each fed by the inserted rows so it runs after them: credentials, the totals of
 * the confirmed rows' customers (locked in id order, so two writes cannot deadlock), the HubSpot
 * outbox for confirmed rows, the idempotency records and the change log, whose counter lock is thus
 * taken last. Its text does not depend on how many rows it carries: one named prepared statement.
 */
export class BookingWriteStatement {
  async run(tx: Executor, write: BookingWrite): Promise<void> {
    const bays = [...new Set(write.rows.map((r) => r.simulatorId))].sort();
    const at = write.at.toISOString();
    const parts = [
      sql`lk AS (
      SELECT pg_advisory_xact_lock(hashtextextended('bay:' || b.id, 0))
      FROM (SELECT value AS id, ord FROM jsonb_array_elements_text(${JSON.stringify(bays)}::jsonb)
        WITH ORDINALITY AS a(value, ord) ORDER BY ord) b
    )`,
      sql`ins AS (
      INSERT INTO bookings (${BOOKING_NAMES})
      SELECT r.* FROM jsonb_to_recordset(${json(BOOKING_COLUMNS, write.rows)}::jsonb)
        AS ${BOOKING_RECORDSET}
      CROSS JOIN (SELECT count(*) FROM lk) AS locked
      RETURNING id, price_cents, customer_id, status
    )`,
      sql`tok AS (
      INSERT INTO access_tokens (${TOKEN_NAMES})
      SELECT ${TOKEN_SELECTED}
      FROM jsonb_to_recordset(${json(TOKEN_COLUMNS, write.tokens)}::jsonb) AS ${TOKEN_RECORDSET}
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
      INSERT INTO idempotency_keys (${IDEMPOTENCY_NAMES})
      SELECT ${IDEMPOTENCY_SELECTED}
      FROM jsonb_to_recordset(${json(IDEMPOTENCY_COLUMNS, write.idempotency)}::jsonb)
        AS ${IDEMPOTENCY_RECORDSET}
      CROSS JOIN (SELECT count(*) FROM ins) AS written
    )`,
    ];
    if (write.changeLog) parts.push(write.changeLog(sql`(SELECT count(*) FROM ins) AS gate`));
    await executeNamed(tx, sql`WITH ${sql.join(parts, sql`, `)} SELECT count(*) FROM ins`);
  }
}
