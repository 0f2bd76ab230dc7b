import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import { cardOnFileConsent } from '@clubos/shared/payments';
import type Stripe from 'stripe';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import type { NoShowFeesRepository } from './no-show-fees.repository.js';
import { isAmbiguous, offline, refusedBy, unreachable } from './payment.service.js';
import type { PaymentPolicyService } from './payment-policy.service.js';

export interface CardSetupStarted {
  checkout_url: string;
  consent_text: string;
}

export interface SavedCardStatus {
  has_card: boolean;
  consent_text: string | null;
  consented_at: string | null;
}

const CUSTOMER_META = 'clubos_customer_id';

/**
 * A card saved at Stripe for no-show fees: a Stripe Customer per ClubOS customer, and a Checkout
 * Session in `setup` mode (the card is typed on Stripe's page, never here). The consent text the
 * customer accepted is stored with the time; the card is whatever Stripe holds for that customer.
 */
export class CardOnFileService {
  constructor(
    private readonly repo: NoShowFeesRepository,
    private readonly policies: PaymentPolicyService,
    private readonly facilities: FacilityRepository,
    private readonly stripe: Stripe | null,
  ) {}

  /** Whether the facility's policy asks for a card on file, and the words to accept for it. */
  async askFor(facilityId: string): Promise<{ consent_text: string; card_on_file_required: boolean }> {
    const consent_text = await this.consentFor(facilityId);
    const policy = await this.policies.policyOf(facilityId);
    return { consent_text, card_on_file_required: this.stripe !== null && policy.cardOnFileRequired };
  }

  /** The words the customer is asked to accept for a facility (shown before `startSetup`). */
  async consentFor(facilityId: string): Promise<string> {
    const facility = await this.facilities.findFacility(facilityId);
    if (!facility) throw notFound('facility', facilityId);
    const policy = await this.policies.policyOf(facilityId);
    return cardOnFileConsent(facility.name, policy.noShowFeeCents, policy.currency);
  }

  async startSetup(
    customer: { customerId: string; email: string },
    facilityId: string,
    returnUrl: string,
    accepted: boolean,
  ): Promise<CardSetupStarted> {
    const stripe = this.stripe;
    if (!stripe) throw offline();
    if (!accepted) throw badRequest('accept_consent', 'the customer must accept the consent text');
    const consentText = await this.consentFor(facilityId);
    const policy = await this.policies.policyOf(facilityId);
    const consentedAt = new Date();
    try {
      const known = await this.repo.savedCardOf(customer.customerId);
      const providerCustomerId =
        known?.providerCustomerId ??
        (
          await stripe.customers.create(
            { email: customer.email, metadata: { [CUSTOMER_META]: customer.customerId } },
            { idempotencyKey: `customer:${customer.customerId}` },
          )
        ).id;
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'setup',
          customer: providerCustomerId,
          currency: policy.currency,
          success_url: returnUrl,
          cancel_url: returnUrl,
          metadata: { [CUSTOMER_META]: customer.customerId },
        },
        { idempotencyKey: `card-setup:${customer.customerId}:${consentedAt.getTime()}` },
      );
      await this.repo.saveCardSetup({
        customerId: customer.customerId,
        providerCustomerId,
        setupCheckoutId: session.id,
        consentText,
        consentedAt,
      });
      return { checkout_url: session.url ?? '', consent_text: consentText };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw isAmbiguous(error) ? unreachable() : refusedBy(error, 'card setup');
    }
  }

  async status(customerId: string): Promise<SavedCardStatus> {
    const saved = await this.repo.savedCardOf(customerId);
    if (!saved || !this.stripe) return { has_card: false, consent_text: null, consented_at: null };
    const cards = await this.stripe.customers.listPaymentMethods(saved.providerCustomerId, {
      type: 'card',
      limit: 1,
    });
    return {
      has_card: cards.data.length > 0,
      consent_text: saved.consentText,
      consented_at: saved.consentedAt.toISOString(),
    };
  }
}
