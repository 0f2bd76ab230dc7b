import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The edge's SQLite schema. Instants are integer epoch milliseconds (docs/decisions/001-time-and-zones.md);
 * money is integer cents; JSON columns hold the seed's JSONB values. Replica tables (facility … revocations)
 * are written only by the sync apply and by local walk-ins; the rest is the edge's own state.
 */

const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();
const bool = (name: string) => integer(name, { mode: 'boolean' });

export const facility = sqliteTable('facility', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  settings: json<Record<string, unknown>>('settings').notNull(),
  /** The cloud payment policy's walk-in fields; null until a cloud that sends them was replicated. */
  walk_in_payment: json<{ card: boolean; to_collect_cap_cents: number }>('walk_in_payment'),
});

export const bays = sqliteTable('bays', {
  id: text('id').primaryKey(),
  facility_id: text('facility_id').notNull(),
  name: text('name').notNull(),
  type: text('type'),
  bay_number: integer('bay_number'),
  hourly_rate_cents: integer('hourly_rate_cents').notNull(),
  status: text('status').notNull(),
  maintenance_until: integer('maintenance_until'),
  unifi_door_id: text('unifi_door_id'),
  ninjaone_device_id: text('ninjaone_device_id'),
});

export const availabilityRules = sqliteTable(
  'availability_rules',
  {
    id: text('id').primaryKey(),
    simulator_id: text('simulator_id').notNull(),
    day_of_week: integer('day_of_week').notNull(),
    start_time: text('start_time').notNull(),
    end_time: text('end_time').notNull(),
    slot_duration: integer('slot_duration').notNull(),
    buffer_time: integer('buffer_time').notNull(),
    max_advance_days: integer('max_advance_days').notNull(),
    min_advance_hours: real('min_advance_hours').notNull(),
  },
  (t) => [index('availability_rules_bay').on(t.simulator_id)],
);

export const pricingRules = sqliteTable('pricing_rules', {
  id: text('id').primaryKey(),
  simulator_id: text('simulator_id'),
  name: text('name').notNull(),
  type: text('type').notNull(),
  conditions: json<Record<string, unknown>>('conditions').notNull(),
  modifier_type: text('modifier_type').notNull(),
  price_modifier: real('price_modifier').notNull(),
  priority: integer('priority').notNull(),
  active: bool('active').notNull(),
  valid_from: integer('valid_from'),
  valid_until: integer('valid_until'),
});

export const closures = sqliteTable(
  'closures',
  {
    id: text('id').primaryKey(),
    facility_id: text('facility_id').notNull(),
    simulator_id: text('simulator_id'),
    kind: text('kind').notNull(),
    start_time: integer('start_time').notNull(),
    end_time: integer('end_time').notNull(),
    reason: text('reason'),
  },
  (t) => [index('closures_time').on(t.start_time, t.end_time)],
);

/**
 * Bookings from the cloud and local walk-ins. `origin = 'edge'` rows were created here; once the
 * cloud has the booking the feed overwrites the row (same id) and `origin` becomes 'cloud'.
 * `reconciliation` is the walk-in's sync outcome, shown to the customer and to staff.
 */
export const bookings = sqliteTable(
  'bookings',
  {
    id: text('id').primaryKey(),
    facility_id: text('facility_id').notNull(),
    simulator_id: text('simulator_id').notNull(),
    customer_id: text('customer_id'),
    customer_name: text('customer_name'),
    customer_email: text('customer_email'),
    customer_phone: text('customer_phone'),
    reference_code: text('reference_code').notNull(),
    start_time: integer('start_time').notNull(),
    end_time: integer('end_time').notNull(),
    duration: integer('duration').notNull(),
    status: text('status').notNull(),
    price_cents: integer('price_cents').notNull(),
    payment_status: text('payment_status'),
    payment_method: text('payment_method'),
    access_code: text('access_code'),
    check_in_time: integer('check_in_time'),
    cancelled_at: integer('cancelled_at'),
    cancellation_reason: text('cancellation_reason'),
    origin: text('origin').notNull(),
    provisional: bool('provisional').notNull().default(false),
    reconciliation: text('reconciliation').notNull().default('none'),
    reconciliation_note: text('reconciliation_note'),
    original_simulator_id: text('original_simulator_id'),
    /** What the bay sets up at `session.prepare`: the booking's own, else the customer's stored ones. */
    preferences: json<Record<string, unknown>>('preferences'),
    created_at: integer('created_at').notNull(),
    updated_at: integer('updated_at').notNull(),
  },
  (t) => [
    index('bookings_bay_time').on(t.simulator_id, t.start_time),
    index('bookings_time').on(t.start_time),
    // Not unique: a code sold offline here and one issued by the cloud may collide, and a unique
    // index would then refuse the feed's row and stall the sync behind it.
    index('bookings_reference').on(t.reference_code),
    index('bookings_reconciliation').on(t.reconciliation),
  ],
);

