import { randomUUID } from 'node:crypto';
import type { Facility, Quote } from '@clubos/shared/model';
import { AppError } from '../common/app-error.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database, Executor, Transaction } from '../db/client.js';
import { SQLSTATE, sqlState, violatedConstraint } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { toFeedPayload } from './booking.mapper.js';
import type { BookingRepository, BookingRow, BookingWrite } from './booking.repository.js';
import type { CredentialIssuer } from './credential.issuer.js';

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
  /** Builds the response inside the transaction, so the idempotency record stores exactly it. */
  respond: (rows: BookingRow[], qr: Map<string, string>) => { statusCode: number; body: T };
}

/** The exclusion constraint refused the insert: some requested time is taken. */
export class SlotTakenError extends Error {
  constructor() {
    super('slot taken');
    this.name = 'SlotTakenError';
  }
}

const RETRYABLE = new Set<string>([SQLSTATE.deadlockDetected, SQLSTATE.serializationFailure]);

/**
 * The one place bookings are inserted. In ONE statement (atomic by itself, one round trip): the
 * bays' advisory locks, all rows (so a group or series is all or nothing under the exclusion
 * constraint), credentials (QR + PIN), customer totals, the HubSpot outbox, the idempotency record
 * and, last, the facility's change log (its counter lock is then held only until commit).
 * Expired holds are purged only when the exclusion constraint refuses the write, then it retries.
 */
