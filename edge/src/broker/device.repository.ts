import { DEVICE_KINDS, type DeviceKind } from '@clubos/shared/api/edge-lan';
import { and, eq, isNull } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { deviceStatus, devices } from '../db/schema.js';

export type DeviceRecord = typeof devices.$inferSelect;
export type DeviceStatusRecord = typeof deviceStatus.$inferSelect;

/** MQTT device kinds (the LAN API's registration schema lists them). */
export { DEVICE_KINDS, type DeviceKind };

export function activeDeviceByUsername(db: Drizzle, username: string): DeviceRecord | undefined {
  return db
    .select()
    .from(devices)
    .where(and(eq(devices.username, username), isNull(devices.revoked_at)))
    .get();
}

export function insertDevice(db: Drizzle, row: typeof devices.$inferInsert): void {
  db.insert(devices).values(row).run();
}

export function listDevices(db: Drizzle): DeviceRecord[] {
  return db.select().from(devices).all();
}

export function revokeDevice(db: Drizzle, id: string, at: number): boolean {
  return (
    db
      .update(devices)
      .set({ revoked_at: at })
      .where(and(eq(devices.id, id), isNull(devices.revoked_at)))
      .run().changes > 0
  );
}

const keyOf = (kind: string, targetId: string) => `${kind}:${targetId}`;

export function readDeviceStatus(
  db: Drizzle,
  kind: string,
  targetId: string,
): DeviceStatusRecord | undefined {
  return db
    .select()
    .from(deviceStatus)
    .where(eq(deviceStatus.key, keyOf(kind, targetId)))
    .get();
}

export function listDeviceStatus(db: Drizzle): DeviceStatusRecord[] {
  return db.select().from(deviceStatus).all();
}

/** Returns the presence before this write (null when the target was never seen). */
export function writePresence(
  db: Drizzle,
  kind: string,
  targetId: string,
  presence: string,
  at: number,
): string | null {
  const before = readDeviceStatus(db, kind, targetId);
  db.insert(deviceStatus)
    .values({ key: keyOf(kind, targetId), kind, target_id: targetId, presence, presence_at: at })
    .onConflictDoUpdate({ target: deviceStatus.key, set: { presence, presence_at: at } })
    .run();
  return before?.presence ?? null;
}

export function writeDeviceState(
  db: Drizzle,
  kind: string,
  targetId: string,
  state: Record<string, unknown>,
  at: number,
): void {
  db.insert(deviceStatus)
    .values({
      key: keyOf(kind, targetId),
      kind,
      target_id: targetId,
      presence: 'unknown',
      state,
      state_at: at,
    })
    .onConflictDoUpdate({ target: deviceStatus.key, set: { state, state_at: at } })
    .run();
}
