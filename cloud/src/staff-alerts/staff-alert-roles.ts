import { DEFAULT_ALERT_ROLES, STAFF_ALERT_ROLES } from '@clubos/shared/notifications';
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';

/** Who receives an alert kind the facility has not chosen for: its staff. */
export const DEFAULT_STAFF_ALERT_ROLES = DEFAULT_ALERT_ROLES;
const ROLES: ReadonlySet<string> = new Set(STAFF_ALERT_ROLES);
const KIND = /^[a-z][a-z0-9_]{0,127}$/;

/**
 * Why `settings.staff_alert_roles` cannot be stored, or undefined when it can (or is absent): an
 * object from alert kind to the roles emailed, e.g. `{ "door_forced_open": ["staff", "admin"] }`;
 * `[]` silences a kind.
 */
export function staffAlertRolesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'settings.staff_alert_roles must be an object from alert kind to a list of roles';
  for (const [kind, roles] of Object.entries(value)) {
    if (!KIND.test(kind)) return `settings.staff_alert_roles: "${kind}" is not an alert kind`;
    if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !ROLES.has(r)))
      return `settings.staff_alert_roles.${kind} must be a list of roles from staff, admin`;
  }
  return undefined;
}

/**
 * One `staff_alert` outbox message per (alert, person) for the people of the roles the facility
 * chose for the alert's kind, who have an email and an active account: staff of that facility,
 * admins. Run in the transaction that records the alerts; the unique (alert, user) makes a replay
 * write nothing.
 */
export async function enqueueStaffAlertEmails(tx: Executor, alertIds: number[]): Promise<void> {
  if (alertIds.length === 0) return;
  await tx.execute(sql`
    INSERT INTO notification_messages (facility_id, kind, version, staff_alert_id, user_id)
    SELECT a.facility_id, 'staff_alert', 1, a.id, u.id
    FROM staff_alerts a
    JOIN facilities f ON f.id = a.facility_id
    JOIN users u ON u.disabled_at IS NULL AND u.email <> ''
      AND (u.role = 'admin' OR (u.role = 'staff' AND EXISTS (
        SELECT 1 FROM staff_facilities sf WHERE sf.user_id = u.id AND sf.facility_id = a.facility_id)))
    WHERE a.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(alertIds)}::jsonb)::bigint)
      AND u.role IN (SELECT jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(f.settings->'staff_alert_roles'->a.kind) = 'array'
          THEN f.settings->'staff_alert_roles'->a.kind ELSE ${JSON.stringify(DEFAULT_STAFF_ALERT_ROLES)}::jsonb END))
    ON CONFLICT DO NOTHING`);
}
