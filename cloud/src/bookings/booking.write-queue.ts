import { GroupCommit, type Settled, settle } from '../common/group-commit.js';
import type { Database, Executor } from '../db/client.js';
import { SQLSTATE, sqlState, violatedConstraint } from '../db/errors.js';
import { partitionBatch } from './booking.write-batch.js';
import type { BuiltWrite } from './booking.write-rows.js';
import type { WriteRequest } from './booking.writer.js';

/** The one statement that stores built writes, and what a retry needs (`BookingWriter` gives them). */
export interface BookingInsert {
  build<T>(request: WriteRequest<T>, now: Date): BuiltWrite<T>;
  insert(executor: Executor, built: BuiltWrite<unknown>[], now: Date): Promise<void>;
  purgeExpiredHolds(bays: string[]): Promise<number>;
}

/** The exclusion constraint refused the insert: some requested time is taken. */
export class SlotTakenError extends Error {
  constructor() {
    super('slot taken');
    this.name = 'SlotTakenError';
  }
}

const RETRYABLE = new Set<string>([SQLSTATE.deadlockDetected, SQLSTATE.serializationFailure]);

type Queued = { request: WriteRequest<unknown>; built: BuiltWrite<unknown> };

/**
 * One write queue per facility (group commit, common/group-commit.ts): concurrent writes to one
 * facility share one statement, so one round trip and one commit for many bookings. A shared
 * statement either commits every request in it or none; when the database refuses it (a slot taken
 * since the check, a twin's idempotency key, a deadlock), each request is written again on its own,
 * so each gets exactly the answer it would have had alone (docs/decisions/016-booking-group-commit.md).
 */
export class BookingWriteQueue {
  private readonly batches = new GroupCommit<Queued, unknown>((_facilityId, queued) =>
    this.writeGroup(queued),
  );

  constructor(
    private readonly db: Database,
    private readonly store: BookingInsert,
  ) {}

  /** Queues a built write behind its facility's statement in flight; answers its own result. */
  submit<T>(facilityId: string, request: WriteRequest<T>, built: BuiltWrite<T>): Promise<T> {
    return this.batches.submit(facilityId, {
      request: request as WriteRequest<unknown>,
      built: built as BuiltWrite<unknown>,
    }) as Promise<T>;
  }

  /**
   * One request in its own statement, with the retries a lost race or a code clash call for.
   * `prebuilt`, when given, is used for the first attempt; a retry builds afresh (new codes).
   */
  async writeAlone<T>(request: WriteRequest<T>, prebuilt?: BuiltWrite<T>): Promise<T> {
    let purged = false;
    for (let attempt = 1; ; attempt++) {
      try {
        // One statement is atomic by itself: no BEGIN/COMMIT round trips.
        const now = new Date();
        const built = attempt === 1 && prebuilt ? prebuilt : this.store.build(request, now);
        await this.store.insert(this.db, [built], now);
        return built.result;
      } catch (error) {
        const state = sqlState(error);
        if (state === SQLSTATE.exclusionViolation) {
          // An expired hold still blocks the range until it is purged; purge once and retry.
          const bays = [...new Set(request.items.map((i) => i.simulatorId))];
          if (!purged && (await this.store.purgeExpiredHolds(bays)) > 0) {
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
          violatedConstraint(error) === 'uq_bookings_facility_reference';
        if (!codeClash || attempt >= 3) throw error;
      }
    }
  }

  /**
   * A batch of one facility's requests (`GroupCommit`'s flush), each already built. Those that can
   * share a statement (no two on the same bay-time, no repeated idempotency key: `partitionBatch`)
   * are written in one; the others alone, after it, so the earlier of a clashing pair wins as it
   * would have alone. An error without a SQLSTATE (the connection broke) leaves the outcome unknown,
   * so it is every shared request's answer, as it would have been for each alone.
   */
  private async writeGroup(queued: Queued[]): Promise<Settled<unknown>[]> {
    const outcomes: Settled<unknown>[] = [];
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
    if (together.length > 1) {
      try {
        await this.store.insert(
          this.db,
          together.map((i) => queued[i]!.built),
          new Date(),
        );
        for (const i of together) outcomes[i] = { ok: true, value: queued[i]!.built.result };
      } catch (error) {
        if (sqlState(error) === undefined) {
          for (const i of together) outcomes[i] = { ok: false, error };
        } else {
          await Promise.all(together.map(alone));
        }
      }
    }
    await Promise.all(apart.map(alone));
    return outcomes;
  }
}
