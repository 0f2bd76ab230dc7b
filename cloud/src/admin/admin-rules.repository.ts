import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { availabilityRules, closures, pricingRules, simulators } from '../db/schema/index.js';

export type AvailabilityRuleRow = typeof availabilityRules.$inferSelect & { facilityId: string };
export type PricingRuleRow = typeof pricingRules.$inferSelect;
export type ClosureRow = typeof closures.$inferSelect;

const ruleColumns = {
  id: availabilityRules.id,
  simulatorId: availabilityRules.simulatorId,
  dayOfWeek: availabilityRules.dayOfWeek,
  startTime: availabilityRules.startTime,
  endTime: availabilityRules.endTime,
  slotDuration: availabilityRules.slotDuration,
  bufferTime: availabilityRules.bufferTime,
  maxAdvanceDays: availabilityRules.maxAdvanceDays,
  minAdvanceHours: availabilityRules.minAdvanceHours,
  createdAt: availabilityRules.createdAt,
  facilityId: simulators.facilityId,
};

/**
 * Availability rules, pricing rules and closures for the admin API. No rules here (docs/architecture.md,
 * feature folders and layers).
 */
export class AdminRulesRepository {
  constructor(private readonly db: Database) {}

  // Availability rules (a rule belongs to a bay; its facility comes from the bay).

  async listAvailabilityRules(filter: { facilityIds: string[] | null; simulatorId?: string }) {
    if (filter.facilityIds !== null && filter.facilityIds.length === 0) return [];
    return this.db
      .select(ruleColumns)
      .from(availabilityRules)
      .innerJoin(simulators, eq(simulators.id, availabilityRules.simulatorId))
      .where(
        and(
          filter.facilityIds ? inArray(simulators.facilityId, filter.facilityIds) : undefined,
          filter.simulatorId ? eq(availabilityRules.simulatorId, filter.simulatorId) : undefined,
        ),
      )
      .orderBy(asc(simulators.bayNumber), asc(availabilityRules.dayOfWeek), asc(availabilityRules.startTime));
  }

  async findAvailabilityRule(id: string, tx: Executor = this.db): Promise<AvailabilityRuleRow | undefined> {
    const [row] = await tx
      .select(ruleColumns)
      .from(availabilityRules)
      .innerJoin(simulators, eq(simulators.id, availabilityRules.simulatorId))
      .where(eq(availabilityRules.id, id))
      .limit(1);
    return row;
  }

  async insertAvailabilityRule(tx: Executor, values: typeof availabilityRules.$inferInsert) {
    const [row] = await tx.insert(availabilityRules).values(values).returning();
    return row!;
  }

  async updateAvailabilityRule(
    tx: Executor,
    id: string,
    values: Partial<typeof availabilityRules.$inferInsert>,
  ) {
    const [row] = await tx
      .update(availabilityRules)
      .set(values)
      .where(eq(availabilityRules.id, id))
      .returning();
    return row!;
  }

  async deleteAvailabilityRule(tx: Executor, id: string): Promise<void> {
    await tx.delete(availabilityRules).where(eq(availabilityRules.id, id));
  }

  // Pricing rules.

  async listPricingRules(facilityIds: string[] | null): Promise<PricingRuleRow[]> {
    if (facilityIds !== null && facilityIds.length === 0) return [];
    return this.db
      .select()
      .from(pricingRules)
      .where(facilityIds ? inArray(pricingRules.facilityId, facilityIds) : undefined)
      .orderBy(asc(pricingRules.facilityId), asc(pricingRules.priority), asc(pricingRules.id));
  }

  async findPricingRule(id: string, tx: Executor = this.db): Promise<PricingRuleRow | undefined> {
    const [row] = await tx.select().from(pricingRules).where(eq(pricingRules.id, id)).limit(1);
    return row;
  }

  async insertPricingRule(tx: Executor, values: typeof pricingRules.$inferInsert): Promise<PricingRuleRow> {
    const [row] = await tx.insert(pricingRules).values(values).returning();
    return row!;
  }

  async updatePricingRule(tx: Executor, id: string, values: Partial<typeof pricingRules.$inferInsert>) {
    const [row] = await tx.update(pricingRules).set(values).where(eq(pricingRules.id, id)).returning();
    return row!;
  }

  async deletePricingRule(tx: Executor, id: string): Promise<void> {
    await tx.delete(pricingRules).where(eq(pricingRules.id, id));
  }

  // Closures and maintenance blocks.

  async listClosures(filter: {
    facilityIds: string[] | null;
    from?: Date;
    to?: Date;
  }): Promise<ClosureRow[]> {
    if (filter.facilityIds !== null && filter.facilityIds.length === 0) return [];
    return this.db
      .select()
      .from(closures)
      .where(
        and(
          filter.facilityIds ? inArray(closures.facilityId, filter.facilityIds) : undefined,
          filter.to ? lt(closures.startsAt, filter.to) : undefined,
          filter.from ? gt(closures.endsAt, filter.from) : undefined,
        ),
      )
      .orderBy(asc(closures.startsAt), asc(closures.id));
  }

  async findClosure(id: string, tx: Executor = this.db): Promise<ClosureRow | undefined> {
    const [row] = await tx.select().from(closures).where(eq(closures.id, id)).limit(1);
    return row;
  }

  async insertClosure(tx: Executor, values: typeof closures.$inferInsert): Promise<ClosureRow> {
    const [row] = await tx.insert(closures).values(values).returning();
    return row!;
  }

  async updateClosure(tx: Executor, id: string, values: Partial<typeof closures.$inferInsert>) {
    const [row] = await tx.update(closures).set(values).where(eq(closures.id, id)).returning();
    return row!;
  }

  async deleteClosure(tx: Executor, id: string): Promise<void> {
    await tx.delete(closures).where(eq(closures.id, id));
  }
}
