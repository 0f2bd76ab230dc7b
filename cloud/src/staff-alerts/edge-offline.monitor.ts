import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { enqueueStaffAlertEmails } from './staff-alert-roles.js';

/** Minutes without a sync before an edge is reported offline, unless the facility sets its own. */
export const DEFAULT_EDGE_OFFLINE_MINUTES = 10;

/** Why `settings.edge_offline_alert_minutes` cannot be stored, or undefined when it can (or is absent). */
export function edgeOfflineMinutesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1440
    ? undefined
    : 'settings.edge_offline_alert_minutes must be whole minutes from 1 to 1440';
}

/**
 * Finds edges silent for longer than their facility's `settings.edge_offline_alert_minutes` (from
 * their last sync or heartbeat, `edge_nodes.last_seen_at`) and records one staff alert per silence:
 * the incident key carries the last-seen time, so every pass (on every instance) finds the same
 * key, and the next silence after a reconnect is a new incident.
 */
export class EdgeOfflineMonitor {
  constructor(private readonly db: Database) {}

  /** One pass; returns how many new incidents it recorded. */
  async pass(now: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const result = (await tx.execute(sql`
      INSERT INTO staff_alerts (facility_id, incident_key, kind, severity, subject, message, details, raised_at)
      SELECT e.facility_id,
        'edge_offline:' || e.id || ':' || to_char(e.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'edge_offline', 'critical', e.name,
        'Edge "' || e.name || '" has not synced since ' ||
          to_char(e.last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC',
        jsonb_build_object('edge_id', e.id, 'last_seen_at', e.last_seen_at),
        ${now.toISOString()}::timestamptz
      FROM edge_nodes e JOIN facilities f ON f.id = e.facility_id
      WHERE e.revoked_at IS NULL AND e.last_seen_at IS NOT NULL
        AND e.last_seen_at < ${now.toISOString()}::timestamptz - make_interval(mins =>
          CASE WHEN f.settings->>'edge_offline_alert_minutes' ~ '^[0-9]{1,4}$'
            THEN (f.settings->>'edge_offline_alert_minutes')::int ELSE ${DEFAULT_EDGE_OFFLINE_MINUTES} END)
      ON CONFLICT (incident_key) DO NOTHING
      RETURNING id`)) as unknown as { rows: { id: number }[] };
      // The emails go with the alert: a pass that records it also writes them, or neither happens.
      await enqueueStaffAlertEmails(
        tx,
        result.rows.map((r) => Number(r.id)),
      );
      return result.rows.length;
    });
  }
}
