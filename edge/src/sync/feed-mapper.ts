import type { ChangeRow, Snapshot } from '@clubos/shared/sync';
import type { ReplicaChange, ReplicaSnapshot } from './change-apply.service.js';
import type { ReplicaEntity } from './replica.repository.js';

/**
 * Feed data (the seed table's row in snake_case, ISO instants, decimal money) → replica rows (epoch
 * ms, integer cents). The only place that knows both; the apply and the repositories see rows only.
 * Tolerant where the seed leaves room (`price` or `price_cents`, ISO or epoch ms); a row missing what
 * the edge cannot do without (a booking's times) throws, and the batch is retried, never half-applied.
 */

type Wire = Record<string, unknown>;

const ms = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const t = Date.parse(String(v));
  if (Number.isNaN(t)) throw new TypeError(`not an instant: ${String(v)}`);
  return t;
};
const req = (v: unknown, field: string): number => {
  const t = ms(v);
  if (t === null) throw new TypeError(`${field} is required`);
  return t;
};
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const cents = (w: Wire, centsKey: string, decimalKey: string): number => {
  if (typeof w[centsKey] === 'number') return w[centsKey] as number;
  const d = w[decimalKey];
  return d === null || d === undefined ? 0 : Math.round(Number(d) * 100);
};

/** The facility's walk-in payment fields; anything malformed (or an older cloud) → null, the default. */
const walkInPayment = (v: unknown): { card: boolean; to_collect_cap_cents: number } | null => {
  if (v === null || typeof v !== 'object') return null;
  const { card, to_collect_cap_cents: cap } = v as Wire;
  if (typeof card !== 'boolean' || !Number.isInteger(cap) || (cap as number) < 0) return null;
  return { card, to_collect_cap_cents: cap as number };
};

const MAPPERS: Record<ReplicaEntity, (w: Wire) => { id: string } & Record<string, unknown>> = {
  facility: (w) => ({
    id: String(w.id),
    name: String(w.name ?? ''),
    timezone: String(w.timezone ?? 'America/Toronto'),
    settings: (w.settings as Record<string, unknown>) ?? {},
    walk_in_payment: walkInPayment(w.walk_in_payment),
  }),
  bay: (w) => ({
    id: String(w.id),
    facility_id: String(w.facility_id),
    name: String(w.name ?? ''),
    type: str(w.type),
    bay_number: typeof w.bay_number === 'number' ? w.bay_number : null,
    hourly_rate_cents: cents(w, 'hourly_rate_cents', 'hourly_rate'),
    status: String(w.status ?? 'active'),
    maintenance_until: ms(w.maintenance_until),
    unifi_door_id: str(w.unifi_door_id),
    ninjaone_device_id: str(w.ninjaone_device_id),
  }),
  availability_rule: (w) => ({
    id: String(w.id),
    simulator_id: String(w.simulator_id),
    day_of_week: Number(w.day_of_week),
    start_time: String(w.start_time).slice(0, 5),
    end_time: String(w.end_time).slice(0, 5),
    slot_duration: Number(w.slot_duration ?? 60),
    buffer_time: Number(w.buffer_time ?? 0),
    max_advance_days: Number(w.max_advance_days ?? 30),
    min_advance_hours: Number(w.min_advance_hours ?? 1),
  }),
  pricing_rule: (w) => ({
    id: String(w.id),
    simulator_id: str(w.simulator_id),
    name: String(w.name ?? ''),
    type: String(w.type ?? 'time_based'),
    conditions: (w.conditions as Record<string, unknown>) ?? {},
    modifier_type: String(w.modifier_type ?? 'percentage'),
    price_modifier: Number(w.price_modifier ?? 0),
    priority: Number(w.priority ?? 0),
    active: w.active !== false,
    valid_from: ms(w.valid_from),
    valid_until: ms(w.valid_until),
  }),
  closure: (w) => ({
    id: String(w.id),
    facility_id: String(w.facility_id),
    simulator_id: str(w.simulator_id),
    kind: String(w.kind ?? 'closure'),
    start_time: req(w.start_time ?? w.start, 'closure.start_time'),
    end_time: req(w.end_time ?? w.end, 'closure.end_time'),
    reason: str(w.reason),
  }),
  booking: (w) => {
    const customer = (w.customer ?? {}) as Wire;
    const name = [customer.first_name, customer.last_name]
      .filter((p) => typeof p === 'string' && p !== '')
      .join(' ');
    const start = req(w.start_time, 'booking.start_time');
    const end = req(w.end_time, 'booking.end_time');
    const now = Date.now();
    return {
      id: String(w.id),
      facility_id: String(w.facility_id),
      simulator_id: String(w.simulator_id),
      customer_id: str(w.customer_id),
      customer_name: name === '' ? null : name,
      customer_email: str(customer.email),
      customer_phone: str(customer.phone),
      reference_code: String(w.reference_code ?? String(w.id).slice(0, 8).toUpperCase()),
      start_time: start,
      end_time: end,
      duration: Number(w.duration ?? Math.round((end - start) / 60_000)),
      status: String(w.status ?? 'pending'),
      price_cents: cents(w, 'price_cents', 'price'),
      payment_status: str(w.payment_status),
      payment_method: str(w.payment_method),
      access_code: str(w.access_code),
      check_in_time: ms(w.check_in_time),
      cancelled_at: ms(w.cancelled_at),
      cancellation_reason: str(w.cancellation_reason),
      // Optional in the feed (older clouds omit it): the bay's set-up for `session.prepare`.
      preferences:
        w.preferences !== null && typeof w.preferences === 'object' && !Array.isArray(w.preferences)
          ? w.preferences
          : null,
      origin: 'cloud',
      provisional: false,
      created_at: ms(w.created_at) ?? now,
      updated_at: ms(w.updated_at) ?? now,
    };
  },
  revocation: (w) => ({
    id: String(w.id),
    booking_id: String(w.booking_id),
    revoked_at: req(w.revoked_at, 'revocation.revoked_at'),
    valid_until: req(w.valid_until, 'revocation.valid_until'),
    reason: str(w.reason),
  }),
  customer: (w) => ({
    id: String(w.id),
    email: str(w.email),
    first_name: str(w.first_name),
    last_name: str(w.last_name),
    phone: str(w.phone),
  }),
};

export function toReplicaRow(entity: ReplicaEntity, wire: Wire): { id: string } & Record<string, unknown> {
  return MAPPERS[entity](wire);
}

/** A change-feed row (`@clubos/shared/sync` ChangeRow) → a replica change. */
export function toReplicaChange(change: ChangeRow): ReplicaChange {
  return {
    seq: change.seq,
    entity: change.entity,
    op: change.op,
    id: change.entity_id,
    row:
      change.op === 'delete' || change.data === null
        ? null
        : toReplicaRow(change.entity, { ...change.data, id: change.entity_id }),
  };
}

export function toReplicaSnapshot(snapshot: Snapshot): ReplicaSnapshot {
  return {
    facilityId: snapshot.facility_id,
    seq: snapshot.seq,
    rows: snapshot.items.map((item) => ({
      entity: item.entity,
      row: toReplicaRow(item.entity, { ...item.data, id: item.entity_id }),
    })),
  };
}
