import { desc, gte } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { auditLog } from '../db/schema.js';

export type AuditEntry = typeof auditLog.$inferInsert;
export type AuditRecord = typeof auditLog.$inferSelect;

/** Append-only: call inside the transaction of the decision it records. */
export function appendAudit(db: Drizzle, entry: AuditEntry): void {
  db.insert(auditLog).values(entry).run();
}

export function auditSince(db: Drizzle, from: number, limit: number): AuditRecord[] {
  return db
    .select()
    .from(auditLog)
    .where(gte(auditLog.at, from))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all();
}
