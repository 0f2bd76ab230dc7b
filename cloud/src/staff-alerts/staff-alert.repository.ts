import { type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { enqueueStaffAlertEmails } from './staff-alert-roles.js';

export interface NewStaffAlert {
  facilityId: string;
  incidentKey: string;
  kind: string;
  severity: string;
  subject: string | null;
  message: string;
  details: Record<string, unknown>;
  raisedAt: Date;
}

export interface StaffAlertRow {
  id: number;
  kind: string;
  severity: string;
  subject: string | null;
  message: string;
  raised_at: Date | string;
  created_at: Date | string;
}

async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Owns `staff_alerts`. */
export class StaffAlertRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records an incident once, with its emails to the chosen staff (in the caller's transaction);
   * false when its key was already recorded.
   */
  async record(tx: Executor, alert: NewStaffAlert): Promise<boolean> {
    const inserted = await rows<{ id: number }>(
      tx,
      sql`INSERT INTO staff_alerts (facility_id, incident_key, kind, severity, subject, message, details, raised_at)
        VALUES (${alert.facilityId}::uuid, ${alert.incidentKey}, ${alert.kind}, ${alert.severity}, ${alert.subject},
          ${alert.message}, ${JSON.stringify(alert.details)}::jsonb, ${alert.raisedAt.toISOString()}::timestamptz)
        ON CONFLICT (incident_key) DO NOTHING RETURNING id`,
    );
    await enqueueStaffAlertEmails(
      tx,
      inserted.map((r) => Number(r.id)),
    );
    return inserted.length > 0;
  }

  list(facilityId: string, limit: number): Promise<StaffAlertRow[]> {
    return rows(
      this.db,
      sql`SELECT id, kind, severity, subject, message, raised_at, created_at FROM staff_alerts
        WHERE facility_id = ${facilityId}::uuid ORDER BY raised_at DESC, id DESC LIMIT ${limit}`,
    );
  }
}