export const customers = sqliteTable('customers', {
  id: text('id').primaryKey(),
  email: text('email'),
  first_name: text('first_name'),
  last_name: text('last_name'),
  phone: text('phone'),
});

/**
 * A cancelled booking's QR token must stop opening doors although its signature stays valid
 * (docs/decisions/007-offline-door-credentials.md). Kept until `valid_until`, after which the token is
 * refused as expired.
 */
export const revocations = sqliteTable(
  'revocations',
  {
    id: text('id').primaryKey(),
    booking_id: text('booking_id').notNull(),
    revoked_at: integer('revoked_at').notNull(),
    valid_until: integer('valid_until').notNull(),
    reason: text('reason'),
  },
  (t) => [index('revocations_booking').on(t.booking_id)],
);

/** One row (id = 1): where the replica stands in the facility's change feed. */
export const syncState = sqliteTable('sync_state', {
  id: integer('id').primaryKey(),
  facility_id: text('facility_id'),
  cursor: integer('cursor').notNull(),
  cloud_head: integer('cloud_head').notNull(),
  last_successful_pull: integer('last_successful_pull'),
  snapshot_loaded_at: integer('snapshot_loaded_at'),
  changes_applied: integer('changes_applied').notNull().default(0),
});

/**
 * Events for the cloud (docs/decisions/005-edge-outbox.md), written in the same transaction as the local
 * effect.
 * A row leaves only when the cloud acknowledged it; a rejected one stays with its reason.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    event_id: text('event_id').notNull(),
    type: text('type').notNull(),
    payload: json<Record<string, unknown>>('payload').notNull(),
    occurred_at: integer('occurred_at').notNull(),
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    last_error: text('last_error'),
    rejected_reason: text('rejected_reason'),
    rejected_at: integer('rejected_at'),
  },
  (t) => [uniqueIndex('outbox_event').on(t.event_id), index('outbox_state').on(t.state, t.seq)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    kind: text('kind').notNull(),
    actor: text('actor'),
    subject: text('subject'),
    decision: text('decision'),
    reason: text('reason'),
    details: json<Record<string, unknown>>('details'),
  },
  (t) => [index('audit_at').on(t.at)],
);

/**
 * MQTT devices (bay PCs, door scanners), each with its own login (docs/decisions/008-mqtt-topics-and-qos.md).
 */
export const devices = sqliteTable('devices', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  target_id: text('target_id').notNull(),
  username: text('username').notNull().unique(),
  secret_hash: text('secret_hash').notNull(),
  created_at: integer('created_at').notNull(),
  revoked_at: integer('revoked_at'),
});

export const staffUsers = sqliteTable('staff_users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  display_name: text('display_name').notNull(),
  role: text('role').notNull(),
  password_hash: text('password_hash').notNull(),
  created_at: integer('created_at').notNull(),
  disabled: bool('disabled').notNull().default(false),
});

export const staffSessions = sqliteTable('staff_sessions', {
  token_hash: text('token_hash').primaryKey(),
  staff_id: text('staff_id').notNull(),
  created_at: integer('created_at').notNull(),
  expires_at: integer('expires_at').notNull(),
});

export const kioskDevices = sqliteTable('kiosk_devices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  key_hash: text('key_hash').notNull().unique(),
  created_at: integer('created_at').notNull(),
  revoked_at: integer('revoked_at'),
});

/** Idempotency-Key replay store for mutating LAN calls (docs/decisions/003-idempotency-keys.md). */
export const idempotencyKeys = sqliteTable('idempotency_keys', {
  key: text('key').primaryKey(),
  request_hash: text('request_hash').notNull(),
  status_code: integer('status_code').notNull(),
  response: json<unknown>('response').notNull(),
  created_at: integer('created_at').notNull().default(sql`(unixepoch() * 1000)`),
});

// --- doors and bays ---

/**
 * Latest presence and retained state per MQTT device target (a bay PC's bay, a scanner's door),
 * so staff see a dropped bay PC as offline and an edge restart keeps what the devices last said.
 */
export const deviceStatus = sqliteTable('device_status', {
  /** `${kind}:${target_id}`, e.g. `bay:<simulator_id>`. */
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  target_id: text('target_id').notNull(),
  presence: text('presence').notNull(),
  presence_at: integer('presence_at'),
  state: json<Record<string, unknown>>('state'),
  state_at: integer('state_at'),
});

