import type {
  AdminFacility,
  AdminSimulator,
  CreateFacilityBody,
  CreateSimulatorBody,
  UpdateFacilityBody,
  UpdateSimulatorBody,
} from '@clubos/shared/api/admin.schemas';
import { cancellationPolicyFromSettings } from '@clubos/shared/booking';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import { DomainInputError } from '@clubos/shared/model';
import { quietHoursProblem } from '@clubos/shared/notifications';
import { dollarsToCents } from '@clubos/shared/pricing';
import { assertValidZone, parseOptionalInstant } from '@clubos/shared/time';
import { assertFacilityAccess, type Principal } from '../auth/index.js';
import { dateOrNull } from '../common/dates.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database, Executor } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import { snakeRow } from '../edge-feed/edge-feed.service.js';
import type { FacilityFeed } from '../edge-feed/facility-feed.js';
import { reminderMinutesProblem } from '../notifications/reminder-offsets.js';
import { edgeOfflineMinutesProblem } from '../staff-alerts/edge-offline.monitor.js';
import { staffAlertRolesProblem } from '../staff-alerts/staff-alert-roles.js';
import { toAdminFacility, toAdminSimulator, toAffectedBooking } from './admin.mapper.js';
import { facilityScope } from './admin-access.js';
import type { AdminCatalogRepository, SimulatorRow } from './admin-catalog.repository.js';

type SimulatorValues = Partial<Parameters<AdminCatalogRepository['insertSimulator']>[1]>;

/**
 * Facilities and bays. Every write appends to the facility's change log in its transaction, so
 * the edge replica follows. Staff manage their own facilities' bays; only admins create or
 * delete facilities.
 */
export class AdminCatalogService {
  constructor(
    private readonly db: Database,
    private readonly repo: AdminCatalogRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly facilityFeed: FacilityFeed,
  ) {}

  // ── Facilities ──────────────────────────────────────────────────────────────────────────────

  async listFacilities(principal: Principal | null): Promise<AdminFacility[]> {
    return (await this.repo.listFacilities(facilityScope(principal))).map(toAdminFacility);
  }

  async getFacility(principal: Principal | null, id: string): Promise<AdminFacility> {
    facilityScope(principal, id);
    const row = await this.repo.findFacility(id);
    if (!row) throw notFound('facility', id);
    return toAdminFacility(row);
  }

  async createFacility(body: CreateFacilityBody, recorder?: IdempotencyRecorder): Promise<AdminFacility> {
    const values = this.facilityValues(body);
    return this.uniqueSlug(() =>
      this.db.transaction(async (tx) => {
        const row = await this.repo.insertFacility(tx, { name: body.name, ...values });
        const created = toAdminFacility(row);
        await recorder?.record(tx, created);
        await this.facilityFeed.publish(tx, row);
        return created;
      }),
    );
  }

  async updateFacility(
    principal: Principal | null,
    id: string,
    body: UpdateFacilityBody,
  ): Promise<AdminFacility> {
    facilityScope(principal, id);
    const values = this.facilityValues(body);
    return this.uniqueSlug(() =>
      this.db.transaction(async (tx) => {
        const row = await this.repo.updateFacility(tx, id, {
          ...(body.name ? { name: body.name } : {}),
          ...values,
        });
        if (!row) throw notFound('facility', id);
        await this.facilityFeed.publish(tx, row);
        return toAdminFacility(row);
      }),
    );
  }

