import type { BusyInterval } from '@clubos/shared/model';
import { GroupCommit, type Settled, settle } from '../common/group-commit.js';
import type { Executor } from '../db/client.js';
import { sqlState } from '../db/errors.js';
import type { BayRead, CatalogFreshness, CatalogRepository } from './catalog.repository.js';
import type { GuestUpsert } from './guest-upsert.js';

/** One booking check's read: the catalog's freshness, its bay's busy time, its guest's record. */
export type BayReadResult = CatalogFreshness & { busy: BusyInterval[]; guest?: GuestUpsert };

type Pending = { knownHead: number; read: BayRead };

/**
 * The booking checks' reads, batched per facility (`GroupCommit`): the checks that arrive
 * together share ONE statement (`CatalogRepository.readBays`) and so one round trip, and one
 * commit for their guests' customer upserts. Each check gets its own bay's busy time.
 *
 * Every read of a batch sees the same snapshot, as if they had all been made at that moment. The
 * freshness is computed from the oldest head the batch knows, so a catalog change after any of
 * them is seen by all (at worst a check reloads a catalog it did not need to). Two guests with one
 * email cannot be upserted in one statement, so a repeated email is read on its own; a batch the
 * database refuses (a guest's bad row) is read again check by check, so one check's error is its
 * own. Reads inside a caller's transaction are not batched.
 */
export class BayReads {
  private readonly batches = new GroupCommit<Pending, BayReadResult>((facilityId, pending) =>
    this.readBatch(facilityId, pending),
  );

  constructor(private readonly repo: CatalogRepository) {}

  read(facilityId: string, knownHead: number, read: BayRead, tx?: Executor): Promise<BayReadResult> {
    if (tx) return this.readAlone(facilityId, knownHead, read, tx);
    return this.batches.submit(facilityId, { knownHead, read });
  }

  private async readAlone(
    facilityId: string,
    knownHead: number,
    read: BayRead,
    tx?: Executor,
  ): Promise<BayReadResult> {
    return (await this.readTogether(facilityId, knownHead, [read], tx))[0]!;
  }

  private async readTogether(
    facilityId: string,
    knownHead: number,
    reads: BayRead[],
    tx?: Executor,
  ): Promise<BayReadResult[]> {
    const { busy, guests, ...freshness } = await this.repo.readBays(facilityId, knownHead, reads, tx);
    return reads.map((read, i) => {
      const guest = read.guest ? guests.get(read.guest.email) : undefined;
      return { ...freshness, busy: busy[i]!, ...(guest ? { guest } : {}) };
    });
  }

  private async readBatch(facilityId: string, pending: Pending[]): Promise<Settled<BayReadResult>[]> {
    if (pending.length === 1)
      return [await settle(this.readAlone(facilityId, pending[0]!.knownHead, pending[0]!.read))];
    const emails = new Set<string>();
    const together: number[] = [];
    const apart: number[] = [];
    pending.forEach(({ read }, index) => {
      const email = read.guest?.email;
      if (email !== undefined && emails.has(email)) apart.push(index);
      else {
        if (email !== undefined) emails.add(email);
        together.push(index);
      }
    });
    const outcomes: Settled<BayReadResult>[] = [];
    const alone = async (index: number) => {
      const { knownHead, read } = pending[index]!;
      outcomes[index] = await settle(this.readAlone(facilityId, knownHead, read));
    };
    const knownHead = Math.min(...together.map((i) => pending[i]!.knownHead));
    try {
      const reads = together.map((i) => pending[i]!.read);
      const results = await this.readTogether(facilityId, knownHead, reads);
      together.forEach((index, k) => {
        outcomes[index] = { ok: true, value: results[k]! };
      });
    } catch (error) {
      if (sqlState(error) === undefined) throw error;
      await Promise.all(together.map(alone));
    }
    await Promise.all(apart.map(alone));
    return outcomes;
  }
}
