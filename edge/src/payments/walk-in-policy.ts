import { DEFAULT_PAYMENT_POLICY } from '@clubos/shared/payments';
import type { EdgeDatabase } from '../db/database.js';
import { facility } from '../db/schema.js';

export interface WalkInPolicy {
  /** Walk-ins pay on the venue's card reader through the cloud. */
  card: boolean;
  /** Offline, a card walk-in up to this is sold "to collect"; above it, refused. */
  toCollectCapCents: number;
}

export interface WalkInOverrides {
  card: boolean | null;
  toCollectCapCents: number | null;
}

/**
 * The walk-in payment rule as of now: the facility's policy in the replica (so an admin's change
 * applies on the next sale), unless the box's own setting overrides it (docs/decisions/018-payments.md).
 */
export function walkInPolicyReader(database: EdgeDatabase, overrides: WalkInOverrides): () => WalkInPolicy {
  return () => {
    const row = database.db.select({ p: facility.walk_in_payment }).from(facility).limit(1).get();
    const replicated = row?.p ?? null;
    return {
      card: overrides.card ?? replicated?.card ?? DEFAULT_PAYMENT_POLICY.walkInCard,
      toCollectCapCents:
        overrides.toCollectCapCents ??
        replicated?.to_collect_cap_cents ??
        DEFAULT_PAYMENT_POLICY.walkInToCollectCapCents,
    };
  };
}
