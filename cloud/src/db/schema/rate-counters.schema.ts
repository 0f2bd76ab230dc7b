import { integer, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * Counters every instance shares: request rate limits (per client and route) and wrong guesses per
 * booking code. A row counts within its window and starts again at 1 once `expires_at` passes.
 */
export const rateCounters = pgTable('rate_counters', {
  key: varchar('key', { length: 300 }).primaryKey(),
  count: integer('count').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});
