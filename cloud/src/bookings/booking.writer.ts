import { DomainError } from '@clubos/shared/errors';
import type { Facility, Quote } from '@clubos/shared/model';
import { GroupCommit, type Settled, settle } from '../common/group-commit.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database, Executor, Transaction } from '../db/client.js';
import { SQLSTATE, sqlState, violatedConstraint } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { toFeedPayload } from './booking.mapper.js';
import type { BookingRepository, BookingRow } from './booking.repository.js';
import { carryRepricing } from './booking.support.js';
import { partitionBatch } from './booking.write-batch.js';
import { type BuiltWrite, buildWrite } from './booking.write-rows.js';
import type { BookingWriteStatement } from './booking-write.statement.js';
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

/** The exclusion constraint refused the insert: some requested time is taken. */
export class SlotTakenError extends Error {
  constructor() {
    super('slot taken');
    this.name = 'SlotTakenError';
  }
}

const RETRYABLE = new Set<string>([SQLSTATE.deadlockDetected, SQLSTATE.serializationFailure]);

type Answer = unknown;

/** A request waiting in its facility's queue, built before it joined. */
type Queued = { request: WriteRequest<unknown>; built: BuiltWrite<unknown> };

/**
 * The one place bookings are inserted. In ONE statement (atomic by itself, one round trip): the
 * bays' advisory locks, all rows (so a group or series is all or nothing under the exclusion
 * constraint), credentials (QR + PIN), customer totals, the HubSpot outbox, the idempotency record
 * and, last, the facility's change log (its counter lock is then held only until commit).
 * Expired holds are purged only when the exclusion constraint refuses the write, then it retries.
 *
 * Concurrent writes to one facility share that statement (group commit, common/group-commit.ts):
 * one round trip and one commit for many bookings. A shared statement either commits every
 * request in it or none; when the database refuses it (a slot taken since the check, a twin's
 * idempotency key, a deadlock), each of its requests is written again on its own, so each gets
 * exactly the answer it would have had alone.
 */
export class BookingWriter {
  private readonly batches = new GroupCommit<Queued, Answer>((_facilityId, queued) =>
    this.writeGroup(queued),
  );

  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly credentials: CredentialIssuer,
    private readonly statement: BookingWriteStatement,
  ) {}

  /** Writes the request, sharing the statement with concurrent writes to the same facility. */
  async write<T>(request: WriteRequest<T>): Promise<T> {
    const facilityId = request.items[0]?.facility.id;
    if (facilityId === undefined) return this.writeAlone(request);
    // Built (ids, codes, the signed QR token, the response) BEFORE joining the facility's queue:
    // only the statement itself waits for the facility's previous write, so under load the next
    // batch's signatures are made while the database runs the current one.
    const built = buildWrite(this.credentials, request, new Date());
    const answer = await this.batches.submit(facilityId, {
      request: request as WriteRequest<unknown>,
      built: built as BuiltWrite<unknown>,
    });
    return answer as T;
  }

  /**
   * One request in its own statement, with the retries a lost race or a code clash call for.
   * `prebuilt`, when given, is used for the first attempt; a retry builds afresh (new codes).
   */
  private async writeAlone<T>(request: WriteRequest<T>, prebuilt?: BuiltWrite<T>): Promise<T> {
    let purged = false;
    for (let attempt = 1; ; attempt++) {
      try {
        // One statement is atomic by itself: no BEGIN/COMMIT round trips.
        if (attempt === 1 && prebuilt) {
          await this.writeBuilt(this.db, [prebuilt], new Date());
          return prebuilt.result;
        }
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
   * A batch of one facility's requests (`GroupCommit`'s flush), each already built. Those that can
   * share a statement (no two on the same bay-time, no repeated idempotency key: `partitionBatch`)
   * are written in one; the others alone, after it. A shared statement the database refused is
   * retried request by request. An error without a SQLSTATE (the connection broke) leaves the
   * outcome unknown, so it is every shared request's answer, as it would have been for each alone.
   */
  private async writeGroup(queued: Queued[]): Promise<Settled<Answer>[]> {
    const outcomes: Settled<Answer>[] = [];
    const alone = async (index: number) => {
      const { request, built } = queued[index]!;
      outcomes[index] = await settle(this.writeAlone(request, built));
    };
    if (queued.length === 1) {
      await alone(0);
      return outcomes;
    }
    const { together, apart } = partitionBatch(
      queued.map(({ built }) => ({
        ranges: built.rows.map((r) => ({
          simulatorId: r.simulatorId,
          start: r.startTime.getTime(),
          end: r.blockedUntil.getTime(),
        })),
        idempotencyKey: built.idempotency ? `${built.idempotency.scope}\n${built.idempotency.key}` : null,
      })),
    );
    if (together.length === 1) await alone(together[0]!);
    if (together.length > 1) await this.writeShared(together, queued, outcomes, alone);
    // After the shared statement, so the earlier request of a clashing pair wins, as it would
    // have had it been first to the database alone.
    await Promise.all(apart.map(alone));
    return outcomes;
  }

  /** The shared statement of a batch; refused by the database, each request is written alone. */
  private async writeShared(
    together: number[],
    queued: Queued[],
    outcomes: Settled<Answer>[],
    alone: (index: number) => Promise<void>,
  ): Promise<void> {
    try {
      await this.writeBuilt(
        this.db,
        together.map((i) => queued[i]!.built),
        new Date(),
      );
      for (const i of together) outcomes[i] = { ok: true, value: queued[i]!.built.result };
    } catch (error) {
      if (sqlState(error) === undefined) {
        for (const i of together) outcomes[i] = { ok: false, error };
        return;
      }
      await Promise.all(together.map(alone));
    }
  }

  /**
   * The same write inside a caller's transaction (the edge feed stores the event's dedupe row with
   * it). The caller maps the exclusion violation (23P01) itself: it aborts the whole transaction,
   * so expired holds are purged first here rather than on a violation.
   */
  async writeIn<T>(tx: Transaction, request: WriteRequest<T>): Promise<T> {
    await this.repo.claimBays(tx, [...new Set(request.items.map((i) => i.simulatorId))]);
    return this.writeStatement(tx, request);
  }

  /** One request: built in memory, then written in one statement (booking-write.statement.ts). */
  private async writeStatement<T>(tx: Executor, request: WriteRequest<T>): Promise<T> {
    const now = new Date();
    const built = buildWrite(this.credentials, request, now);
    await this.writeBuilt(tx, [built], now);
    return built.result;
  }

  /** Writes built requests of one facility in one statement, then tells the change-log listeners. */
  private async writeBuilt(tx: Executor, built: BuiltWrite<unknown>[], now: Date): Promise<void> {
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
    const logged = built.filter((b) => b.logged).flatMap((b) => b.rows);
    const facilityId = logged[0]?.facilityId;
    await this.statement.run(tx, {
      rows,
      tokens: built.flatMap((b) => b.tokens),
      idempotency: built.flatMap((b) => (b.idempotency ? [b.idempotency] : [])),
      at: now,
      ...(facilityId !== undefined
        ? {
            changeLog: (gate) =>
              this.changeLog.appendParts(
                facilityId,
                logged.map((row) => ({
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
    await options.recorder?.record(tx, result);
    await this.changeLog.append(tx, row.facilityId, 'booking', 'upsert', row.id, toFeedPayload(row));
    return result;
  }
}
