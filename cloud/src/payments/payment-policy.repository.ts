import type { PaymentPolicy } from '@clubos/shared/payments';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { facilityPaymentPolicies } from '../db/schema/payments.schema.js';

export interface StoredPaymentPolicy {
  policy: PaymentPolicy;
  updatedAt: Date;
}

/** The `facility_payment_policies` table: one row per facility that set a policy. */
export class PaymentPolicyRepository {
  constructor(private readonly db: Executor) {}

  async find(facilityId: string, tx: Executor = this.db): Promise<StoredPaymentPolicy | null> {
    const [row] = await tx
      .select()
      .from(facilityPaymentPolicies)
      .where(eq(facilityPaymentPolicies.facilityId, facilityId));
    if (!row) return null;
    return {
      policy: {
        mode: row.mode as PaymentPolicy['mode'],
        deposit:
          row.depositBps !== null
            ? { kind: 'percent', bps: row.depositBps }
            : row.depositCents !== null
              ? { kind: 'fixed', cents: row.depositCents }
              : null,
        noShowFeeCents: row.noShowFeeCents,
        cardOnFileRequired: row.cardOnFileRequired,
        currency: row.currency,
        walkInCard: row.walkInCard,
        walkInToCollectCapCents: row.walkInToCollectCapCents,
      },
      updatedAt: row.updatedAt,
    };
  }

  async upsert(
    facilityId: string,
    policy: PaymentPolicy,
    updatedBy: string | null,
    tx: Executor = this.db,
  ): Promise<Date> {
    const values = {
      mode: policy.mode,
      depositBps: policy.deposit?.kind === 'percent' ? policy.deposit.bps : null,
      depositCents: policy.deposit?.kind === 'fixed' ? policy.deposit.cents : null,
      noShowFeeCents: policy.noShowFeeCents,
      cardOnFileRequired: policy.cardOnFileRequired,
      currency: policy.currency,
      walkInCard: policy.walkInCard,
      walkInToCollectCapCents: policy.walkInToCollectCapCents,
      updatedBy,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(facilityPaymentPolicies)
      .values({ facilityId, ...values })
      .onConflictDoUpdate({ target: facilityPaymentPolicies.facilityId, set: values })
      .returning({ updatedAt: facilityPaymentPolicies.updatedAt });
    return row!.updatedAt;
  }
}
