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
 * The booking checks' reads, batched per facility (`GroupCommit`) into ONE statement
 * (`CatalogRepository.readBays`) and one commit for their guests' upserts; each check gets its own
 * bay's busy time (docs/performance.md, "Batched check reads and the guest upsert"). Freshness comes
 * from the oldest head in the batch, so a catalog change after any check is seen by all. A repeated
 * guest email is read on its own, a batch the database refuses is read again check by check (one
 * check's error is its own), and reads inside a caller's transaction are not batched.
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
