import { eq, lt } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { idempotencyKeys } from '../db/schema.js';

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

export function findIdempotencyKey(db: Drizzle, key: string): IdempotencyRecord | undefined {
  return db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).get();
}

export function storeIdempotencyKey(db: Drizzle, row: typeof idempotencyKeys.$inferInsert): void {
  db.insert(idempotencyKeys).values(row).onConflictDoNothing({ target: idempotencyKeys.key }).run();
}

export function deleteIdempotencyKeysBefore(db: Drizzle, at: number): void {
  db.delete(idempotencyKeys).where(lt(idempotencyKeys.created_at, at)).run();
}
