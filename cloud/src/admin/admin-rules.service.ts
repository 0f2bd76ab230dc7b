import type {
  AdminAvailabilityRule,
  AdminPricingRule,
  AvailabilityRulesQuery,
  ClosuresQuery,
  CreateAvailabilityRuleBody,
  CreateClosureBody,
  CreatePricingRuleBody,
  UpdateAvailabilityRuleBody,
  UpdateClosureBody,
  UpdatePricingRuleBody,
} from '@clubos/shared/api/admin.schemas';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import { DomainInputError, type PricingRule } from '@clubos/shared/model';
import { validatePricingRule } from '@clubos/shared/pricing';
import { parseInstant, parseOptionalInstant } from '@clubos/shared/time';
import { assertFacilityAccess, type Principal } from '../auth/index.js';
import { dateOrNull } from '../common/dates.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database, Transaction } from '../db/client.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { snakeRow } from '../edge-feed/edge-feed.service.js';
import {
  toAdminAvailabilityRule,
  toAdminClosure,
  toAdminPricingRule,
  toAffectedBooking,
} from './admin.mapper.js';
import { facilityScope } from './admin-access.js';
import type { AdminCatalogRepository } from './admin-catalog.repository.js';
import type { AdminRulesRepository, ClosureRow, PricingRuleRow } from './admin-rules.repository.js';

/**
 * Opening hours, pricing rules and closures. Each write appends to the facility's change log in
 * its transaction (the edge prices and admits from its replica of these rows).
 */
export class AdminRulesService {
  constructor(
    private readonly db: Database,
    private readonly rules: AdminRulesRepository,
    private readonly catalog: AdminCatalogRepository,
    private readonly changeLog: ChangeLogRepository,
  ) {}

  /** The bay and its facility, after the caller's access check; 404 naming `field` when missing. */
  private async bayOf(principal: Principal | null, simulatorId: string, field = 'simulator_id') {
    const bay = await this.catalog.findSimulator(simulatorId);
    if (!bay) throw new DomainError('NOT_FOUND', `simulator ${simulatorId} was not found`, { field });
    assertFacilityAccess(principal, bay.facilityId);
    return bay;
  }

  // ── Availability rules ──────────────────────────────────────────────────────────────────────

  async listAvailabilityRules(principal: Principal | null, query: AvailabilityRulesQuery) {
    if (query.simulator_id) {
      const bay = await this.bayOf(principal, query.simulator_id);
      if (query.facility_id && query.facility_id !== bay.facilityId) {
        throw badRequest('simulator_id', `simulator ${bay.id} is not in facility ${query.facility_id}`);
      }
      const rows = await this.rules.listAvailabilityRules({
        facilityIds: [bay.facilityId],
        simulatorId: bay.id,
      });
      return rows.map(toAdminAvailabilityRule);
    }
    const rows = await this.rules.listAvailabilityRules({
      facilityIds: facilityScope(principal, query.facility_id),
    });
    return rows.map(toAdminAvailabilityRule);
  }

  async createAvailabilityRule(
    principal: Principal | null,
    body: CreateAvailabilityRuleBody,
    recorder?: IdempotencyRecorder,
  ) {
    const bay = await this.bayOf(principal, body.simulator_id);
    return this.db.transaction(async (tx) => {
      const row = await this.rules.insertAvailabilityRule(tx, {
        simulatorId: bay.id,
        dayOfWeek: body.day_of_week,
        startTime: body.start_time,
        endTime: body.end_time,
        ...ruleOptions(body),
      });
      const created = toAdminAvailabilityRule({ ...row, facilityId: bay.facilityId });
      await recorder?.record(tx, created);
      await this.changeLog.append(tx, bay.facilityId, 'availability_rule', 'upsert', row.id, snakeRow(row));
      return created;
    });
  }

  private async loadAvailabilityRule(principal: Principal | null, id: string) {
    const rule = await this.rules.findAvailabilityRule(id);
    if (!rule) throw notFound('availability rule', id);
    assertFacilityAccess(principal, rule.facilityId);
    return rule;
  }

  async updateAvailabilityRule(
    principal: Principal | null,
    id: string,
    body: UpdateAvailabilityRuleBody,
  ): Promise<AdminAvailabilityRule> {
    const rule = await this.loadAvailabilityRule(principal, id);
    return this.db.transaction(async (tx) => {
      const row = await this.rules.updateAvailabilityRule(tx, id, {
        ...(body.day_of_week !== undefined ? { dayOfWeek: body.day_of_week } : {}),
        ...(body.start_time !== undefined ? { startTime: body.start_time } : {}),
        ...(body.end_time !== undefined ? { endTime: body.end_time } : {}),
        ...ruleOptions(body),
      });
      await this.changeLog.append(tx, rule.facilityId, 'availability_rule', 'upsert', id, snakeRow(row));
      return toAdminAvailabilityRule({ ...row, facilityId: rule.facilityId });
    });
  }

