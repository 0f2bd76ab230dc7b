import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { noShowFees, savedCards } from '../db/schema/no-show-fees.schema.js';

export type NoShowFeeRow = typeof noShowFees.$inferSelect;
export type SavedCardRow = typeof savedCards.$inferSelect;

/** The `saved_cards` and `no_show_fees` tables. */
export class NoShowFeesRepository {
  constructor(private readonly db: Database) {}

  async savedCardOf(customerId: string, tx: Executor = this.db): Promise<SavedCardRow | undefined> {
    const [row] = await tx.select().from(savedCards).where(eq(savedCards.customerId, customerId));
    return row;
  }

  async saveCardSetup(
    values: Pick<SavedCardRow, 'customerId' | 'providerCustomerId' | 'consentText' | 'consentedAt'> & {
      setupCheckoutId: string | null;
    },
  ): Promise<void> {
    await this.db
      .insert(savedCards)
      .values(values)
      .onConflictDoUpdate({ target: savedCards.customerId, set: { ...values, updatedAt: new Date() } });
  }

  /** A fee for a no-show, once per booking (a repeated no-show report changes nothing). */
  async enqueue(
    tx: Executor,
    values: Pick<NoShowFeeRow, 'bookingId' | 'facilityId' | 'customerId' | 'amountCents' | 'currency'>,
  ): Promise<boolean> {
    // The sweep waits a minute: the charge right after the commit should not race it.
    const rows = await tx
      .insert(noShowFees)
      .values({ ...values, nextAttemptAt: new Date(Date.now() + 60_000) })
      .onConflictDoNothing()
      .returning();
    return rows.length > 0;
  }

  async find(bookingId: string): Promise<NoShowFeeRow | undefined> {
    const [row] = await this.db.select().from(noShowFees).where(eq(noShowFees.bookingId, bookingId));
    return row;
  }

  async due(now: Date, limit: number): Promise<NoShowFeeRow[]> {
    return this.db
      .select()
      .from(noShowFees)
      .where(and(eq(noShowFees.status, 'pending'), lte(noShowFees.nextAttemptAt, now)))
      .orderBy(asc(noShowFees.nextAttemptAt))
      .limit(limit);
  }

  async update(
    bookingId: string,
    values: Partial<
      Pick<
        NoShowFeeRow,
        'status' | 'paymentId' | 'failureCode' | 'failureMessage' | 'attempts' | 'nextAttemptAt'
      >
    >,
  ): Promise<void> {
    await this.db
      .update(noShowFees)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(noShowFees.bookingId, bookingId));
  }

  async listOf(facilityId: string, status: string | undefined, limit = 200): Promise<NoShowFeeRow[]> {
    return this.db
      .select()
      .from(noShowFees)
      .where(
        status
          ? and(eq(noShowFees.facilityId, facilityId), eq(noShowFees.status, status))
          : eq(noShowFees.facilityId, facilityId),
      )
      .orderBy(desc(noShowFees.createdAt))
      .limit(limit);
  }
}