  /** Only an empty facility can go: bays, bookings and edges are history that must stay. */
  async deleteFacility(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (!(await this.repo.findFacility(id, tx))) throw notFound('facility', id);
      const deps = await this.repo.facilityDependents(id, tx);
      if (deps.bays + deps.bookings + deps.edges > 0) {
        throw new DomainError(
          'CONFLICT',
          `facility ${id} still has ${deps.bays} bay(s), ${deps.bookings} booking(s) and ${deps.edges} edge node(s); ` +
            'retire its bays instead',
        );
      }
      await this.repo.deleteFacility(tx, id);
    });
  }

  private facilityValues(body: UpdateFacilityBody) {
    if (body.timezone !== undefined) assertValidZone(body.timezone, 'timezone');
    if (body.settings !== undefined) {
      // A bad cancellation policy would break every later cancellation: refuse it now.
      try {
        cancellationPolicyFromSettings(body.settings);
      } catch (error) {
        if (error instanceof DomainInputError) throw badRequest(error.field, error.message);
        throw error;
      }
      const reminders = reminderMinutesProblem(body.settings.reminder_minutes);
      if (reminders) throw badRequest('settings.reminder_minutes', reminders);
      const offline = edgeOfflineMinutesProblem(body.settings.edge_offline_alert_minutes);
      if (offline) throw badRequest('settings.edge_offline_alert_minutes', offline);
      const quiet = quietHoursProblem(body.settings.sms_quiet_hours);
      if (quiet) throw badRequest('settings.sms_quiet_hours', quiet);
      const roles = staffAlertRolesProblem(body.settings.staff_alert_roles);
      if (roles) throw badRequest('settings.staff_alert_roles', roles);
      const tax = body.settings.tax_rate_bps;
      if (
        tax !== undefined &&
        !(Number.isInteger(tax) && (tax as number) >= 0 && (tax as number) <= 10_000)
      ) {
        throw badRequest(
          'settings.tax_rate_bps',
          'settings.tax_rate_bps must be whole basis points from 0 to 10000',
        );
      }
    }
    return {
      ...(body.slug !== undefined ? { slug: body.slug } : {}),
      ...(body.address !== undefined ? { address: body.address } : {}),
      ...(body.timezone !== undefined ? { timezone: body.timezone } : {}),
      ...(body.settings !== undefined ? { settings: body.settings } : {}),
    };
  }

  private async uniqueSlug<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (sqlState(error) === SQLSTATE.uniqueViolation) {
        throw new DomainError('CONFLICT', 'another facility already uses this slug', { field: 'slug' });
      }
      throw error;
    }
  }

  // ── Simulators (bays) ───────────────────────────────────────────────────────────────────────

  async listSimulators(principal: Principal | null, facilityId?: string): Promise<AdminSimulator[]> {
    return (await this.repo.listSimulators(facilityScope(principal, facilityId))).map(toAdminSimulator);
  }

  private async loadSimulator(principal: Principal | null, id: string, tx?: Executor): Promise<SimulatorRow> {
    const row = await this.repo.findSimulator(id, tx);
    if (!row) throw notFound('simulator', id);
    assertFacilityAccess(principal, row.facilityId);
    return row;
  }

  async getSimulator(principal: Principal | null, id: string): Promise<AdminSimulator> {
    return toAdminSimulator(await this.loadSimulator(principal, id));
  }

  async createSimulator(
    principal: Principal | null,
    body: CreateSimulatorBody,
    recorder?: IdempotencyRecorder,
  ): Promise<AdminSimulator> {
    assertFacilityAccess(principal, body.facility_id);
    if (!(await this.repo.findFacility(body.facility_id))) {
      throw new DomainError('NOT_FOUND', `facility ${body.facility_id} was not found`, {
        field: 'facility_id',
      });
    }
    const values = simulatorValues(body);
    return this.db.transaction(async (tx) => {
      const row = await this.repo.insertSimulator(tx, {
        facilityId: body.facility_id,
        name: body.name,
        ...values,
      });
      const created = toAdminSimulator(row);
      await recorder?.record(tx, created);
      await this.changeLog.append(tx, row.facilityId, 'bay', 'upsert', row.id, snakeRow(row));
      return created;
    });
  }

  /**
   * Seed `PATCH /admin/simulators/{id}`: field changes and status moves. Maintenance needs a
   * reason; `maintenance_until` (future, optional) ends it by itself; active/inactive clear both.
   * Answers with the active bookings the new state blocks, so staff can call those customers.
   */
  async updateSimulator(principal: Principal | null, id: string, body: UpdateSimulatorBody) {
    await this.loadSimulator(principal, id);
    const now = new Date();
    return this.db.transaction(async (tx) => {
      const current = (await this.repo.lockSimulator(tx, id))!;
      const status = body.status ?? current.status;
      const values: SimulatorValues = simulatorValues(body);
      if (body.status !== undefined) values.status = body.status;
      if (status === 'maintenance') {
        const reason = body.reason === undefined ? current.maintenanceReason : body.reason;
        if (!reason) throw badRequest('reason', 'a bay goes into maintenance with a reason');
        const until =
          body.maintenance_until === undefined
            ? current.maintenanceUntil
            : dateOrNull(parseOptionalInstant(body.maintenance_until, 'maintenance_until'));
        if (until && until.getTime() <= now.getTime() && body.maintenance_until !== undefined) {
          throw badRequest('maintenance_until', 'maintenance_until must be in the future');
        }
        values.maintenanceReason = reason;
        values.maintenanceUntil = until;
      } else {
        for (const key of ['maintenance_until', 'reason'] as const) {
          if (body[key] !== undefined && body[key] !== null) {
            throw badRequest(key, `${key} applies only with status maintenance (the bay would be ${status})`);
          }
        }
        values.maintenanceReason = null;
        values.maintenanceUntil = null;
      }
      const row = await this.repo.updateSimulator(tx, id, values);
      const blockedUntil = row.status === 'maintenance' ? row.maintenanceUntil : null;
      const affected =
        row.status === 'active'
          ? []
          : await this.repo.activeBookingsOverlapping(row.facilityId, [row.id], now, blockedUntil, tx);
      await this.changeLog.append(tx, row.facilityId, 'bay', 'upsert', row.id, snakeRow(row));
      return { simulator: toAdminSimulator(row), affected_bookings: affected.map(toAffectedBooking) };
    });
  }

  /** Bays are retired (status inactive), not deleted: their bookings are accounting history. */
  async retireSimulator(principal: Principal | null, id: string) {
    return this.updateSimulator(principal, id, { status: 'inactive' });
  }
}

function simulatorValues(body: Partial<CreateSimulatorBody>): SimulatorValues {
  let cents = body.hourly_rate_cents;
  if (body.hourly_rate !== undefined) {
    const fromDollars = dollarsToCents(body.hourly_rate, 'hourly_rate');
    if (cents !== undefined && cents !== fromDollars) {
      throw badRequest('hourly_rate', 'hourly_rate and hourly_rate_cents disagree; give one of them');
    }
    cents = fromDollars;
  }
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.type !== undefined ? { type: body.type } : {}),
    ...(body.bay_number !== undefined ? { bayNumber: body.bay_number } : {}),
    ...(body.features !== undefined ? { features: body.features } : {}),
    ...(cents !== undefined ? { hourlyRateCents: cents } : {}),
    ...(body.unifi_door_id !== undefined ? { unifiDoorId: body.unifi_door_id } : {}),
    ...(body.ninjaone_device_id !== undefined ? { ninjaoneDeviceId: body.ninjaone_device_id } : {}),
  };
}
