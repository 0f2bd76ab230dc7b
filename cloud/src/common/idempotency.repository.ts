import { and, eq, lt } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { idempotencyKeys } from '../db/schema/index.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  async find(scope: string, key: string): Promise<IdempotencyRow | undefined> {
    const [row] = await this.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
      .limit(1);
    return row;
  }

  /** Inside the write's transaction: a concurrent twin fails here with 23505 and rolls back. */
  async insert(tx: Executor, row: typeof idempotencyKeys.$inferInsert): Promise<void> {
    await tx.insert(idempotencyKeys).values(row);
  }

  async deleteOlderThan(cutoff: Date): Promise<void> {
    await this.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff));
  }

  async delete(scope: string, key: string): Promise<void> {
    await this.db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  }
}
