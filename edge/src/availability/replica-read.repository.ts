import type {
  AvailabilityRule,
  Bay,
  BayStatus,
  Closure,
  ClosureKind,
  Facility,
  PricingRule,
} from '@clubos/shared/model';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { availabilityRules, bays, closures, facility, pricingRules } from '../db/schema.js';

/** Reads the replica into the shared domain's shapes, for the availability and pricing engines. */

export function readFacility(db: Drizzle): Facility | null {
  const row = db.select().from(facility).get();
  if (row === undefined) return null;
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    settings: { tax_rate_bps: 0, ...row.settings },
  };
}

type BayRecord = typeof bays.$inferSelect;

function toBay(row: BayRecord): Bay & { unifi_door_id: string | null } {
  return {
    id: row.id,
    facility_id: row.facility_id,
    name: row.name,
    type: row.type,
    bay_number: row.bay_number,
    hourly_rate_cents: row.hourly_rate_cents,
    status: row.status as BayStatus,
    maintenance_until: row.maintenance_until,
    unifi_door_id: row.unifi_door_id,
  };
}

export function readBays(db: Drizzle): Bay[] {
  return db.select().from(bays).orderBy(bays.bay_number, bays.name).all().map(toBay);
}

export function readBay(db: Drizzle, id: string): Bay | null {
  const row = db.select().from(bays).where(eq(bays.id, id)).get();
  return row === undefined ? null : toBay(row);
}

export function readAvailabilityRules(db: Drizzle, simulatorId?: string): AvailabilityRule[] {
  const query = db.select().from(availabilityRules);
  return simulatorId === undefined
    ? query.all()
    : query.where(eq(availabilityRules.simulator_id, simulatorId)).all();
}

export function readPricingRules(db: Drizzle): PricingRule[] {
  return db
    .select()
    .from(pricingRules)
    .all()
    .map((r) => ({
      ...r,
      type: r.type as PricingRule['type'],
      modifier_type: r.modifier_type as PricingRule['modifier_type'],
      conditions: r.conditions as PricingRule['conditions'],
    }));
}

export function readClosures(db: Drizzle, from: number, to: number): Closure[] {
  return db
    .select()
    .from(closures)
    .where(and(lt(closures.start_time, to), gt(closures.end_time, from)))
    .all()
    .map((r) => ({
      id: r.id,
      facility_id: r.facility_id,
      simulator_id: r.simulator_id,
      kind: r.kind as ClosureKind,
      start: r.start_time,
      end: r.end_time,
      reason: r.reason,
    }));
}
