import type { EdgeDatabase } from '../db/database.js';

/**
 * A cheap fingerprint of everything the console shows (audit log, bookings, alerts, devices, outbox,
 * session steps, link state). The events stream compares it every tick and tells the console to
 * refresh only when something changed, so an idle console costs one small query a second.
 */
export function consoleFingerprint(database: EdgeDatabase, online: boolean | null): string {
  const row = database.sqlite
    .prepare(
      `SELECT
        (SELECT COALESCE(MAX(id), 0) FROM audit_log) AS audit,
        (SELECT COALESCE(MAX(updated_at), 0) || ':' || COUNT(*) FROM bookings) AS bookings,
        (SELECT COUNT(*) || ':' || COALESCE(MAX(last_seen_at), 0) || ':' || COALESCE(MAX(resolved_at), 0)
           || ':' || COALESCE(MAX(acknowledged_at), 0) FROM staff_alerts) AS alerts,
        (SELECT COALESCE(MAX(presence_at), 0) || ':' || COALESCE(MAX(state_at), 0) FROM device_status) AS devices,
        (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS outbox,
        (SELECT COUNT(*) FROM session_steps) AS steps`,
    )
    .get() as Record<string, string | number>;
  return `${Object.values(row).join('|')}|${online}`;
}
