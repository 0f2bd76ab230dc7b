import { and, eq, gte, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { facilityTerminalReaders, walkInDues } from '../db/schema/terminal.schema.js';

export type WalkInDueRow = typeof walkInDues.$inferSelect;

/** The tables of `db/schema/terminal.schema.ts`: each facility's reader and the walk-ins owed. */
export class TerminalRepository {
  constructor(private readonly db: Executor) {}

  async readerOf(facilityId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ readerId: facilityTerminalReaders.readerId })
      .from(facilityTerminalReaders)
      .where(eq(facilityTerminalReaders.facilityId, facilityId));
    return row?.readerId ?? null;
  }

  async setReader(facilityId: string, readerId: string | null): Promise<void> {
    if (readerId === null) {
      await this.db.delete(facilityTerminalReaders).where(eq(facilityTerminalReaders.facilityId, facilityId));
      return;
    }
    await this.db
      .insert(facilityTerminalReaders)
      .values({ facilityId, readerId })
      .onConflictDoUpdate({
        target: facilityTerminalReaders.facilityId,
        set: { readerId, updatedAt: sql`now()` },
      });
  }

  /** Records what a walk-in owes unless it is known already (the outbox and a settlement may race). */
  async insertDueIfAbsent(
    tx: Executor,
    values: Pick<WalkInDueRow, 'bookingId' | 'facilityId' | 'amountCents' | 'currency'>,
  ): Promise<void> {
    await tx.insert(walkInDues).values(values).onConflictDoNothing();
  }

  async findDue(tx: Executor, bookingId: string): Promise<WalkInDueRow | undefined> {
    const [row] = await tx.select().from(walkInDues).where(eq(walkInDues.bookingId, bookingId));
    return row;
  }

  async settleDue(
    tx: Executor,
    bookingId: string,
    values: Pick<WalkInDueRow, 'method' | 'paymentId' | 'settledBy'>,
  ): Promise<WalkInDueRow> {
    const [row] = await tx
      .update(walkInDues)
      .set({ ...values, status: 'settled', settledAt: new Date() })
      .where(and(eq(walkInDues.bookingId, bookingId), eq(walkInDues.status, 'owed')))
      .returning();
    return row!;
  }

  async duesOf(facilityId: string, status: 'owed' | 'settled'): Promise<WalkInDueRow[]> {
    return this.db
      .select()
      .from(walkInDues)
      .where(and(eq(walkInDues.facilityId, facilityId), eq(walkInDues.status, status)))
      .orderBy(walkInDues.createdAt);
  }

  /** The facility's dues recorded in [from, to), and every due still owed whenever it was recorded. */
  async duesOfDay(facilityId: string, from: Date, to: Date): Promise<WalkInDueRow[]> {
    return this.db
      .select()
      .from(walkInDues)
      .where(
        and(
          eq(walkInDues.facilityId, facilityId),
          or(
            and(gte(walkInDues.createdAt, from), lt(walkInDues.createdAt, to)),
            eq(walkInDues.status, 'owed'),
          ),
        ),
      )
      .orderBy(walkInDues.createdAt);
  }
}
