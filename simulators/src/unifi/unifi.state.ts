import { createHash, randomInt, randomUUID } from 'node:crypto';
import {
  type LockRule,
  type LockRuleType,
  type LogActor,
  type LogTopic,
  type PinAttemptResult,
  type PositionStatus,
  type StoredVisitor,
  type SystemLogEntry,
  UnifiApiError,
  type UnifiDoor,
  type UnlockCall,
  type VisitorStatus,
} from './unifi.types.js';

export const BUILDING_GROUP_ID = 'a0000000-0000-4000-8000-000000000001';
const FLOOR_ID = 'f0000000-0000-4000-8000-000000000001';

export interface SeedDoor {
  id: string;
  name: string;
  is_bind_hub?: boolean;
  has_position_sensor?: boolean;
}

/** A small venue: the entrance, two bay rooms, and a staff door that is not wired to a hub. */
export const DEFAULT_DOORS: SeedDoor[] = [
  { id: 'd0000000-0000-4000-8000-000000000001', name: 'Front Door' },
  { id: 'd0000000-0000-4000-8000-000000000002', name: 'Bay 1 Door' },
  { id: 'd0000000-0000-4000-8000-000000000003', name: 'Bay 2 Door' },
  {
    id: 'd0000000-0000-4000-8000-000000000004',
    name: 'Staff Door',
    is_bind_hub: false,
    has_position_sensor: false,
  },
];

export type EmitEvent = (event: string, data: Record<string, unknown>) => void;

export const notFound = (what: string, id: string) =>
  new UnifiApiError(404, 'CODE_RESOURCE_NOT_FOUND', `${what} ${id} was not found.`);
export const invalid = (message: string) => new UnifiApiError(400, 'CODE_PARAMS_INVALID', message);

/** In-memory UniFi Access controller: doors, emergency modes, visitors with PINs, logs. */
export class UnifiState {
  readonly doors = new Map<string, UnifiDoor>();
  readonly lockRules = new Map<string, LockRule>();
  readonly visitors = new Map<string, StoredVisitor>();
  readonly logs: Array<{ entry: SystemLogEntry; topics: LogTopic[] }> = [];
  readonly unlocks: UnlockCall[] = [];
  emergency = { lockdown: false, evacuation: false };

