import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { enqueueStaffAlertEmails } from './staff-alert-roles.js';

/** Sends of one HubSpot item that count as HubSpot failing (its dead letter counts at once). */
export const HUBSPOT_ALERT_ATTEMPTS = 5;

/**
 * Records `integration_failing` staff alerts: HubSpot items dead-lettered or past
 * HUBSPOT_ALERT_ATTEMPTS sends (every facility: one HubSpot account serves them all), and customer
 * emails that failed for good (the message's facility). The incident is the oldest item still
 * failing, so every pass (on every instance) finds the same key until it is fixed or retried; a
 * failure after that is a new incident. Staff alert emails themselves are left out (no loop).
 */
export class IntegrationFailureMonitor {
  constructor(private readonly db: Database) {}

  /** One pass; returns how many new incidents it recorded. */
  async pass(now: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const at = now.toISOString();
      const result = (await tx.execute(sql`
        WITH hubspot AS (
          SELECT min(id) AS first_id, count(*)::int AS n FROM hubspot_sync_items
          WHERE status = 'failed' OR (status <> 'done' AND attempts >= ${HUBSPOT_ALERT_ATTEMPTS})
        ), email AS (
          SELECT facility_id, min(id) AS first_id, count(*)::int AS n FROM notification_messages
          WHERE status = 'failed' AND kind <> 'staff_alert' GROUP BY facility_id
        ), incidents AS (
          SELECT f.id AS facility_id, 'hubspot' AS integration, h.first_id, h.n
            FROM hubspot h CROSS JOIN facilities f WHERE h.n > 0
          UNION ALL
          SELECT e.facility_id, 'email', e.first_id, e.n FROM email e
        )
        INSERT INTO staff_alerts (facility_id, incident_key, kind, severity, subject, message, details, raised_at)
        SELECT i.facility_id, 'integration_failing:' || i.integration || ':' || i.facility_id || ':' || i.first_id,
          'integration_failing', 'warning', i.integration,
          CASE i.integration WHEN 'hubspot' THEN 'HubSpot sync is failing: ' || i.n || ' item(s) not synced'
            ELSE 'Email sending is failing: ' || i.n || ' message(s) failed (retry them in admin)' END,
          jsonb_build_object('integration', i.integration, 'first_id', i.first_id, 'count', i.n),
          ${at}::timestamptz
        FROM incidents i
        ON CONFLICT (incident_key) DO NOTHING
        RETURNING id`)) as unknown as { rows: { id: number }[] };
      await enqueueStaffAlertEmails(
        tx,
        result.rows.map((r) => Number(r.id)),
      );
      return result.rows.length;
    });
  }
}
