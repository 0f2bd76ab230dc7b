import type { WalkInDueItem } from '@clubos/shared/api/edge-lan';
import type { TerminalPayment } from '@clubos/shared/api/terminal.schemas';
import { DomainError, invalidState, notFound } from '@clubos/shared/errors';
import type { EdgeDatabase } from '../db/database.js';
import { type CloudPayments, CloudUnreachable } from './cloud-payments.client.js';
import { dueOf, markSettled, owedDues } from './walk-in-dues.repository.js';

const backOnlineFirst = () =>
  new DomainError('NOT_READY', 'The venue is offline: settle what is owed once the connection is back');

/**
 * What walk-ins sold offline owe, for the console, and their settlement once the cloud answers:
 * cash (recorded in the cloud's ledger with the staff member) or a card on the reader (a payment
 * started here, polled like a kiosk's, then named in the settlement). A settled item leaves the list.
 */
export class WalkInDuesService {
  constructor(
    private readonly database: EdgeDatabase,
    private readonly cloud: CloudPayments | null,
    private readonly now: () => number,
  ) {}

  owed(): WalkInDueItem[] {
    return owedDues(this.database.db).map((row) => ({
      booking_id: row.due.booking_id,
      reference_code: row.reference_code,
      customer_name: row.customer_name,
      simulator_id: row.simulator_id,
      start_time: row.start_time === null ? null : new Date(row.start_time).toISOString(),
      amount_cents: row.due.amount_cents,
      sold_at: new Date(row.due.created_at).toISOString(),
      sold_by: row.due.sold_by,
    }));
  }

  /** Starts the reader for what the walk-in owes (charged at once). */
  async startCard(bookingId: string): Promise<TerminalPayment> {
    const due = this.owedDue(bookingId);
    return this.call((cloud) =>
      cloud.start({ booking_id: bookingId, amount_cents: due.amount_cents, purpose: 'settle' }),
    );
  }

  async settle(bookingId: string, method: 'cash' | 'card', paymentId: string | undefined, actor: string) {
    const due = this.owedDue(bookingId);
    const settled = await this.call((cloud) =>
      cloud.settle(bookingId, {
        amount_cents: due.amount_cents,
        method,
        ...(paymentId ? { payment_id: paymentId } : {}),
        settled_by: actor,
      }),
    );
    this.database.immediate(() =>
      markSettled(this.database.db, bookingId, {
        method: settled.method ?? method,
        payment_id: settled.payment_id,
        settled_by: actor,
        settled_at: this.now(),
      }),
    );
    return {
      booking_id: bookingId,
      method: settled.method ?? method,
      amount_cents: due.amount_cents,
      settled_by: actor,
    };
  }

  private owedDue(bookingId: string) {
    const due = dueOf(this.database.db, bookingId);
    if (!due) throw notFound('Walk-in due', bookingId);
    if (due.status !== 'owed') throw invalidState(`Walk-in ${bookingId} was settled already`);
    return due;
  }

  private async call<T>(fn: (cloud: CloudPayments) => Promise<T>): Promise<T> {
    if (this.cloud === null) throw backOnlineFirst();
    try {
      return await fn(this.cloud);
    } catch (error) {
      if (error instanceof CloudUnreachable) throw backOnlineFirst();
      throw error;
    }
  }
}
