import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { refundOutbox, refundOverrides } from '../db/schema/payment-refunds.schema.js';

export type RefundOutboxRow = typeof refundOutbox.$inferSelect;
export type RefundOverrideRow = typeof refundOverrides.$inferSelect;

/** The `refund_outbox` and `refund_overrides` tables: refunds still owed to the card, and staff's overrides. */
export class RefundOutboxRepository {
  constructor(private readonly db: Database) {}

  /**
   * The first send follows the commit at once; the sweep takes the row only after `graceMs`, so it
   * does not race that send (harmless with the same key, but a wasted call).
   */
  async enqueue(
    tx: Executor,
    refund: { id: string; facilityId: string; bookingId: string },
    graceMs = 60_000,
  ): Promise<void> {
    const { id: refundId, facilityId, bookingId } = refund;
    await tx
      .insert(refundOutbox)
      .values({ refundId, facilityId, bookingId, nextAttemptAt: new Date(Date.now() + graceMs) })
      .onConflictDoNothing();
  }

  async find(refundId: string, tx: Executor = this.db): Promise<RefundOutboxRow | undefined> {
    const [row] = await tx.select().from(refundOutbox).where(eq(refundOutbox.refundId, refundId));
    return row;
  }

  /** Refunds due for another try, oldest first. */
  async due(now: Date, limit: number): Promise<RefundOutboxRow[]> {
    return this.db
      .select()
      .from(refundOutbox)
      .where(and(isNull(refundOutbox.sentAt), lte(refundOutbox.nextAttemptAt, now)))
      .orderBy(asc(refundOutbox.nextAttemptAt))
      .limit(limit);
  }

  async markSent(refundId: string, error: string | null = null): Promise<void> {
    await this.db
      .update(refundOutbox)
      .set({ sentAt: new Date(), lastError: error })
      .where(eq(refundOutbox.refundId, refundId));
  }

  async scheduleRetry(refundId: string, attempts: number, at: Date, error: string): Promise<void> {
    await this.db
      .update(refundOutbox)
      .set({ attempts, nextAttemptAt: at, lastError: error.slice(0, 1000) })
      .where(eq(refundOutbox.refundId, refundId));
  }

  async insertOverride(
    tx: Executor,
    values: Pick<
      RefundOverrideRow,
      'facilityId' | 'bookingId' | 'actorUserId' | 'policyCents' | 'amountCents' | 'reason'
    >,
  ): Promise<RefundOverrideRow> {
    const [row] = await tx.insert(refundOverrides).values(values).returning();
    return row!;
  }

  async overridesOf(bookingId: string): Promise<RefundOverrideRow[]> {
    return this.db
      .select()
      .from(refundOverrides)
      .where(eq(refundOverrides.bookingId, bookingId))
      .orderBy(asc(refundOverrides.createdAt));
  }
}