/**
 * Things staff must look at (bay PC offline, door forced open, NinjaOne health…). One open alert per
 * `dedupe_key`: a repeat bumps `occurrences` instead of flooding the console.
 */
export const staffAlerts = sqliteTable(
  'staff_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dedupe_key: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    subject: text('subject'),
    message: text('message').notNull(),
    details: json<Record<string, unknown>>('details'),
    raised_at: integer('raised_at').notNull(),
    last_seen_at: integer('last_seen_at').notNull(),
    occurrences: integer('occurrences').notNull().default(1),
    resolved_at: integer('resolved_at'),
    acknowledged_at: integer('acknowledged_at'),
    acknowledged_by: text('acknowledged_by'),
  },
  (t) => [
    index('staff_alerts_open').on(t.dedupe_key, t.resolved_at),
    index('staff_alerts_raised').on(t.raised_at),
  ],
);

/**
 * Each session step of a booking (prepare, start, warn, end, no_show), recorded once: the key
 * (booking, step) is what makes a step run once across restarts and clock jumps.
 */
export const sessionSteps = sqliteTable(
  'session_steps',
  {
    booking_id: text('booking_id').notNull(),
    step: text('step').notNull(),
    simulator_id: text('simulator_id').notNull(),
    due_at: integer('due_at').notNull(),
    decided_at: integer('decided_at').notNull(),
    /** pending (MQTT command not yet handed to the broker) | sent | skipped. */
    outcome: text('outcome').notNull(),
    command_id: text('command_id'),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.booking_id, t.step] }), index('session_steps_outcome').on(t.outcome)],
);

/** NinjaOne script runs waiting for (or done by) NinjaOne, retried while it is down or rate-limited. */
export const ninjaJobs = sqliteTable(
  'ninja_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job_key: text('job_key').notNull().unique(),
    device_id: integer('device_id').notNull(),
    script: text('script').notNull(),
    parameters: json<Record<string, unknown>>('parameters').notNull(),
    /** pending | done | failed (refused for good: kept, with the reason, for staff). */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    next_attempt_at: integer('next_attempt_at').notNull(),
    last_error: text('last_error'),
    created_at: integer('created_at').notNull(),
    finished_at: integer('finished_at'),
  },
  (t) => [index('ninja_jobs_due').on(t.state, t.next_attempt_at)],
);

/**
 * A booking's UniFi visitor: what the replica wants (`want_*`, or `wanted = 'absent'` once cancelled)
 * and what UniFi was last told (`have_*`). A row whose two halves differ is queued work, retried with
 * backoff while UniFi is unreachable.
 */
export const unifiVisitors = sqliteTable(
  'unifi_visitors',
  {
    booking_id: text('booking_id').primaryKey(),
    wanted: text('wanted').notNull(),
    want_start: integer('want_start').notNull(),
    want_end: integer('want_end').notNull(),
    want_doors: json<string[]>('want_doors').notNull(),
    want_pin: text('want_pin'),
    first_name: text('first_name').notNull(),
    last_name: text('last_name').notNull(),
    visitor_id: text('visitor_id'),
    have_start: integer('have_start'),
    have_end: integer('have_end'),
    have_doors: json<string[]>('have_doors'),
    have_pin: text('have_pin'),
    /** pending | synced | failed */
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    next_attempt_at: integer('next_attempt_at').notNull(),
    last_error: text('last_error'),
    updated_at: integer('updated_at').notNull(),
  },
  (t) => [index('unifi_visitors_due').on(t.state, t.next_attempt_at)],
);

/** Small named positions (e.g. the newest UniFi log entry already turned into alerts). */
export const controlCursors = sqliteTable('control_cursors', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

/**
 * Walk-ins sold offline at a venue that charges walk-ins by card: the price is owed ("to collect")
 * until staff settle it, in cash or on the reader, once the cloud is back (src/payments/).
 * `status`: owed | settled; `method`: cash | card.
 */
export const walkInDues = sqliteTable(
  'walk_in_dues',
  {
    booking_id: text('booking_id').primaryKey(),
    amount_cents: integer('amount_cents').notNull(),
    sold_by: text('sold_by').notNull(),
    created_at: integer('created_at').notNull(),
    status: text('status').notNull().default('owed'),
    method: text('method'),
    payment_id: text('payment_id'),
    settled_by: text('settled_by'),
    settled_at: integer('settled_at'),
  },
  (t) => [index('walk_in_dues_status').on(t.status, t.created_at)],
);