export class BookingWriter {
  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly credentials: CredentialIssuer,
  ) {}

  async write<T>(request: WriteRequest<T>): Promise<{ statusCode: number; body: T }> {
    let purged = false;
    for (let attempt = 1; ; attempt++) {
      try {
        // One statement is atomic by itself: no BEGIN/COMMIT round trips.
        return await this.writeStatement(this.db, request);
      } catch (error) {
        const state = sqlState(error);
        if (state === SQLSTATE.exclusionViolation) {
          // An expired hold still blocks the range until it is purged; purge once and retry.
          const bays = [...new Set(request.items.map((i) => i.simulatorId))];
          if (!purged && (await this.repo.purgeExpiredHolds(this.db, bays)) > 0) {
            purged = true;
            continue;
          }
          throw new SlotTakenError();
        }
        // Two transactions inserting conflicting rows can each wait for the other inside the
        // exclusion check; PostgreSQL then aborts one as a deadlock. That is a lost race, so it
        // is retried (the retry then sees the winner) and, if it keeps happening, a 409.
        if (RETRYABLE.has(state ?? '')) {
          if (attempt >= 5) throw new SlotTakenError();
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
          continue;
        }
        const codeClash =
          state === SQLSTATE.uniqueViolation &&
          violatedConstraint(error) === 'bookings_reference_code_unique';
        if (!codeClash || attempt >= 3) throw error;
      }
    }
  }

  /**
   * The same write inside a caller's transaction (the edge feed stores the event's dedupe row with
   * it). The caller maps the exclusion violation (23P01) itself: it aborts the whole transaction,
   * so expired holds are purged first here rather than on a violation.
   */
  async writeIn<T>(tx: Transaction, request: WriteRequest<T>): Promise<{ statusCode: number; body: T }> {
    await this.repo.claimBays(tx, [...new Set(request.items.map((i) => i.simulatorId))]);
    return this.writeStatement(tx, request);
  }

  /**
   * Builds every row in memory (ids, codes, credentials, timestamps), so the response, the
   * idempotency record and the change-log payloads are known before the database is touched,
   * then writes it all in one statement (`BookingRepository.writeAll`).
   */
  private async writeStatement<T>(
    tx: Executor,
    request: WriteRequest<T>,
  ): Promise<{ statusCode: number; body: T }> {
    // A stable order (bay, then time) makes concurrent multi-row inserts wait rather than deadlock.
    const items = [...request.items].sort((a, b) =>
      a.simulatorId === b.simulatorId ? a.start - b.start : a.simulatorId < b.simulatorId ? -1 : 1,
    );
    const confirmed = !request.hold;
    const now = new Date();
    const rows: BookingRow[] = [];
    const tokens: BookingWrite['tokens'] = [];
    const qr = new Map<string, string>();
    for (const item of items) {
      const id = item.id ?? randomUUID();
      const pin = confirmed ? (item.accessCode ?? this.credentials.newPin()) : null;
      rows.push({
        id,
        facilityId: item.facility.id,
        simulatorId: item.simulatorId,
        customerId: request.customerId,
        hubspotDealId: null,
        startTime: new Date(item.start),
        endTime: new Date(item.end),
        blockedUntil: new Date(item.end + item.bufferMinutes * 60_000),
        duration: item.duration,
        status: confirmed ? 'confirmed' : 'pending',
        type: request.type,
        recurrenceRule: request.recurrenceRule ?? null,
        seriesId: request.seriesId,
        priceCents: item.quote.total_cents,
        // The generated column's value (numeric(10,2) as text), as the database would return it.
        price: (item.quote.total_cents / 100).toFixed(2),
        priceBreakdown: item.quote.lines,
        paymentStatus: confirmed ? 'unpaid' : null,
        paymentMethod: null,
        accessCode: pin,
        qrCodeUrl: null,
        referenceCode: item.referenceCode ?? this.credentials.newReferenceCode(),
        holdExpiresAt: request.hold?.expiresAt ?? null,
        source: request.source,
        createdBy: request.createdBy,
        checkInTime: null,
        checkOutTime: null,
        metadata: request.metadata,
        refundCents: null,
        createdAt: now,
        updatedAt: now,
        cancelledAt: null,
        cancellationReason: null,
      });
      if (confirmed) {
        const doors = this.credentials.doorsFor(item.facility, item.bayDoorId);
        const issued = this.credentials.issue({
          bookingId: id,
          facilityId: item.facility.id,
          simulatorId: item.simulatorId,
          doors,
          start: item.start,
          end: item.end,
        });
        qr.set(id, issued.qrToken);
        const window = { validFrom: issued.validFrom, validUntil: issued.validUntil };
        tokens.push({ bookingId: id, token: issued.qrToken, type: 'qr', ...window });
        tokens.push({ bookingId: id, token: pin!, type: 'pin', ...window, deviceId: doors.join(',') });
      }
    }
    const result = request.respond(rows, qr);
    const logged = confirmed && rows.length > 0;
    const facilityId = rows[0]?.facilityId;
    await this.repo.writeAll(tx, {
      rows,
      tokens,
      outbox: confirmed,
      ...(confirmed && request.customerId && rows.length > 0
        ? { customerTotals: { customerId: request.customerId, at: now } }
        : {}),
      ...(request.recorder ? { idempotency: request.recorder.entry(result.statusCode, result.body) } : {}),
      ...(logged
        ? {
            changeLog: (gate) =>
              this.changeLog.appendParts(
                facilityId!,
                rows.map((row) => ({
                  entity: 'booking' as const,
                  op: 'upsert' as const,
                  entityId: row.id,
                  data: toFeedPayload(row),
                })),
                gate,
              ),
          }
        : {}),
    });
    if (logged) this.changeLog.appended(facilityId!);
    return result;
  }

  /**
   * Moves a booking to the bay-time of `item` inside a caller's transaction (the row must be locked
   * by the caller): a confirmed booking gets new door credentials for the new bay and time (its
   * PIN stays the one the customer holds), and the feed gets the moved row last. As for `writeIn`,
   * the caller maps 23P01.
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
      const window = { validFrom: issued.validFrom, validUntil: issued.validUntil };
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
    options: {
      customerId: string | null;
      metadata: Record<string, unknown>;
      recorder?: IdempotencyRecorder | undefined;
      respond: (row: BookingRow, qr: string) => { statusCode: number; body: T };
    },
  ): Promise<{ statusCode: number; body: T }> {
    return this.db.transaction(async (tx) => {
      const hold = await this.repo.lockById(tx, holdId);
      if (hold?.status !== 'pending' || !hold.holdExpiresAt) {
        throw new AppError('NOT_FOUND', `hold ${holdId} was not found`, { field: 'hold_id' });
      }
      if (hold.holdExpiresAt.getTime() <= Date.now()) {
        throw new AppError('HOLD_EXPIRED', `hold ${holdId} expired at ${hold.holdExpiresAt.toISOString()}`, {
          field: 'hold_id',
        });
      }
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
        paymentStatus: 'unpaid',
        customerId: hold.customerId ?? options.customerId,
        metadata: { ...(hold.metadata ?? {}), ...options.metadata },
      });
      const window = { validFrom: issued.validFrom, validUntil: issued.validUntil };
      await this.repo.insertAccessTokens(tx, [
        { bookingId: row.id, token: issued.qrToken, type: 'qr', ...window },
        { bookingId: row.id, token: pin, type: 'pin', ...window, deviceId: doors.join(',') },
      ]);
      if (row.customerId) await this.repo.addCustomerTotals(tx, row.customerId, 1, row.priceCents);
      await this.repo.enqueueHubspot(tx, [
        { kind: 'booking.created', aggregateId: row.id, payload: { booking_id: row.id } },
      ]);
      const result = options.respond(row, issued.qrToken);
      await options.recorder?.record(tx, result.statusCode, result.body);
      await this.changeLog.append(tx, row.facilityId, 'booking', 'upsert', row.id, toFeedPayload(row));
      return result;
    });
  }
}