  async deleteAvailabilityRule(principal: Principal | null, id: string): Promise<void> {
    const rule = await this.loadAvailabilityRule(principal, id);
    await this.db.transaction(async (tx) => {
      await this.rules.deleteAvailabilityRule(tx, id);
      await this.changeLog.append(tx, rule.facilityId, 'availability_rule', 'delete', id, null);
    });
  }

  // ── Pricing rules ───────────────────────────────────────────────────────────────────────────

  async listPricingRules(principal: Principal | null, facilityId?: string): Promise<AdminPricingRule[]> {
    return (await this.rules.listPricingRules(facilityScope(principal, facilityId))).map(toAdminPricingRule);
  }

  async createPricingRule(
    principal: Principal | null,
    body: CreatePricingRuleBody,
    recorder?: IdempotencyRecorder,
  ): Promise<AdminPricingRule> {
    assertFacilityAccess(principal, body.facility_id);
    await this.assertFacility(body.facility_id);
    if (body.simulator_id) await this.assertBayIn(body.simulator_id, body.facility_id);
    const values = pricingValues(body);
    checkPricingRule({ id: 'new', ...values, createdAt: new Date(), facilityId: body.facility_id });
    return this.db.transaction(async (tx) => {
      const row = await this.rules.insertPricingRule(tx, {
        facilityId: body.facility_id,
        ...values,
        conditions: body.conditions,
      });
      const created = toAdminPricingRule(row);
      await recorder?.record(tx, created);
      await this.changeLog.append(tx, row.facilityId, 'pricing_rule', 'upsert', row.id, snakeRow(row));
      return created;
    });
  }

  private async loadPricingRule(principal: Principal | null, id: string): Promise<PricingRuleRow> {
    const row = await this.rules.findPricingRule(id);
    if (!row) throw notFound('pricing rule', id);
    assertFacilityAccess(principal, row.facilityId);
    return row;
  }

  async updatePricingRule(principal: Principal | null, id: string, body: UpdatePricingRuleBody) {
    const current = await this.loadPricingRule(principal, id);
    if (body.simulator_id) await this.assertBayIn(body.simulator_id, current.facilityId);
    const values = pricingValues(body);
    // The merged rule must still make sense as a whole (e.g. valid_until after valid_from).
    checkPricingRule({ ...current, ...values });
    return this.db.transaction(async (tx) => {
      const row = await this.rules.updatePricingRule(tx, id, values);
      await this.changeLog.append(tx, row.facilityId, 'pricing_rule', 'upsert', id, snakeRow(row));
      return toAdminPricingRule(row);
    });
  }

  async deletePricingRule(principal: Principal | null, id: string): Promise<void> {
    const row = await this.loadPricingRule(principal, id);
    await this.db.transaction(async (tx) => {
      await this.rules.deletePricingRule(tx, id);
      await this.changeLog.append(tx, row.facilityId, 'pricing_rule', 'delete', id, null);
    });
  }

  // ── Closures ────────────────────────────────────────────────────────────────────────────────

  async listClosures(principal: Principal | null, query: ClosuresQuery) {
    const rows = await this.rules.listClosures({
      facilityIds: facilityScope(principal, query.facility_id),
      ...(query.from ? { from: new Date(parseInstant(query.from, 'from')) } : {}),
      ...(query.to ? { to: new Date(parseInstant(query.to, 'to')) } : {}),
    });
    return rows.map(toAdminClosure);
  }

  async createClosure(principal: Principal | null, body: CreateClosureBody, recorder?: IdempotencyRecorder) {
    assertFacilityAccess(principal, body.facility_id);
    await this.assertFacility(body.facility_id);
    if (body.simulator_id) await this.assertBayIn(body.simulator_id, body.facility_id);
    const values = {
      facilityId: body.facility_id,
      simulatorId: body.simulator_id ?? null,
      kind: body.kind ?? 'closure',
      startsAt: new Date(parseInstant(body.starts_at, 'starts_at')),
      endsAt: new Date(parseInstant(body.ends_at, 'ends_at')),
      reason: body.reason ?? null,
      createdBy: principal?.kind === 'user' ? principal.userId : null,
    };
    checkSpan(values.startsAt, values.endsAt);
    return this.writeClosure(values.facilityId, (tx) => this.rules.insertClosure(tx, values), recorder);
  }

  private async loadClosure(principal: Principal | null, id: string): Promise<ClosureRow> {
    const row = await this.rules.findClosure(id);
    if (!row) throw notFound('closure', id);
    assertFacilityAccess(principal, row.facilityId);
    return row;
  }

