import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import {
  bookings,
  changeCursors,
  changeLog,
  closures,
  edgeNodes,
  facilities,
  pricingRules,
  simulators,
  staffFacilities,
  waitlistEntries,
} from '../db/schema/index.js';

export type FacilityRow = typeof facilities.$inferSelect;
export type SimulatorRow = typeof simulators.$inferSelect;

const ACTIVE = ['pending', 'confirmed', 'checked_in'];

/**
 * Facilities and bays for the admin API. No rules here (docs/architecture.md, feature folders and layers).
 */
export class AdminCatalogRepository {
  constructor(private readonly db: Database) {}

  async listFacilities(ids: string[] | null): Promise<FacilityRow[]> {
    if (ids !== null && ids.length === 0) return [];
    return this.db
      .select()
      .from(facilities)
      .where(ids ? inArray(facilities.id, ids) : undefined)
      .orderBy(asc(facilities.name), asc(facilities.id));
  }

  async findFacility(id: string, tx: Executor = this.db): Promise<FacilityRow | undefined> {
    const [row] = await tx.select().from(facilities).where(eq(facilities.id, id)).limit(1);
    return row;
  }

  async insertFacility(tx: Executor, values: typeof facilities.$inferInsert): Promise<FacilityRow> {
    const [row] = await tx.insert(facilities).values(values).returning();
    return row!;
  }

  async updateFacility(tx: Executor, id: string, values: Partial<typeof facilities.$inferInsert>) {
    const [row] = await tx
      .update(facilities)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(facilities.id, id))
      .returning();
    return row;
  }

  /** What still hangs off a facility; it may be deleted only when all are zero. */
  async facilityDependents(id: string, tx: Executor = this.db) {
    const count = async (table: typeof simulators | typeof bookings | typeof edgeNodes) => {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(eq(table.facilityId, id));
      return Number(row?.n ?? 0);
    };
    return { bays: await count(simulators), bookings: await count(bookings), edges: await count(edgeNodes) };
  }

  /** Deletes an empty facility with its log, rules, closures and staff assignments. */
  async deleteFacility(tx: Executor, id: string): Promise<void> {
    await tx.delete(waitlistEntries).where(eq(waitlistEntries.facilityId, id));
    await tx.delete(pricingRules).where(eq(pricingRules.facilityId, id));
    await tx.delete(closures).where(eq(closures.facilityId, id));
    await tx.delete(staffFacilities).where(eq(staffFacilities.facilityId, id));
    await tx.delete(changeLog).where(eq(changeLog.facilityId, id));
    await tx.delete(changeCursors).where(eq(changeCursors.facilityId, id));
    await tx.delete(facilities).where(eq(facilities.id, id));
  }

  async listSimulators(facilityIds: string[] | null): Promise<SimulatorRow[]> {
    if (facilityIds !== null && facilityIds.length === 0) return [];
    return this.db
      .select()
      .from(simulators)
      .where(facilityIds ? inArray(simulators.facilityId, facilityIds) : undefined)
      .orderBy(asc(simulators.facilityId), asc(simulators.bayNumber), asc(simulators.id));
  }

  async findSimulator(id: string, tx: Executor = this.db): Promise<SimulatorRow | undefined> {
    const [row] = await tx.select().from(simulators).where(eq(simulators.id, id)).limit(1);
    return row;
  }

  async lockSimulator(tx: Executor, id: string): Promise<SimulatorRow | undefined> {
    const [row] = await tx.select().from(simulators).where(eq(simulators.id, id)).for('update').limit(1);
    return row;
  }

  async insertSimulator(tx: Executor, values: typeof simulators.$inferInsert): Promise<SimulatorRow> {
    const [row] = await tx.insert(simulators).values(values).returning();
    return row!;
  }

  async updateSimulator(tx: Executor, id: string, values: Partial<typeof simulators.$inferInsert>) {
    const [row] = await tx
      .update(simulators)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(simulators.id, id))
      .returning();
    return row!;
  }

  /**
   * Active bookings (not holds) on the bays that overlap `[from, to)`; `to` null = open-ended.
   * `simulatorIds` null = every bay of the facility.
   */
  async activeBookingsOverlapping(
    facilityId: string,
    simulatorIds: string[] | null,
    from: Date,
    to: Date | null,
    tx: Executor = this.db,
  ) {
    return tx
      .select({
        id: bookings.id,
        simulatorId: bookings.simulatorId,
        customerId: bookings.customerId,
        startTime: bookings.startTime,
        endTime: bookings.endTime,
        status: bookings.status,
        referenceCode: bookings.referenceCode,
      })
      .from(bookings)
      .where(
        and(
          eq(bookings.facilityId, facilityId),
          simulatorIds ? inArray(bookings.simulatorId, simulatorIds) : undefined,
          inArray(bookings.status, ACTIVE),
          or(isNull(bookings.holdExpiresAt), sql`${bookings.status} <> 'pending'`),
          gt(bookings.endTime, from),
          to ? lt(bookings.startTime, to) : undefined,
        ),
      )
      .orderBy(asc(bookings.startTime));
  }
}
