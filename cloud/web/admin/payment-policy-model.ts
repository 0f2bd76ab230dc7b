import type { PaymentPolicyBody, PaymentPolicyResponse } from '@clubos/shared/api/payments.schemas';
import { bpsToPercent, centsToDecimal, dollarsToCents, percentToBps } from '@clubos/shared/pricing';

export type PaymentMode = PaymentPolicyResponse['mode'];

/** The policy form as typed: amounts in dollars and percent, as text, until they are sent. */
export interface PolicyDraft {
  mode: PaymentMode;
  depositKind: 'percent' | 'fixed';
  depositPercent: string;
  depositAmount: string;
  noShowFee: string;
  cardOnFile: boolean;
  currency: string;
  /** Walk-ins at the kiosk and desk pay on the card reader (the venue's box follows it). */
  walkInCard: boolean;
  /** Offline, a card walk-in up to this (dollars) is sold "to collect". */
  walkInCap: string;
}

/** The fields an error can be shown next to: the API's own names. */
export type PolicyField =
  | 'mode'
  | 'deposit_bps'
  | 'deposit_cents'
  | 'no_show_fee_cents'
  | 'card_on_file_required'
  | 'currency'
  | 'walk_in_card'
  | 'walk_in_to_collect_cap_cents';

export const MODE_LABELS: Record<PaymentMode, string> = {
  full: 'Pay in full online',
  deposit: 'Pay a deposit online, the rest at the venue',
  at_venue: 'Pay at the venue',
};

export function draftOf(policy: PaymentPolicyResponse): PolicyDraft {
  return {
    mode: policy.mode,
    depositKind: policy.deposit_cents !== null ? 'fixed' : 'percent',
    depositPercent: policy.deposit_bps !== null ? bpsToPercent(policy.deposit_bps) : '',
    depositAmount: policy.deposit_cents !== null ? centsToDecimal(policy.deposit_cents) : '',
    noShowFee: centsToDecimal(policy.no_show_fee_cents),
    cardOnFile: policy.card_on_file_required,
    currency: policy.currency.toUpperCase(),
    walkInCard: policy.walk_in_card,
    walkInCap: centsToDecimal(policy.walk_in_to_collect_cap_cents),
  };
}

/**
 * The PUT body. Only what cannot be read as an amount is refused here (a DomainError naming the
 * field); every rule of the policy is the server's, so its answer is what the form shows.
 */
export function bodyOf(draft: PolicyDraft): PaymentPolicyBody {
  const deposit =
    draft.mode !== 'deposit'
      ? {}
      : draft.depositKind === 'percent'
        ? { deposit_bps: percentToBps(draft.depositPercent, 'deposit_bps') }
        : { deposit_cents: dollarsToCents(draft.depositAmount, 'deposit_cents') };
  return {
    mode: draft.mode,
    ...deposit,
    no_show_fee_cents:
      draft.noShowFee.trim() === '' ? 0 : dollarsToCents(draft.noShowFee, 'no_show_fee_cents'),
    card_on_file_required: draft.cardOnFile,
    currency: draft.currency.trim().toLowerCase(),
    walk_in_card: draft.walkInCard,
    walk_in_to_collect_cap_cents:
      draft.walkInCap.trim() === '' ? 0 : dollarsToCents(draft.walkInCap, 'walk_in_to_collect_cap_cents'),
  };
}

const FIELDS: readonly PolicyField[] = [
  'mode',
  'deposit_bps',
  'deposit_cents',
  'no_show_fee_cents',
  'card_on_file_required',
  'currency',
  'walk_in_card',
  'walk_in_to_collect_cap_cents',
];

/** The form field a server error names (`deposit.bps` and `deposit` are the deposit input); null: the form's. */
export function fieldOf(field: string | undefined, draft: PolicyDraft): PolicyField | null {
  if (field === 'deposit.bps') return 'deposit_bps';
  if (field === 'deposit.cents') return 'deposit_cents';
  if (field === 'deposit') return draft.depositKind === 'percent' ? 'deposit_bps' : 'deposit_cents';
  return FIELDS.find((f) => f === field) ?? null;
}
