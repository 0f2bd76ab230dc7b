import type { PaymentService } from './payment.service.js';
import type { RefundOutboxRepository } from './refund-outbox.repository.js';

/**
 * Sends the refunds Stripe has not answered yet (down, timed out) from their durable outbox rows,
 * each with its own idempotency key, until Stripe answers: a refund or a refusal.
 */
export class RefundOutboxWorker {
  constructor(
    private readonly outbox: RefundOutboxRepository,
    private readonly payments: PaymentService,
    private readonly onError: (error: unknown, refundId: string) => void = () => {},
  ) {}

  /** One pass over the refunds due at `now`; returns how many were tried. */
  async retryDue(now: Date = new Date(), limit = 50): Promise<number> {
    const due = await this.outbox.due(now, limit);
    for (const row of due) {
      try {
        await this.payments.deliverRefund(row.refundId);
      } catch (error) {
        // A refusal is final and recorded on the refund (failed); the pass goes on.
        this.onError(error, row.refundId);
      }
    }
    return due.length;
  }
}
