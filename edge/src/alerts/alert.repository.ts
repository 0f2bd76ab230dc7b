import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { staffAlerts } from '../db/schema.js';

export type AlertRecord = typeof staffAlerts.$inferSelect;
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface NewAlert {
  dedupe_key: string;
  kind: string;
  severity: AlertSeverity;
  subject: string | null;
  message: string;
  details?: Record<string, unknown>;
}

export function openAlert(db: Drizzle, dedupeKey: string): AlertRecord | undefined {
  return db
    .select()
    .from(staffAlerts)
    .where(and(eq(staffAlerts.dedupe_key, dedupeKey), isNull(staffAlerts.resolved_at)))
    .get();
}

/** Call inside a transaction: a repeat of an open alert bumps it instead of adding a row. */
export function raiseAlert(db: Drizzle, alert: NewAlert, at: number): { id: number; created: boolean } {
  const open = openAlert(db, alert.dedupe_key);
  if (open !== undefined) {
    db.update(staffAlerts)
      .set({ last_seen_at: at, occurrences: sql`${staffAlerts.occurrences} + 1`, message: alert.message })
      .where(eq(staffAlerts.id, open.id))
      .run();
    return { id: open.id, created: false };
  }
  const row = db
    .insert(staffAlerts)
    .values({ ...alert, details: alert.details ?? null, raised_at: at, last_seen_at: at })
    .returning({ id: staffAlerts.id })
    .get();
  return { id: row.id, created: true };
}

export function resolveAlert(db: Drizzle, dedupeKey: string, at: number): boolean {
  const result = db
    .update(staffAlerts)
    .set({ resolved_at: at })
    .where(and(eq(staffAlerts.dedupe_key, dedupeKey), isNull(staffAlerts.resolved_at)))
    .run();
  return result.changes > 0;
}

export function acknowledgeAlert(db: Drizzle, id: number, by: string, at: number): AlertRecord | undefined {
  db.update(staffAlerts)
    .set({ acknowledged_at: at, acknowledged_by: by })
    .where(and(eq(staffAlerts.id, id), isNull(staffAlerts.acknowledged_at)))
    .run();
  return db.select().from(staffAlerts).where(eq(staffAlerts.id, id)).get();
}

export function listAlerts(db: Drizzle, options: { openOnly: boolean; limit: number }): AlertRecord[] {
  const query = db.select().from(staffAlerts);
  const filtered = options.openOnly ? query.where(isNull(staffAlerts.resolved_at)) : query;
  return filtered.orderBy(desc(staffAlerts.id)).limit(options.limit).all();
}
