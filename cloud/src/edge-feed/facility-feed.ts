import { DEFAULT_PAYMENT_POLICY, type PaymentPolicy } from '@clubos/shared/payments';
import type { Executor } from '../db/client.js';
import type { facilities } from '../db/schema/index.js';
import type { PaymentPolicyRepository } from '../payments/payment-policy.repository.js';
import type { ChangeLogRepository } from './change-log.repository.js';
import type { EdgeFeedRepository } from './edge-feed.repository.js';
import { snakeRow } from './edge-feed.service.js';

type FacilityRow = typeof facilities.$inferSelect;

/**
 * The facility as the edge replicates it: its row plus what of the payment policy the venue's own
 * box applies (walk-ins on the card reader, the offline "to collect" cap). Every facility entry in
 * the feed goes through here, so a catalog edit never drops the policy and a policy edit reaches the edge.
 */
export function facilityFeedData(row: FacilityRow, policy: PaymentPolicy): Record<string, unknown> {
  return {
    ...snakeRow(row),
    walk_in_payment: { card: policy.walkInCard, to_collect_cap_cents: policy.walkInToCollectCapCents },
  };
}

/** Reads the policy and appends the facility's feed entry, inside the caller's transaction. */
export class FacilityFeed {
  constructor(
    private readonly policies: PaymentPolicyRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly rows: EdgeFeedRepository,
  ) {}

  async data(tx: Executor, row: FacilityRow): Promise<Record<string, unknown>> {
    const policy = (await this.policies.find(row.id, tx))?.policy ?? DEFAULT_PAYMENT_POLICY;
    return facilityFeedData(row, policy);
  }

  async publish(tx: Executor, row: FacilityRow): Promise<number> {
    return this.changeLog.append(tx, row.id, 'facility', 'upsert', row.id, await this.data(tx, row));
  }

  /** After a policy change: the facility's entry again, now with the new walk-in fields. */
  async republish(tx: Executor, facilityId: string): Promise<void> {
    const row = await this.rows.facilityRow(facilityId, tx);
    if (row) await this.publish(tx, row);
  }
}
