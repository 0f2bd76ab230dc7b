import { randomUUID } from 'node:crypto';
import { signatureHeader } from '@clubos/simulators/stripe/index';
import { type PaymentRow, PaymentsRepository } from '../payments/payments.repository.js';
import { createTestApp, type TestApp, type TestDatabaseKind } from './test-app.js';

export const BATCH_WEBHOOK_SECRET = 'whsec_batch_test';

/** A signed webhook as the route hands it to the service: the raw body and its Stripe-Signature. */
export interface SignedEvent {
  raw: Buffer;
  signature: string;
}

export interface WebhookBatchWorld {
  t: TestApp;
  payments: PaymentsRepository;
  /** A pending online payment of a booking of its own (no booking row: the settlement finds none). */
  /** `bookingId` places its events in a chosen lane (`bookingIdInLane`). */
  pendingPayment(amountCents?: number, bookingId?: string): Promise<PaymentRow>;
  close(): Promise<void>;
}

/**
 * A cloud that takes signed webhooks (no Stripe API: nothing is called back), with one facility,
 * for suites that drive `StripeWebhookService.accept` directly, many at once.
 */
export async function webhookBatchWorld(kind: TestDatabaseKind): Promise<WebhookBatchWorld> {
  const t = await createTestApp(kind, {
    payments: {
      stripeSecretKey: undefined,
      webhookSecret: BATCH_WEBHOOK_SECRET,
      api: undefined,
      maxNetworkRetries: 0,
      timeoutMs: 5_000,
      expirySweepMs: 0,
    },
  });
  const facility = await t.app.services.facilityRepository.insertFacility({ name: 'Batch venue' });
  const payments = new PaymentsRepository(t.app.db);
  return {
    t,
    payments,
    pendingPayment: (amountCents = 4_500, bookingId = randomUUID()) =>
      payments.insertPayment(t.app.db, {
        bookingId,
        facilityId: facility.id,
        kind: 'online',
        provider: 'stripe',
        attempt: 1,
        amountCents,
        currency: 'usd',
      }),
    close: () => t.close(),
  };
}

export function signEvent(event: object, secret = BATCH_WEBHOOK_SECRET): SignedEvent {
  const body = JSON.stringify(event);
  return {
    raw: Buffer.from(body),
    signature: signatureHeader([secret], Math.floor(Date.now() / 1000), body),
  };
}

const metadataOf = (payment: PaymentRow) => ({
  clubos_booking_id: payment.bookingId,
  clubos_payment_id: payment.id,
});

export function intentSucceeded(eventId: string, payment: PaymentRow, amountCents = payment.amountCents) {
  return {
    id: eventId,
    object: 'event',
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: `pi_${payment.id}`,
        object: 'payment_intent',
        amount: amountCents,
        amount_received: amountCents,
        metadata: metadataOf(payment),
      },
    },
  };
}

export function refundCreated(eventId: string, payment: PaymentRow, refundId: string, amountCents: number) {
  return {
    id: eventId,
    object: 'event',
    type: 'refund.created',
    data: {
      object: {
        id: refundId,
        object: 'refund',
        amount: amountCents,
        status: 'succeeded',
        payment_intent: `pi_${payment.id}`,
        metadata: metadataOf(payment),
      },
    },
  };
}
