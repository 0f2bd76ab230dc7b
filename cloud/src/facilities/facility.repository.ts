import type {
  AvailabilityRule,
  Bay,
  BayStatus,
  BusyInterval,
  Closure,
  ClosureKind,
  Facility,
  FacilitySettings,
  PricingRule,
  PricingRuleType,
} from '@clubos/shared/model';
import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import {
  availabilityRules,
  bookings,
  closures,
  facilities,
  pricingRules,
  simulators,
} from '../db/schema/index.js';

export type SimulatorRow = typeof simulators.$inferSelect;

const ACTIVE = ['pending', 'confirmed', 'checked_in'];

export function toFacility(row: typeof facilities.$inferSelect): Facility {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    settings: { tax_rate_bps: 0, ...(row.settings as Partial<FacilitySettings>) } as FacilitySettings,
  };
}

export function toBay(row: SimulatorRow): Bay {
  return {
    id: row.id,
    facility_id: row.facilityId,
    name: row.name,
    type: row.type,
    bay_number: row.bayNumber,
    hourly_rate_cents: row.hourlyRateCents,
    status: row.status as BayStatus,
    maintenance_until: row.maintenanceUntil?.getTime() ?? null,
  };
}

function toRule(row: typeof availabilityRules.$inferSelect): AvailabilityRule {
  return {
    id: row.id,
    simulator_id: row.simulatorId,
    day_of_week: row.dayOfWeek,
    start_time: row.startTime,
    end_time: row.endTime,
    slot_duration: row.slotDuration,
    buffer_time: row.bufferTime,
    max_advance_days: row.maxAdvanceDays,
    min_advance_hours: row.minAdvanceHours,
  };
}

function toPricingRule(row: typeof pricingRules.$inferSelect): PricingRule {
  return {
    id: row.id,
    simulator_id: row.simulatorId,
    name: row.name,
    type: row.type as PricingRuleType,
    conditions: row.conditions as PricingRule['conditions'],
    modifier_type: row.modifierType as PricingRule['modifier_type'],
    price_modifier: Number(row.priceModifier),
    priority: row.priority,
    active: row.active,
    valid_from: row.validFrom?.getTime() ?? null,
    valid_until: row.validUntil?.getTime() ?? null,
  };
}

/**
 * Reads what the availability and pricing engines need (facility, bays, rules, closures, busy
 * time) and the inserts used by fixtures and the demo seed. Admin CRUD builds on these.
 */
export class FacilityRepository {
  constructor(private readonly db: Database) {}

  async findFacility(id: string, tx: Executor = this.db): Promise<Facility | undefined> {
    const [row] = await tx.select().from(facilities).where(eq(facilities.id, id)).limit(1);
    return row ? toFacility(row) : undefined;
  }

  async findBay(
    id: string,
    tx: Executor = this.db,
  ): Promise<(Bay & { unifi_door_id: string | null }) | undefined> {
    const [row] = await tx.select().from(simulators).where(eq(simulators.id, id)).limit(1);
    return row ? { ...toBay(row), unifi_door_id: row.unifiDoorId } : undefined;
  }

  async baysOf(facilityId: string, tx: Executor = this.db): Promise<Bay[]> {
    const rows = await tx
      .select()
      .from(simulators)
      .where(eq(simulators.facilityId, facilityId))
      .orderBy(asc(simulators.bayNumber), asc(simulators.id));
    return rows.map(toBay);
  }

  async baysByIds(
    ids: string[],
    tx: Executor = this.db,
  ): Promise<(Bay & { unifi_door_id: string | null })[]> {
    if (ids.length === 0) return [];
    const rows = await tx.select().from(simulators).where(inArray(simulators.id, ids));
    return rows.map((row) => ({ ...toBay(row), unifi_door_id: row.unifiDoorId }));
  }

  async availabilityRulesOf(bayIds: string[], tx: Executor = this.db): Promise<AvailabilityRule[]> {
    if (bayIds.length === 0) return [];
    const rows = await tx
      .select()
      .from(availabilityRules)
      .where(inArray(availabilityRules.simulatorId, bayIds));
    return rows.map(toRule);
  }

  async pricingRulesOf(facilityId: string, tx: Executor = this.db): Promise<PricingRule[]> {
    const rows = await tx
      .select()
      .from(pricingRules)
      .where(and(eq(pricingRules.facilityId, facilityId), eq(pricingRules.active, true)));
    return rows.map(toPricingRule);
  }

  async closuresOf(facilityId: string, from: Date, to: Date, tx: Executor = this.db): Promise<Closure[]> {
    const rows = await tx
      .select()
      .from(closures)
      .where(and(eq(closures.facilityId, facilityId), lt(closures.startsAt, to), gt(closures.endsAt, from)));
    return rows.map((row) => ({
      id: row.id,
      facility_id: row.facilityId,
      simulator_id: row.simulatorId,
      kind: row.kind as ClosureKind,
      start: row.startsAt.getTime(),
      end: row.endsAt.getTime(),
      reason: row.reason,
    }));
  }

  /**
   * Active bookings and unexpired holds overlapping `[from, to)` on the given bays. An expired hold
   * no longer blocks anything (it is purged before the next insert on its bay).
   */
  async busyOf(bayIds: string[], from: Date, to: Date, tx: Executor = this.db): Promise<BusyInterval[]> {
    if (bayIds.length === 0) return [];
    const rows = await tx
      .select({
        id: bookings.id,
        simulatorId: bookings.simulatorId,
        start: bookings.startTime,
        end: bookings.endTime,
        holdExpiresAt: bookings.holdExpiresAt,
      })
      .from(bookings)
      .where(
        and(
          inArray(bookings.simulatorId, bayIds),
          inArray(bookings.status, ACTIVE),
          lt(bookings.startTime, to),
          gt(bookings.blockedUntil, from),
          or(isNull(bookings.holdExpiresAt), gt(bookings.holdExpiresAt, sql`now()`)),
        ),
      );
    return rows.map((r) => ({
      id: r.id,
      simulator_id: r.simulatorId,
      kind: r.holdExpiresAt ? 'hold' : 'booking',
      start: r.start.getTime(),
      end: r.end.getTime(),
    }));
  }

  // Inserts used by fixtures, the demo seed and (later) the admin API.

  async insertFacility(values: typeof facilities.$inferInsert, tx: Executor = this.db) {
    const [row] = await tx.insert(facilities).values(values).returning();
    return row!;
  }

  async insertBay(values: typeof simulators.$inferInsert, tx: Executor = this.db) {
    const [row] = await tx.insert(simulators).values(values).returning();
    return row!;
  }

  async insertAvailabilityRules(values: (typeof availabilityRules.$inferInsert)[], tx: Executor = this.db) {
    if (values.length === 0) return;
    await tx.insert(availabilityRules).values(values);
  }

  async insertPricingRules(values: (typeof pricingRules.$inferInsert)[], tx: Executor = this.db) {
    if (values.length === 0) return;
    await tx.insert(pricingRules).values(values);
  }

  async insertClosure(values: typeof closures.$inferInsert, tx: Executor = this.db) {
    const [row] = await tx.insert(closures).values(values).returning();
    return row!;
  }

  async updateBay(id: string, values: Partial<typeof simulators.$inferInsert>, tx: Executor = this.db) {
    const [row] = await tx
      .update(simulators)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(simulators.id, id))
      .returning();
    return row;
  }
}
