import { sql } from 'drizzle-orm';
import type { IdempotencyEntry } from '../common/idempotency.js';
import type { accessTokens, bookings } from '../db/schema/index.js';

// The column lists of the one booking INSERT (booking.writer.ts `insertBuilt`), each written once:
// the INSERT's column list, the JSON recordset's definition and the JSON sent all derive from them.

type BookingRow = typeof bookings.$inferSelect;
type AccessTokenInsert = typeof accessTokens.$inferInsert;

/** A column: its name, its type in the JSON recordset, and its value. */
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
  ['facility_id', 'uuid', (t) => t.facilityId],
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

export const BOOKING = {
  names: names(BOOKING_COLUMNS),
  recordset: recordset('r', BOOKING_COLUMNS),
  json: (rows: readonly BookingRow[]) => json(BOOKING_COLUMNS, rows),
};
export const TOKEN = {
  names: names(TOKEN_COLUMNS),
  selected: names(TOKEN_COLUMNS, 't.'),
  recordset: recordset('t', TOKEN_COLUMNS),
  json: (rows: readonly AccessTokenInsert[]) => json(TOKEN_COLUMNS, rows),
};
export const IDEMPOTENCY = {
  names: names(IDEMPOTENCY_COLUMNS),
  selected: names(IDEMPOTENCY_COLUMNS, 'i.'),
  recordset: recordset('i', IDEMPOTENCY_COLUMNS),
  json: (rows: readonly IdempotencyEntry[]) => json(IDEMPOTENCY_COLUMNS, rows),
};
