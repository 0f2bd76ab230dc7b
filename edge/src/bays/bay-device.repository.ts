import { isNotNull } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { bays } from '../db/schema.js';

/** Bays that name a NinjaOne device (text in the replica; parsed by the caller). */
export function baysWithNinjaDevice(db: Drizzle): { id: string; name: string; device: string | null }[] {
  return db
    .select({ id: bays.id, name: bays.name, device: bays.ninjaone_device_id })
    .from(bays)
    .where(isNotNull(bays.ninjaone_device_id))
    .all();
}
