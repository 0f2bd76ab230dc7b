import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { kioskDevices, staffSessions, staffUsers } from '../db/schema.js';

export type StaffUserRow = typeof staffUsers.$inferSelect;
export type KioskDeviceRow = typeof kioskDevices.$inferSelect;

export function staffCount(db: Drizzle): number {
  return db.select({ id: staffUsers.id }).from(staffUsers).all().length;
}

export function insertStaff(db: Drizzle, row: typeof staffUsers.$inferInsert): void {
  db.insert(staffUsers).values(row).onConflictDoNothing({ target: staffUsers.username }).run();
}

export function staffByUsername(db: Drizzle, username: string): StaffUserRow | undefined {
  return db.select().from(staffUsers).where(eq(staffUsers.username, username)).get();
}

export function insertSession(db: Drizzle, row: typeof staffSessions.$inferInsert): void {
  db.insert(staffSessions).values(row).run();
}

export function staffBySession(db: Drizzle, hash: string, now: number): StaffUserRow | undefined {
  const row = db
    .select({ user: staffUsers })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staff_id))
    .where(
      and(
        eq(staffSessions.token_hash, hash),
        gt(staffSessions.expires_at, now),
        eq(staffUsers.disabled, false),
      ),
    )
    .get();
  return row?.user;
}

export function deleteSession(db: Drizzle, hash: string): void {
  db.delete(staffSessions).where(eq(staffSessions.token_hash, hash)).run();
}

export function deleteExpiredSessions(db: Drizzle, now: number): void {
  db.delete(staffSessions).where(lt(staffSessions.expires_at, now)).run();
}

export function insertKiosk(db: Drizzle, row: typeof kioskDevices.$inferInsert): void {
  db.insert(kioskDevices).values(row).run();
}

export function activeKioskByKeyHash(db: Drizzle, hash: string): KioskDeviceRow | undefined {
  return db
    .select()
    .from(kioskDevices)
    .where(and(eq(kioskDevices.key_hash, hash), isNull(kioskDevices.revoked_at)))
    .get();
}

export function revokeKiosk(db: Drizzle, id: string, at: number): boolean {
  const result = db
    .update(kioskDevices)
    .set({ revoked_at: at })
    .where(and(eq(kioskDevices.id, id), isNull(kioskDevices.revoked_at)))
    .run();
  return result.changes > 0;
}

export function listKiosks(db: Drizzle): KioskDeviceRow[] {
  return db.select().from(kioskDevices).all();
}
