import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { rateCounters } from '../db/schema/index.js';

export interface Counted {
  count: number;
  expiresAt: Date;
}

/**
 * Shared counters in PostgreSQL (docs/decisions/012-several-cloud-instances.md): one upsert per
 * hit, so every instance sees the same count. Times come from the caller's clock.
 */
export class RateCountersRepository {
  constructor(private readonly db: Database) {}

  /** Counts one more hit on `key`; a key whose window passed starts again at 1 for `windowMs`. */
  async hit(key: string, windowMs: number, now: Date): Promise<Counted> {
    const until = new Date(now.getTime() + windowMs);
    const [row] = await this.db
      .insert(rateCounters)
      .values({ key, count: 1, expiresAt: until })
      .onConflictDoUpdate({
        target: rateCounters.key,
        set: {
          count: sql`CASE WHEN ${rateCounters.expiresAt} <= ${now} THEN 1 ELSE ${rateCounters.count} + 1 END`,
          expiresAt: sql`CASE WHEN ${rateCounters.expiresAt} <= ${now} THEN ${until} ELSE ${rateCounters.expiresAt} END`,
        },
      })
      .returning({ count: rateCounters.count, expiresAt: rateCounters.expiresAt });
    return row!;
  }

  /** The live count of `key`, or null when it has none (or its window passed). */
  async get(key: string, now: Date): Promise<Counted | null> {
    const [row] = await this.db
      .select({ count: rateCounters.count, expiresAt: rateCounters.expiresAt })
      .from(rateCounters)
      .where(eq(rateCounters.key, key));
    return row && row.expiresAt > now ? row : null;
  }

  async clear(key: string): Promise<void> {
    await this.db.delete(rateCounters).where(eq(rateCounters.key, key));
  }

  /** Drops counters whose window passed (a periodic job). */
  async purge(now: Date): Promise<number> {
    const rows = await this.db
      .delete(rateCounters)
      .where(and(lte(rateCounters.expiresAt, now)))
      .returning({ key: rateCounters.key });
    return rows.length;
  }
}
