/** The staff alert kinds the edge and cloud raise, in the order the admin page lists them. */
export const STAFF_ALERT_KINDS = [
  { kind: 'door_forced_open', label: 'Door forced open' },
  { kind: 'door_held_open', label: 'Door held open' },
  { kind: 'door_unlock_failed', label: 'Door failed to unlock' },
  { kind: 'door_denied_burst', label: 'Many denied entries at a door' },
  { kind: 'emergency_mode', label: 'Emergency mode changed' },
  { kind: 'bay_pc_offline', label: 'Bay PC offline' },
  { kind: 'mqtt_broker_down', label: 'Venue message broker down' },
  { kind: 'edge_offline', label: 'Venue server (edge) offline' },
  { kind: 'integration_failing', label: 'Integration failing (HubSpot, email)' },
  { kind: 'walk_in_to_collect', label: 'Walk-in sold offline to collect' },
] as const;

export const STAFF_ALERT_ROLES = ['staff', 'admin'] as const;
export type StaffAlertRole = (typeof STAFF_ALERT_ROLES)[number];

/** Who is emailed an alert kind the facility has not chosen for: its staff. */
export const DEFAULT_ALERT_ROLES: readonly StaffAlertRole[] = ['staff'];

/** The roles emailed for `kind` under a facility's `settings.staff_alert_roles`. */
export function alertRolesOf(settings: Record<string, unknown>, kind: string): StaffAlertRole[] {
  const chosen = (settings.staff_alert_roles as Record<string, unknown> | undefined)?.[kind];
  const list = Array.isArray(chosen) ? chosen : DEFAULT_ALERT_ROLES;
  return STAFF_ALERT_ROLES.filter((r) => list.includes(r));
}