  async updateClosure(principal: Principal | null, id: string, body: UpdateClosureBody) {
    const current = await this.loadClosure(principal, id);
    if (body.simulator_id) await this.assertBayIn(body.simulator_id, current.facilityId);
    const values = {
      ...(body.simulator_id !== undefined ? { simulatorId: body.simulator_id } : {}),
      ...(body.kind !== undefined ? { kind: body.kind } : {}),
      ...(body.starts_at !== undefined
        ? { startsAt: new Date(parseInstant(body.starts_at, 'starts_at')) }
        : {}),
      ...(body.ends_at !== undefined ? { endsAt: new Date(parseInstant(body.ends_at, 'ends_at')) } : {}),
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    };
    checkSpan(values.startsAt ?? current.startsAt, values.endsAt ?? current.endsAt);
    return this.writeClosure(current.facilityId, (tx) => this.rules.updateClosure(tx, id, values));
  }

  /** Writes the closure and its change-log entry; lists the active bookings it now overlaps. */
  private async writeClosure(
    facilityId: string,
    write: (tx: Transaction) => Promise<ClosureRow>,
    recorder?: IdempotencyRecorder,
  ) {
    return this.db.transaction(async (tx) => {
      const row = await write(tx);
      const affected = await this.catalog.activeBookingsOverlapping(
        facilityId,
        row.simulatorId ? [row.simulatorId] : null,
        row.startsAt,
        row.endsAt,
        tx,
      );
      const result = { closure: toAdminClosure(row), affected_bookings: affected.map(toAffectedBooking) };
      // Only a creation is replayed by key; an update (no recorder) is idempotent by nature.
      await recorder?.record(tx, result);
      await this.changeLog.append(tx, facilityId, 'closure', 'upsert', row.id, snakeRow(row));
      return result;
    });
  }

  async deleteClosure(principal: Principal | null, id: string): Promise<void> {
    const row = await this.loadClosure(principal, id);
    await this.db.transaction(async (tx) => {
      await this.rules.deleteClosure(tx, id);
      await this.changeLog.append(tx, row.facilityId, 'closure', 'delete', id, null);
    });
  }

  private async assertFacility(facilityId: string): Promise<void> {
    if (!(await this.catalog.findFacility(facilityId))) {
      throw new DomainError('NOT_FOUND', `facility ${facilityId} was not found`, { field: 'facility_id' });
    }
  }

  private async assertBayIn(simulatorId: string, facilityId: string): Promise<void> {
    const bay = await this.catalog.findSimulator(simulatorId);
    if (!bay || bay.facilityId !== facilityId) {
      throw badRequest('simulator_id', `simulator ${simulatorId} is not a bay of facility ${facilityId}`);
    }
  }
}

function ruleOptions(body: UpdateAvailabilityRuleBody) {
  return {
    ...(body.slot_duration !== undefined ? { slotDuration: body.slot_duration } : {}),
    ...(body.buffer_time !== undefined ? { bufferTime: body.buffer_time } : {}),
    ...(body.max_advance_days !== undefined ? { maxAdvanceDays: body.max_advance_days } : {}),
    ...(body.min_advance_hours !== undefined ? { minAdvanceHours: body.min_advance_hours } : {}),
  };
}

function pricingValues(body: UpdatePricingRuleBody) {
  return {
    ...(body.simulator_id !== undefined ? { simulatorId: body.simulator_id } : {}),
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.type !== undefined ? { type: body.type } : {}),
    ...(body.conditions !== undefined ? { conditions: body.conditions } : {}),
    ...(body.price_modifier !== undefined ? { priceModifier: String(body.price_modifier) } : {}),
    ...(body.modifier_type !== undefined ? { modifierType: body.modifier_type } : {}),
    ...(body.priority !== undefined ? { priority: body.priority } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(body.valid_from !== undefined
      ? { validFrom: dateOrNull(parseOptionalInstant(body.valid_from, 'valid_from')) }
      : {}),
    ...(body.valid_until !== undefined
      ? { validUntil: dateOrNull(parseOptionalInstant(body.valid_until, 'valid_until')) }
      : {}),
  };
}

/** Runs the pricing engine's own validation, so a rule the engine would choke on never lands. */
function checkPricingRule(row: Partial<Omit<PricingRuleRow, 'conditions'>> & { conditions?: unknown }): void {
  const rule: PricingRule = {
    id: row.id ?? 'new',
    simulator_id: row.simulatorId ?? null,
    name: row.name ?? '',
    type: (row.type ?? 'time_based') as PricingRule['type'],
    conditions: (row.conditions ?? {}) as PricingRule['conditions'],
    modifier_type: (row.modifierType ?? 'percentage') as PricingRule['modifier_type'],
    price_modifier: Number(row.priceModifier ?? 0),
    priority: row.priority ?? 0,
    active: row.active ?? true,
    valid_from: row.validFrom?.getTime() ?? null,
    valid_until: row.validUntil?.getTime() ?? null,
  };
  try {
    validatePricingRule(rule, 'rule');
  } catch (error) {
    if (error instanceof DomainInputError) {
      const field = error.field.replace(/^rule\./, '');
      throw badRequest(field, `${field} ${error.message}`);
    }
    throw error;
  }
}

function checkSpan(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw badRequest('ends_at', 'ends_at must be after starts_at');
}
