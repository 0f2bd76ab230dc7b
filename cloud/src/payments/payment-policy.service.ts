import type { PaymentPolicyBody, PaymentPolicyResponse } from '@clubos/shared/api/payments.schemas';
import { badRequest, notFound } from '@clubos/shared/errors';
import { DEFAULT_PAYMENT_POLICY, type PaymentPolicy, validatePaymentPolicy } from '@clubos/shared/payments';
import { assertFacilityAccess, type Principal } from '../auth/index.js';
import type { Database, Executor } from '../db/client.js';
import type { FacilityFeed } from '../edge-feed/facility-feed.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import type { PaymentPolicyRepository } from './payment-policy.repository.js';

/**
 * A facility's payment policy for staff (their facilities) and admins. A facility that never set
 * one gets the default: pay at the venue. Without a Stripe key the policy is kept but not used.
 */
export class PaymentPolicyService {
  constructor(
    private readonly policies: PaymentPolicyRepository,
    private readonly facilities: FacilityRepository,
    private readonly onlineEnabled: boolean,
    private readonly db: Database,
    private readonly facilityFeed: FacilityFeed,
  ) {}

  /** The policy that applies to a facility's bookings (the default when none was set). */
  async policyOf(facilityId: string, tx?: Executor): Promise<PaymentPolicy> {
    return (await this.policies.find(facilityId, tx))?.policy ?? DEFAULT_PAYMENT_POLICY;
  }

  async get(principal: Principal | null, facilityId: string): Promise<PaymentPolicyResponse> {
    await this.checkAccess(principal, facilityId);
    const stored = await this.policies.find(facilityId);
    return this.toResponse(facilityId, stored?.policy ?? DEFAULT_PAYMENT_POLICY, stored?.updatedAt ?? null);
  }

  async replace(
    principal: Principal | null,
    facilityId: string,
    body: PaymentPolicyBody,
  ): Promise<PaymentPolicyResponse> {
    await this.checkAccess(principal, facilityId);
    const policy = validatePaymentPolicy(policyFromBody(body));
    const updatedBy = principal?.kind === 'user' ? principal.userId : null;
    // With the facility's feed entry in the same transaction: the edge follows the walk-in fields.
    const updatedAt = await this.db.transaction(async (tx) => {
      const at = await this.policies.upsert(facilityId, policy, updatedBy, tx);
      await this.facilityFeed.republish(tx, facilityId);
      return at;
    });
    return this.toResponse(facilityId, policy, updatedAt);
  }

  private async checkAccess(principal: Principal | null, facilityId: string): Promise<void> {
    assertFacilityAccess(principal, facilityId);
    if (!(await this.facilities.findFacility(facilityId))) throw notFound('Facility', facilityId);
  }

  private toResponse(
    facilityId: string,
    policy: PaymentPolicy,
    updatedAt: Date | null,
  ): PaymentPolicyResponse {
    return {
      facility_id: facilityId,
      mode: policy.mode,
      deposit_bps: policy.deposit?.kind === 'percent' ? policy.deposit.bps : null,
      deposit_cents: policy.deposit?.kind === 'fixed' ? policy.deposit.cents : null,
      no_show_fee_cents: policy.noShowFeeCents,
      card_on_file_required: policy.cardOnFileRequired,
      currency: policy.currency,
      walk_in_card: policy.walkInCard,
      walk_in_to_collect_cap_cents: policy.walkInToCollectCapCents,
      online_payments_enabled: this.onlineEnabled,
      updated_at: updatedAt?.toISOString() ?? null,
    };
  }
}

/** The API's flat deposit fields → the policy's deposit rule, naming the field that is wrong. */
function policyFromBody(body: PaymentPolicyBody): PaymentPolicy {
  const bps = body.deposit_bps ?? null;
  const cents = body.deposit_cents ?? null;
  if (body.mode === 'deposit' && bps === null && cents === null) {
    throw badRequest(
      'deposit_bps',
      "mode 'deposit' needs deposit_bps (a share) or deposit_cents (a fixed amount)",
    );
  }
  if (bps !== null && cents !== null) {
    throw badRequest('deposit_cents', 'give deposit_bps or deposit_cents, not both');
  }
  if (body.mode !== 'deposit' && (bps !== null || cents !== null)) {
    throw badRequest(
      bps !== null ? 'deposit_bps' : 'deposit_cents',
      "a deposit is only allowed with mode 'deposit'",
    );
  }
  return {
    mode: body.mode,
    deposit: bps !== null ? { kind: 'percent', bps } : cents !== null ? { kind: 'fixed', cents } : null,
    noShowFeeCents: body.no_show_fee_cents ?? 0,
    cardOnFileRequired: body.card_on_file_required ?? false,
    currency: body.currency ?? DEFAULT_PAYMENT_POLICY.currency,
    walkInCard: body.walk_in_card ?? DEFAULT_PAYMENT_POLICY.walkInCard,
    walkInToCollectCapCents:
      body.walk_in_to_collect_cap_cents ?? DEFAULT_PAYMENT_POLICY.walkInToCollectCapCents,
  };
}
