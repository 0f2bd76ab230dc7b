import { randomUUID } from 'node:crypto';
import type { Facility, Quote } from '@clubos/shared/model';
import { AppError } from '../common/app-error.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database, Transaction } from '../db/client.js';
import { SQLSTATE, sqlState, violatedConstraint } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { toFeedPayload } from './booking.mapper.js';
import type { BookingRepository, BookingRow, NewBookingRow } from './booking.repository.js';
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
 * The one place bookings are inserted. In one transaction: expired holds on the bays are purged,
 * all rows are inserted in one statement (so a group or series is all or nothing under the
 * exclusion constraint), credentials (QR + PIN) are issued, customer totals and the HubSpot
 * outbox are updated, the idempotency record is stored, and the facility's change log is
 * appended last (its counter lock is then held only until commit).
 */
export class BookingWriter {
  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly credentials: CredentialIssuer,
  ) {}

  async write<T>(request: WriteRequest<T>): Promise<{ statusCode: number; body: T }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction((tx) => this.writeIn(tx, request));
      } catch (error) {
        const state = sqlState(error);
        if (state === SQLSTATE.exclusionViolation) throw new SlotTakenError();
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
   * it). The caller maps the exclusion violation (23P01) itself: it aborts the whole transaction.
   */
  async writeIn<T>(tx: Transaction, request: WriteRequest<T>): Promise<{ statusCode: number; body: T }> {
    // A stable order (bay, then time) makes concurrent multi-row inserts wait rather than deadlock.
    const items = [...request.items].sort((a, b) =>
      a.simulatorId === b.simulatorId ? a.start - b.start : a.simulatorId < b.simulatorId ? -1 : 1,
    );
    await this.repo.claimBays(tx, [...new Set(items.map((i) => i.simulatorId))]);
    const confirmed = !request.hold;
    const rows: NewBookingRow[] = [];
    const tokens: Parameters<BookingRepository['insertAccessTokens']>[1] = [];
    const qr = new Map<string, string>();
    for (const item of items) {
      const id = item.id ?? randomUUID();
      const pin = confirmed ? this.credentials.newPin() : null;
      rows.push({
        id,
        facilityId: item.facility.id,
        simulatorId: item.simulatorId,
        customerId: request.customerId,
        startTime: new Date(item.start),
        endTime: new Date(item.end),
        blockedUntil: new Date(item.end + item.bufferMinutes * 60_000),
        duration: item.duration,
        status: confirmed ? 'confirmed' : 'pending',
        type: request.type,
        recurrenceRule: request.recurrenceRule ?? null,
        seriesId: request.seriesId,
        priceCents: item.quote.total_cents,
        priceBreakdown: item.quote.lines,
        paymentStatus: confirmed ? 'unpaid' : null,
        accessCode: pin,
        referenceCode: item.referenceCode ?? this.credentials.newReferenceCode(),
        holdExpiresAt: request.hold?.expiresAt ?? null,
        source: request.source,
        createdBy: request.createdBy,
        metadata: request.metadata,
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
    const inserted = await this.repo.insert(tx, rows);
    if (confirmed) {
      await this.repo.insertAccessTokens(tx, tokens);
      if (request.customerId) {
        const total = inserted.reduce((sum, r) => sum + r.priceCents, 0);
        await this.repo.addCustomerTotals(tx, request.customerId, inserted.length, total);
      }
      await this.repo.enqueueHubspot(
        tx,
        inserted.map((r) => ({ kind: 'booking.created', aggregateId: r.id, payload: { booking_id: r.id } })),
      );
    }
    const result = request.respond(inserted, qr);
    await request.recorder?.record(tx, result.statusCode, result.body);
    if (confirmed && inserted.length > 0) {
      await this.changeLog.appendMany(
        tx,
        inserted[0]!.facilityId,
        inserted.map((row) => ({
          entity: 'booking',
          op: 'upsert',
          entityId: row.id,
          data: toFeedPayload(row),
        })),
      );
    }
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
