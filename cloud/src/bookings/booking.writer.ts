import { DomainError } from '@clubos/shared/errors';
import type { Facility, Quote } from '@clubos/shared/model';
import { sql } from 'drizzle-orm';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import { executeNamed } from '../common/named-statement.js';
import type { Database, Executor, Transaction } from '../db/client.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { enqueueNotification } from '../notifications/notification-outbox.js';
import { confirmHoldsIn, type HoldToConfirm } from './booking.confirm-many.js';
import { toFeedPayload } from './booking.mapper.js';
import type { BookingRepository, BookingRow } from './booking.repository.js';
import { carryRepricing } from './booking.support.js';
import { BookingWriteQueue } from './booking.write-queue.js';
import { type BuiltWrite, buildWrite } from './booking.write-rows.js';
import { BOOKING, IDEMPOTENCY, TOKEN } from './booking-write.columns.js';
import type { CredentialIssuer } from './credential.issuer.js';

export { SlotTakenError } from './booking.write-queue.js';

/** One bay-time to write, already checked against the availability engine. */
export interface PlannedBooking {
  facility: Facility;
  simulatorId: string;
  bayDoorId: string | null;
  start: number;
  end: number;
  duration: number;
  bufferMinutes: number;
  quote: Quote;
  /** Given by the caller when the booking already exists elsewhere (an edge's walk-in); else new. */
  id?: string;
  /** Likewise: the code the customer already holds. Must be free (the caller checks). */
  referenceCode?: string;
  /** Likewise: the door PIN the customer already holds (an edge's walk-in); else a new one. */
  accessCode?: string;
}

export interface WriteRequest<T> {
  items: PlannedBooking[];
  customerId: string | null;
  createdBy: string | null;
  source: string;
  type: 'single' | 'recurring' | 'group';
  seriesId: string | null;
  recurrenceRule: unknown;
  metadata: Record<string, unknown>;
  /** A hold blocks time without credentials or a change-log entry until it is confirmed. */
  hold?: { expiresAt: Date };
  recorder?: IdempotencyRecorder | undefined;
  /** Builds the answer's body before the write, so the idempotency record stores exactly it. */
  respond: (rows: BookingRow[], qr: Map<string, string>) => T;
}

/** How a hold is confirmed: for whom, with what, and what the answer is. */
export interface ConfirmOptions<T> {
  customerId: string | null;
  metadata: Record<string, unknown>;
  /** `unpaid` unless a payment confirmed it (`paid`, `deposit_paid`). */
  paymentStatus?: string;
  recorder?: IdempotencyRecorder | undefined;
  respond: (row: BookingRow, qr: string) => T;
}

/**
 * Where bookings are written. A new booking (single, group, series, hold, an edge's walk-in) is
 * built in memory, queued behind its facility's write in flight (`BookingWriteQueue`: concurrent
 * writes share a statement) and stored by `insertBuilt`, the one SQL statement below. Moving a
 * booking and confirming a hold are transactions of repository calls (`moveIn`, `confirmHold`).
 */