  constructor(
    seed: SeedDoor[],
    readonly now: () => number,
    private readonly emit: EmitEvent,
  ) {
    for (const door of seed) {
      this.doors.set(door.id, {
        id: door.id,
        name: door.name,
        full_name: `Venue - 1F - ${door.name}`,
        floor_id: FLOOR_ID,
        type: 'door',
        is_bind_hub: door.is_bind_hub ?? true,
        door_lock_relay_status: 'lock',
        door_position_status: door.has_position_sensor === false ? null : 'close',
      });
    }
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  door(id: string): UnifiDoor {
    const door = this.doors.get(id);
    if (!door) throw notFound('Door', id);
    return door;
  }

  visitor(id: string): StoredVisitor {
    const visitor = this.visitors.get(id);
    if (!visitor) throw notFound('Visitor', id);
    return visitor;
  }

  visitorStatus(visitor: StoredVisitor, atSeconds = this.nowSeconds()): VisitorStatus {
    if (visitor.cancelled) return 'CANCELLED';
    if (atSeconds < visitor.start_time) return 'UPCOMING';
    if (atSeconds <= visitor.end_time) return visitor.admitted ? 'VISITING' : 'ACTIVE';
    return visitor.admitted ? 'VISITED' : 'NO_VISIT';
  }

  /** Remote unlock; lockdown refuses it, an unwired door cannot be opened remotely. */
  unlock(
    doorId: string,
    actor: { id: string | null; name: string },
    tokenName: string,
    extra: unknown,
  ): void {
    const door = this.door(doorId);
    const record = (result: UnlockCall['result'], reason: string) =>
      this.unlocks.push({
        door_id: doorId,
        actor_id: actor.id,
        actor_name: actor.name,
        token_name: tokenName,
        extra,
        at: this.now(),
        result,
        reason,
      });
    if (!door.is_bind_hub) {
      record('refused', 'not_bound_to_hub');
      throw new UnifiApiError(
        400,
        'CODE_DEVICE_API_NOT_SUPPORTED',
        `Door ${door.name} is not bound to a hub.`,
      );
    }
    if (this.emergency.lockdown) {
      record('refused', 'lockdown');
      // The controller refuses with an error code in a 200 envelope: clients must read `code`.
      throw new UnifiApiError(200, 'CODE_OPERATION_FORBIDDEN', 'The door is in lockdown.');
    }
    record('unlocked', 'remote');
    door.door_lock_relay_status = 'unlock';
    const logActor = { id: actor.id ?? '', type: 'user', name: actor.name };
    this.log(
      ['door_openings'],
      logActor,
      door,
      'access.door.unlock',
      'ACCESS',
      'Access Granted (Remote)',
      'REMOTE_THROUGH_UAH',
    );
    this.emit('access.door.unlock', {
      location: { id: door.id, name: door.name, location_type: 'door' },
      actor: logActor,
      object: { authentication_type: 'API', result: 'ACCESS' },
      extra: extra ?? {},
    });
    if (!this.emergency.evacuation) door.door_lock_relay_status = 'lock';
  }

  /** A PIN typed at a door's reader: admitted only inside a visitor's window and for its resources. */
  enterPin(doorId: string, pin: string, atSeconds = this.nowSeconds()): PinAttemptResult {
    const door = this.door(doorId);
    const visitor = [...this.visitors.values()].find((v) => v.pin_code === pin) ?? null;
    let reason = 'ok';
    if (this.emergency.lockdown) reason = 'lockdown';
    else if (!visitor) reason = 'unknown_pin';
    else if (visitor.cancelled) reason = 'visitor_cancelled';
    else if (atSeconds < visitor.start_time) reason = 'before_window';
    else if (atSeconds > visitor.end_time) reason = 'after_window';
    else if (!this.visitorMayOpen(visitor, door.id)) reason = 'door_not_assigned';
    const result = reason === 'ok' ? 'ACCESS' : 'BLOCKED';
    if (result === 'ACCESS' && visitor) visitor.admitted = true;
    const actor = visitor
      ? { id: visitor.id, type: 'visitor', name: `${visitor.first_name} ${visitor.last_name}` }
      : { id: '', type: 'user', name: 'N/A' };
    const message = result === 'ACCESS' ? 'Access Granted (PIN)' : `Access Denied / ${reason} (PIN)`;
    this.log(
      ['door_openings'],
      actor,
      door,
      'access.door.unlock',
      result,
      message,
      'PIN_CODE',
      reason === 'ok' ? '' : reason,
    );
    this.emit('access.door.unlock', {
      location: { id: door.id, name: door.name, location_type: 'door' },
      actor,
      object: { authentication_type: 'PIN_CODE', result },
    });
    return { result, reason, visitor_id: visitor?.id ?? null };
  }

  private visitorMayOpen(visitor: StoredVisitor, doorId: string): boolean {
    return visitor.resources.some(
      (r) =>
        (r.type === 'door' && r.id === doorId) || (r.type === 'door_group' && r.id === BUILDING_GROUP_ID),
    );
  }

  setEmergency(next: { lockdown?: boolean; evacuation?: boolean }): void {
    this.emergency = {
      lockdown: next.lockdown ?? this.emergency.lockdown,
      evacuation: next.evacuation ?? this.emergency.evacuation,
    };
    // Lockdown wins when both are set: a locked door is the safe default for an intruder alert.
    for (const door of this.doors.values()) {
      if (this.emergency.lockdown) door.door_lock_relay_status = 'lock';
      else if (this.emergency.evacuation) door.door_lock_relay_status = 'unlock';
      else door.door_lock_relay_status = this.ruleRelay(door.id);
    }
    this.log(
      ['critical', 'admin_activity'],
      SYSTEM_ACTOR,
      null,
      'access.emergency.status',
      'INFO',
      `Emergency: ${JSON.stringify(this.emergency)}`,
      'API',
    );
    this.emit('access.device.emergency_status', { ...this.emergency });
  }

  setLockRule(doorId: string, type: LockRuleType, intervalMinutes: number | undefined): void {
    const door = this.door(doorId);
    const now = this.nowSeconds();
    const forever = now + 100 * 365 * 24 * 3600;
    if (type === 'custom') {
      if (intervalMinutes === undefined || intervalMinutes <= 0) {
        throw invalid('interval: required (minutes > 0) when type is custom');
      }
      this.lockRules.set(doorId, { type: 'custom', ended_time: now + intervalMinutes * 60 });
    } else if (type === 'keep_lock' || type === 'keep_unlock') {
      this.lockRules.set(doorId, { type, ended_time: forever });
    } else if (type === 'lock_early') {
      this.lockRules.set(doorId, { type: 'lock_early', ended_time: now });
    } else {
      this.lockRules.delete(doorId);
    }
    if (!this.emergency.lockdown && !this.emergency.evacuation)
      door.door_lock_relay_status = this.ruleRelay(doorId);
    this.emit(
      type === 'keep_unlock' || type === 'custom'
        ? 'access.temporary_unlock.start'
        : 'access.temporary_unlock.end',
      {
        location: { id: door.id, name: door.name, location_type: 'door' },
        rule: type,
      },
    );
  }

  lockRule(doorId: string): LockRule {
    this.door(doorId);
    const rule = this.lockRules.get(doorId);
    if (rule && rule.ended_time >= this.nowSeconds()) return rule;
    return { type: 'schedule', ended_time: 0 };
  }

  private ruleRelay(doorId: string): 'lock' | 'unlock' {
    const rule = this.lockRules.get(doorId);
    const active = rule && rule.ended_time >= this.nowSeconds();
    return active && (rule.type === 'keep_unlock' || rule.type === 'custom') ? 'unlock' : 'lock';
  }

  /** A door opened without an unlock (forced) or left open too long (held): log + DPS webhook. */
  doorPosition(doorId: string, event: 'forced_open' | 'held_open' | 'close'): void {
    const door = this.door(doorId);
    if (door.door_position_status === null) throw invalid(`door ${door.name} has no position sensor`);
    const status: PositionStatus = event === 'close' ? 'close' : 'open';
    door.door_position_status = status;
    if (event !== 'close') {
      const message = event === 'forced_open' ? 'Door Forced Open' : 'Door Held Open';
      this.log(['critical'], SYSTEM_ACTOR, door, `access.door.${event}`, 'BLOCKED', message, 'DPS');
    }
    this.emit('access.device.dps_status', {
      location: { id: door.id, name: door.name, location_type: 'door' },
      object: { status, reason: event },
    });
  }

  generatePin(length: number): string {
    const used = new Set([...this.visitors.values()].map((v) => v.pin_code));
    for (;;) {
      const pin = Array.from({ length }, () => String(randomInt(10))).join('');
      if (!used.has(pin)) return pin;
    }
  }

  assignPin(visitorId: string, pin: string, length: number): void {
    const visitor = this.visitor(visitorId);
    if (!/^\d+$/.test(pin) || pin.length !== length) {
      throw new UnifiApiError(
        400,
        'CODE_CREDS_PIN_CODE_CREDS_LENGTH_INVALID',
        `pin_code: must be ${length} digits`,
      );
    }
    const owner = [...this.visitors.values()].find((v) => v.pin_code === pin && v.id !== visitorId);
    if (owner)
      throw new UnifiApiError(400, 'CODE_CREDS_PIN_CODE_CREDS_ALREADY_EXIST', 'The PIN code already exists.');
    visitor.pin_code = pin;
  }

  log(
    topics: LogTopic[],
    actor: { id: string; type: string; name: string },
    door: UnifiDoor | null,
    type: string,
    result: 'ACCESS' | 'BLOCKED' | 'INFO',
    message: string,
    provider: string,
    reason = '',
  ): void {
    const published = this.now();
    const logActor: LogActor = {
      id: actor.id,
      type: actor.type,
      display_name: actor.name,
      alternate_id: '',
      alternate_name: '',
    };
    const entry: SystemLogEntry = {
      '@timestamp': new Date(published).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      _id: randomUUID(),
      _source: {
        actor: logActor,
        event: { type, display_message: message, result, published, reason },
        authentication: { credential_provider: provider, issuer: '' },
        target: door
          ? [{ type: 'door', id: door.id, display_name: door.name, alternate_id: '', alternate_name: '' }]
          : [],
      },
      tag: 'access',
    };
    this.logs.push({ entry, topics });
  }
}

const SYSTEM_ACTOR = { id: '', type: 'system', name: 'UniFi Access' };

/** The controller never returns a PIN, only a hash token of it. */
export function pinToken(pin: string): string {
  return createHash('sha256').update(pin).digest('hex');
}
