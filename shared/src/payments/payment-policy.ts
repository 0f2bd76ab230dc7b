import { DomainInputError } from '../model/domain-input.error.js';
import { roundCents } from '../pricing/money.js';

/**
 * What a facility asks customers to pay online when they book (docs/decisions/018-payments.md):
 * the whole price, a deposit, or nothing (pay at the venue, as before payments existed).
 */
export type PaymentMode = 'full' | 'deposit' | 'at_venue';
export const PAYMENT_MODES: readonly PaymentMode[] = ['full', 'deposit', 'at_venue'];

/** A deposit: a share of the total in basis points (2500 = 25 %), or a fixed amount in minor units. */
export type DepositRule = { kind: 'percent'; bps: number } | { kind: 'fixed'; cents: number };

export interface PaymentPolicy {
  mode: PaymentMode;
  /** Only with `mode: 'deposit'`; null otherwise. */
  deposit: DepositRule | null;
  /** Charged off session on the saved card when a booking is a no-show; 0 = no fee. */
  noShowFeeCents: number;
  /** The customer must save a card (SetupIntent) when booking, so a no-show fee can be charged. */
  cardOnFileRequired: boolean;
  /** ISO 4217, lower case as the provider writes it ('usd', 'cad', 'eur'). */
  currency: string;
  /** Walk-ins (kiosk, desk) pay on the venue's card reader; replicated to the edge with the facility. */
  walkInCard: boolean;
  /** Offline, a card walk-in up to this is sold "to collect" at the desk; one above it is refused. */
  walkInToCollectCapCents: number;
}

/** A facility that never set a policy: pay at the venue, no fee, US dollars. */
export const DEFAULT_PAYMENT_POLICY: PaymentPolicy = Object.freeze({
  mode: 'at_venue',
  deposit: null,
  noShowFeeCents: 0,
  cardOnFileRequired: false,
  currency: 'usd',
  walkInCard: false,
  walkInToCollectCapCents: 10_000,
});

/** Largest amount a policy may name (the provider's own ceiling is 99 999 999 minor units). */
export const MAX_POLICY_CENTS = 99_999_999;

/**
 * Checks the rules between fields that a schema cannot express, and names the field at fault:
 * a deposit exactly when the mode is `deposit`, a share from 1 bp to 100 %, whole non-negative cents,
 * a no-show fee only with a card on file to charge it to.
 */
export function validatePaymentPolicy(policy: PaymentPolicy): PaymentPolicy {
  if (!PAYMENT_MODES.includes(policy.mode)) {
    throw new DomainInputError('mode', `must be one of ${PAYMENT_MODES.join(', ')}`);
  }
  if (policy.mode === 'deposit' && policy.deposit === null) {
    throw new DomainInputError('deposit', "is required when mode is 'deposit'");
  }
  if (policy.mode !== 'deposit' && policy.deposit !== null) {
    throw new DomainInputError('deposit', "is only allowed when mode is 'deposit'");
  }
  const deposit = policy.deposit;
  if (
    deposit?.kind === 'percent' &&
    !(Number.isInteger(deposit.bps) && deposit.bps >= 1 && deposit.bps <= 10_000)
  ) {
    throw new DomainInputError('deposit.bps', 'must be a whole number of basis points from 1 to 10000');
  }
  if (deposit?.kind === 'fixed' && !isCents(deposit.cents, 1)) {
    throw new DomainInputError('deposit.cents', `must be whole minor units from 1 to ${MAX_POLICY_CENTS}`);
  }
  if (!isCents(policy.noShowFeeCents, 0)) {
    throw new DomainInputError(
      'no_show_fee_cents',
      `must be whole minor units from 0 to ${MAX_POLICY_CENTS}`,
    );
  }
  if (policy.noShowFeeCents > 0 && !policy.cardOnFileRequired) {
    throw new DomainInputError('card_on_file_required', 'must be true when a no-show fee is set');
  }
  if (!isCents(policy.walkInToCollectCapCents, 0)) {
    throw new DomainInputError(
      'walk_in_to_collect_cap_cents',
      `must be whole minor units from 0 to ${MAX_POLICY_CENTS}`,
    );
  }
  if (!/^[a-z]{3}$/.test(policy.currency)) {
    throw new DomainInputError('currency', 'must be a three-letter ISO 4217 code such as usd');
  }
  return policy;
}

const isCents = (value: number, minimum: number) =>
  Number.isInteger(value) && value >= minimum && value <= MAX_POLICY_CENTS;

/**
 * What the customer pays online for a booking quoted at `totalCents` (tax included): everything,
 * the deposit (a percentage rounded half away from zero; never more than the total), or nothing.
 */
export function amountDueOnline(totalCents: number, policy: PaymentPolicy): number {
  if (!Number.isInteger(totalCents) || totalCents < 0) {
    throw new DomainInputError('total_cents', 'must be whole minor units, zero or more');
  }
  switch (policy.mode) {
    case 'at_venue':
      return 0;
    case 'full':
      return totalCents;
    case 'deposit': {
      const deposit = policy.deposit;
      if (deposit === null) throw new DomainInputError('deposit', "is required when mode is 'deposit'");
      const due =
        deposit.kind === 'percent' ? roundCents((totalCents * deposit.bps) / 10_000) : deposit.cents;
      return Math.min(due, totalCents);
    }
  }
}

/** What is left to collect at the venue once `paidOnlineCents` came in. */
export function amountDueAtVenue(totalCents: number, paidOnlineCents: number): number {
  return Math.max(0, totalCents - paidOnlineCents);
}
