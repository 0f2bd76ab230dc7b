import type {
  AdminAvailabilityRule,
  AdminClosure,
  AdminFacility,
  AdminPricingRule,
  AdminSimulator,
} from '@clubos/shared/api/admin.schemas';
import { centsToDollars } from '@clubos/shared/pricing';
import type { FacilityRow, SimulatorRow } from './admin-catalog.repository.js';
import type { AvailabilityRuleRow, ClosureRow, PricingRuleRow } from './admin-rules.repository.js';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** Rows → the admin API's seed-named JSON (money as decimal plus `*_cents`, instants as ISO). */
export function toAdminFacility(row: FacilityRow): AdminFacility {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    address: row.address,
    timezone: row.timezone,
    settings: row.settings,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function toAdminSimulator(row: SimulatorRow): AdminSimulator {
  return {
    id: row.id,
    facility_id: row.facilityId,
    name: row.name,
    type: row.type,
    bay_number: row.bayNumber,
    features: row.features,
    hourly_rate: centsToDollars(row.hourlyRateCents),
    hourly_rate_cents: row.hourlyRateCents,
    status: row.status,
    maintenance_until: isoOrNull(row.maintenanceUntil),
    maintenance_reason: row.maintenanceReason,
    unifi_door_id: row.unifiDoorId,
    ninjaone_device_id: row.ninjaoneDeviceId,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function toAdminAvailabilityRule(row: AvailabilityRuleRow): AdminAvailabilityRule {
  return {
    id: row.id,
    facility_id: row.facilityId,
    simulator_id: row.simulatorId,
    day_of_week: row.dayOfWeek,
    start_time: row.startTime,
    end_time: row.endTime,
    slot_duration: row.slotDuration,
    buffer_time: row.bufferTime,
    max_advance_days: row.maxAdvanceDays,
    min_advance_hours: row.minAdvanceHours,
    created_at: iso(row.createdAt),
  };
}

export function toAdminPricingRule(row: PricingRuleRow): AdminPricingRule {
  return {
    id: row.id,
    facility_id: row.facilityId,
    simulator_id: row.simulatorId,
    name: row.name,
    type: row.type,
    conditions: row.conditions,
    price_modifier: Number(row.priceModifier),
    modifier_type: row.modifierType,
    priority: row.priority,
    active: row.active,
    valid_from: isoOrNull(row.validFrom),
    valid_until: isoOrNull(row.validUntil),
    created_at: iso(row.createdAt),
  };
}

export function toAdminClosure(row: ClosureRow): AdminClosure {
  return {
    id: row.id,
    facility_id: row.facilityId,
    simulator_id: row.simulatorId,
    kind: row.kind,
    starts_at: iso(row.startsAt),
    ends_at: iso(row.endsAt),
    reason: row.reason,
    created_at: iso(row.createdAt),
  };
}

export function toAffectedBooking(row: {
  id: string;
  simulatorId: string;
  customerId: string | null;
  startTime: Date;
  endTime: Date;
  status: string;
  referenceCode: string;
}) {
  return {
    id: row.id,
    simulator_id: row.simulatorId,
    customer_id: row.customerId,
    start_time: iso(row.startTime),
    end_time: iso(row.endTime),
    status: row.status,
    reference_code: row.referenceCode,
  };
}