export class BookingWriter {
  private readonly queue: BookingWriteQueue;

  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly credentials: CredentialIssuer,
  ) {
    this.queue = new BookingWriteQueue(db, {
      build: (request, now) => buildWrite(this.credentials, request, now),
      insert: (executor, built, now) => this.insertBuilt(executor, built, now),
      purgeExpiredHolds: (bays) => this.repo.purgeExpiredHolds(db, bays),
    });
  }

  /** Writes the request, sharing the statement with concurrent writes to the same facility. */
  async write<T>(request: WriteRequest<T>): Promise<T> {
    const facilityId = request.items[0]?.facility.id;
    if (facilityId === undefined) return this.queue.writeAlone(request);
    // Built (ids, codes, the signed QR token, the response) BEFORE joining the facility's queue:
    // only the statement itself waits for the facility's previous write, so under load the next
    // batch's signatures are made while the database runs the current one.
    return this.queue.submit(facilityId, request, buildWrite(this.credentials, request, new Date()));
  }

  /**
   * The same write inside a caller's transaction (the edge feed stores the event's dedupe row with
   * it). The caller maps the exclusion violation (23P01) itself: it aborts the whole transaction,
   * so expired holds are purged first here rather than on a violation.
   */
  async writeIn<T>(tx: Transaction, request: WriteRequest<T>): Promise<T> {
    await this.repo.claimBays(tx, [...new Set(request.items.map((i) => i.simulatorId))]);
    const now = new Date();
    const built = buildWrite(this.credentials, request, now);
    await this.insertBuilt(tx, [built], now);
    return built.result;
  }

  /**
   * THE booking INSERT: built requests of one facility in ONE statement, for speed (one round trip,
   * no BEGIN/COMMIT, instead of 17 round trips per booking; docs/decisions/016-booking-group-commit.md).
   * So it writes several repositories' tables, and nothing else inserts bookings: the bays' advisory
   * locks (`BookingRepository.claimBays`'s keys, before any row, so writers to one bay queue and
   * other bays do not wait), the rows, then, each fed by the inserted rows so it runs after them,
   * credentials, the confirmed rows' customer totals (locked in id order: no deadlock), the HubSpot
   * outbox, the idempotency records and the change log, whose counter lock is so taken last. Its
   * text does not depend on the row count: one named prepared statement. Column lists:
   * booking-write.columns.ts. Public for the group-commit tests, which count its calls.
   */
  async insertBuilt(tx: Executor, built: BuiltWrite<unknown>[], now: Date): Promise<void> {
    // A stable order (bay, then time) makes concurrent multi-row inserts wait rather than deadlock.
    const rows = built
      .flatMap((b) => b.rows)
      .sort((a, b) =>
        a.simulatorId === b.simulatorId
          ? a.startTime.getTime() - b.startTime.getTime()
          : a.simulatorId < b.simulatorId
            ? -1
            : 1,
      );
    const bays = [...new Set(rows.map((r) => r.simulatorId))].sort();
    const at = now.toISOString();
    const parts = [
      sql`lk AS (
      SELECT pg_advisory_xact_lock(hashtextextended('bay:' || b.id, 0))
      FROM (SELECT value AS id, ord FROM jsonb_array_elements_text(${JSON.stringify(bays)}::jsonb)
        WITH ORDINALITY AS a(value, ord) ORDER BY ord) b
    )`,
      sql`ins AS (
      INSERT INTO bookings (${BOOKING.names})
      SELECT r.* FROM jsonb_to_recordset(${BOOKING.json(rows)}::jsonb) AS ${BOOKING.recordset}
      CROSS JOIN (SELECT count(*) FROM lk) AS locked
      RETURNING id, facility_id, price_cents, customer_id, status
    )`,
      sql`tok AS (
      INSERT INTO access_tokens (${TOKEN.names})
      SELECT ${TOKEN.selected}
      FROM jsonb_to_recordset(${TOKEN.json(built.flatMap((b) => b.tokens))}::jsonb) AS ${TOKEN.recordset}
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
      // The confirmation email, version 1 of the booking's messages (docs/decisions/011).
      sql`notify AS (
      INSERT INTO notification_messages (booking_id, facility_id, kind, version)
      SELECT id, facility_id, 'confirmation', 1 FROM ins WHERE status = 'confirmed'
    )`,
      sql`idem AS (
      INSERT INTO idempotency_keys (${IDEMPOTENCY.names})
      SELECT ${IDEMPOTENCY.selected}
      FROM jsonb_to_recordset(${IDEMPOTENCY.json(built.flatMap((b) => (b.idempotency ? [b.idempotency] : [])))}::jsonb)
        AS ${IDEMPOTENCY.recordset}
      CROSS JOIN (SELECT count(*) FROM ins) AS written
    )`,
    ];
    // Confirmed rows go to the facility's change log (holds do not), fed by the inserted rows.
    const logged = built.filter((b) => b.logged).flatMap((b) => b.rows);
    const facilityId = logged[0]?.facilityId;
    if (facilityId !== undefined) {
      const entries = logged.map((row) => ({
        entity: 'booking' as const,
        op: 'upsert' as const,
        entityId: row.id,
        data: toFeedPayload(row),
      }));
      parts.push(this.changeLog.appendParts(facilityId, entries, sql`(SELECT count(*) FROM ins) AS gate`));
    }
    await executeNamed(tx, sql`WITH ${sql.join(parts, sql`, `)} SELECT count(*) FROM ins`);
    if (facilityId !== undefined) this.changeLog.appended(facilityId);
  }

  /**
   * Moves a booking to the bay-time of `item` inside a caller's transaction (the row must be locked
   * by the caller): a confirmed booking gets new door credentials for the new bay and time (its
   * PIN stays the one the customer holds), its customer's total spent follows the new price, and the
   * feed gets the moved row last. As for `writeIn`, the caller maps 23P01.
   */
  async moveIn(tx: Transaction, row: BookingRow, item: PlannedBooking): Promise<BookingRow> {
    await this.repo.claimBays(tx, [item.simulatorId]);
    const moved = await this.repo.update(tx, row.id, {
      simulatorId: item.simulatorId,
      startTime: new Date(item.start),
      endTime: new Date(item.end),
      blockedUntil: new Date(item.end + item.bufferMinutes * 60_000),
      duration: item.duration,
      priceCents: item.quote.total_cents,
      priceBreakdown: item.quote.lines,
    });
    await carryRepricing(this.repo, tx, row, moved);
    if (moved.status === 'confirmed') {
      await this.repo.revokeAccessTokens(tx, row.id);
      const doors = this.credentials.doorsFor(item.facility, item.bayDoorId);
      const issued = this.credentials.issue({
        bookingId: row.id,
        facilityId: moved.facilityId,
        simulatorId: item.simulatorId,
        doors,
        start: item.start,
        end: item.end,
      });
      const window = {
        facilityId: moved.facilityId,
        validFrom: issued.validFrom,
        validUntil: issued.validUntil,
      };
      await this.repo.insertAccessTokens(tx, [
        { bookingId: row.id, token: issued.qrToken, type: 'qr', ...window },
        ...(moved.accessCode
          ? [
              {
                bookingId: row.id,
                token: moved.accessCode,
                type: 'pin',
                ...window,
                deviceId: doors.join(','),
              },
            ]
          : []),
      ]);
    }
    await this.changeLog.append(tx, moved.facilityId, 'booking', 'upsert', moved.id, toFeedPayload(moved));
    return moved;
  }

  /** Turns a hold into a confirmed booking: credentials, totals, outbox and feed as for a new one. */
  async confirmHold<T>(
    holdId: string,
    facility: Facility,
    bayDoorId: string | null,
    options: ConfirmOptions<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      const hold = await this.repo.lockById(tx, holdId);
      if (hold?.status !== 'pending' || !hold.holdExpiresAt) {
        throw new DomainError('NOT_FOUND', `hold ${holdId} was not found`, { field: 'hold_id' });
      }
      if (hold.holdExpiresAt.getTime() <= Date.now()) {
        throw new DomainError(
          'HOLD_EXPIRED',
          `hold ${holdId} expired at ${hold.holdExpiresAt.toISOString()}`,
          {
            field: 'hold_id',
          },
        );
      }
      return this.confirmHoldIn(tx, hold, facility, bayDoorId, options);
    });
  }

  /** Pending holds of one facility, locked by the caller, confirmed in one statement (booking.confirm-many.ts). */
  confirmHoldsIn(tx: Executor, holds: HoldToConfirm[]): Promise<BookingRow[]> {
    return confirmHoldsIn(tx, this.credentials, this.changeLog, holds);
  }

  /**
   * The confirmation of a hold the caller has locked and judged (a paid checkout confirms a hold
   * even past its expiry while the row still holds the time). A row whose status frees the range
   * (an expired checkout) is refused by the exclusion constraint if the time was sold meanwhile.
   */
  async confirmHoldIn<T>(
    tx: Transaction,
    hold: BookingRow,
    facility: Facility,
    bayDoorId: string | null,
    options: ConfirmOptions<T>,
  ): Promise<T> {
    const doors = this.credentials.doorsFor(facility, bayDoorId);
    const issued = this.credentials.issue({
      bookingId: hold.id,
      facilityId: hold.facilityId,
      simulatorId: hold.simulatorId,
      doors,
      start: hold.startTime.getTime(),
      end: hold.endTime.getTime(),
    });
    const pin = this.credentials.newPin();
    const row = await this.repo.update(tx, hold.id, {
      status: 'confirmed',
      holdExpiresAt: null,
      accessCode: pin,
      paymentStatus: options.paymentStatus ?? 'unpaid',
      customerId: hold.customerId ?? options.customerId,
      metadata: { ...(hold.metadata ?? {}), ...options.metadata },
    });
    const window = { facilityId: row.facilityId, validFrom: issued.validFrom, validUntil: issued.validUntil };
    await this.repo.insertAccessTokens(tx, [
      { bookingId: row.id, token: issued.qrToken, type: 'qr', ...window },
      { bookingId: row.id, token: pin, type: 'pin', ...window, deviceId: doors.join(',') },
    ]);
    if (row.customerId) await this.repo.addCustomerTotals(tx, row.customerId, 1, row.priceCents);
    await this.repo.enqueueHubspot(tx, [
      { kind: 'booking.created', aggregateId: row.id, payload: { booking_id: row.id } },
    ]);
    await enqueueNotification(tx, { bookingId: row.id, facilityId: row.facilityId, kind: 'confirmation' });
    const result = options.respond(row, issued.qrToken);
    await options.recorder?.record(tx, result);
    await this.changeLog.append(tx, row.facilityId, 'booking', 'upsert', row.id, toFeedPayload(row));
    return result;
  }
}
