/** Permission scopes of a UniFi Access API token (the ones our edge uses). */
export const UNIFI_SCOPES = [
  'view:space',
  'edit:space',
  'view:visitor',
  'edit:visitor',
  'view:credential',
  'edit:credential',
  'view:system_log',
  'view:webhook',
  'edit:webhook',
] as const;
export type UnifiScope = (typeof UNIFI_SCOPES)[number];

export interface UnifiToken {
  token: string;
  /** Shown as the actor of an unlock that names no actor. */
  name: string;
  scopes: readonly string[];
  expired?: boolean;
}

export type RelayStatus = 'lock' | 'unlock';
/** `null` when the door has no position sensor. */
export type PositionStatus = 'open' | 'close' | null;

export interface UnifiDoor {
  id: string;
  name: string;
  full_name: string;
  floor_id: string;
  type: 'door';
  is_bind_hub: boolean;
  door_lock_relay_status: RelayStatus;
  door_position_status: PositionStatus;
}

export type LockRuleType = 'keep_lock' | 'keep_unlock' | 'custom' | 'reset' | 'lock_early' | 'lock_now';

export interface LockRule {
  type: 'schedule' | 'keep_lock' | 'keep_unlock' | 'custom' | 'lock_early';
  ended_time: number;
}

export interface VisitorResource {
  id: string;
  type: 'door' | 'door_group';
  name: string;
}

export const VISIT_REASONS = ['Interview', 'Business', 'Cooperation', 'Others'] as const;
export const VISITOR_STATUSES = [
  'UPCOMING',
  'VISITED',
  'VISITING',
  'CANCELLED',
  'NO_VISIT',
  'ACTIVE',
] as const;
export type VisitorStatus = (typeof VISITOR_STATUSES)[number];

export interface StoredVisitor {
  id: string;
  first_name: string;
  last_name: string;
  remarks: string;
  mobile_phone: string;
  email: string;
  visitor_company: string;
  visit_reason: string;
  /** Unix seconds. */
  start_time: number;
  end_time: number;
  resources: VisitorResource[];
  week_schedule: unknown;
  pin_code: string | null;
  cancelled: boolean;
  /** Set when the visitor was admitted once (status VISITING, then VISITED). */
  admitted: boolean;
}

export interface LogActor {
  id: string;
  type: string;
  display_name: string;
  alternate_id: string;
  alternate_name: string;
}

export interface SystemLogEntry {
  '@timestamp': string;
  _id: string;
  _source: {
    actor: LogActor;
    event: {
      type: string;
      display_message: string;
      result: 'ACCESS' | 'BLOCKED' | 'INFO';
      published: number;
      reason: string;
    };
    authentication: { credential_provider: string; issuer: string };
    target: Array<{
      type: string;
      id: string;
      display_name: string;
      alternate_id: string;
      alternate_name: string;
    }>;
  };
  tag: string;
}

export type LogTopic =
  | 'door_openings'
  | 'critical'
  | 'device_events'
  | 'admin_activity'
  | 'visitor'
  | 'updates';

export interface UnlockCall {
  door_id: string;
  actor_id: string | null;
  actor_name: string;
  token_name: string;
  extra: unknown;
  /** Epoch milliseconds. */
  at: number;
  result: 'unlocked' | 'refused';
  reason: string;
}

export interface PinAttemptResult {
  result: 'ACCESS' | 'BLOCKED';
  reason: string;
  visitor_id: string | null;
}

export interface WebhookEndpoint {
  id: string;
  name: string;
  endpoint: string;
  events: string[];
  headers: Record<string, string>;
  secret: string;
}

export interface WebhookDelivery {
  endpoint_id: string;
  event: string;
  status: number | null;
  error: string | null;
  at: number;
}

/** A non-SUCCESS answer: HTTP status plus the envelope code and message. */
export class UnifiApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
