import { randomUUID } from 'node:crypto';
import type { CreateGroupBookingBody, CreateRecurringBookingBody, SeriesResponse } from '@clubos/shared/api';
import { type AvailabilityInput, checkBookingRequest } from '@clubos/shared/availability';
import { expandRecurrence } from '@clubos/shared/booking';
import { badRequest, DomainError } from '@clubos/shared/errors';
import type { PricingCustomer } from '@clubos/shared/pricing';
import { MINUTE_MS, parseInstant } from '@clubos/shared/time';
import type { Principal } from '../auth/index.js';
import type { AvailabilityService } from '../availability/availability.service.js';
import { withCustomer } from '../availability/pricing-customer.js';
import { iso } from '../availability/time-format.js';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import type { Database } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { toBookingResponse } from './booking.mapper.js';
import type { BookingRepository } from './booking.repository.js';
import {
  bufferMinutesOf,
  channelOf,
  checkedCustomer,
  madeBy,
  resolveCustomer,
  slotTaken,
} from './booking.support.js';
import { type BookingWriter, type PlannedBooking, SlotTakenError } from './booking.writer.js';
import { pricingOf } from './booking-pricing.js';

interface Conflict {
  simulator_id: string;
  start_time: string;
  end_time: string;
  reason: string;
  message: string;
}

/**
 * Recurring bookings (every occurrence checked first; all or nothing, or book the free ones and
 * report each conflict) and group bookings (several bays at once, all or nothing). Each is one
 * multi-row insert, so the exclusion constraint can never leave a partial series behind.
 */
export class BookingSeriesService {
  constructor(
    private readonly db: Database,
    private readonly repo: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly availability: AvailabilityService,
    private readonly writer: BookingWriter,
    /** How a customer's phone without +country is read (`PHONE_DEFAULT_REGION`). */
    private readonly phoneRegion = 'US',
  ) {}

  async createRecurring(
    principal: Principal | null,
    body: CreateRecurringBookingBody,
    recorder?: IdempotencyRecorder,
  ): Promise<SeriesResponse> {
    if (body.recurrence.count === undefined && body.recurrence.until === undefined) {
      throw badRequest('recurrence.count', 'recurrence needs count or until');
    }
    if (body.recurrence.count !== undefined && body.recurrence.until !== undefined) {
      throw badRequest('recurrence.until', 'give either count or until, not both');
    }
    const allOrNothing = body.all_or_nothing ?? true;
    const first = parseInstant(body.start_time, 'start_time');
    const facilityId = await this.availability.facilityOfBay(body.simulator_id);
    const customerId = await resolveCustomer(
      this.repo,
      this.db,
      principal,
      facilityId,
      checkedCustomer(body.customer, this.phoneRegion),
    );
    const bay = (await this.facilities.findBay(body.simulator_id))!;
    // A lost race re-plans against the new state; the loop ends when the insert succeeds.
    for (let attempt = 0; attempt < 3; attempt++) {
      const facility = (await this.facilities.findFacility(facilityId))!;
      const expansion = expandRecurrence({
        start: first,
        durationMinutes: body.duration,
        timeZone: facility.timezone,
        rule: body.recurrence,
      });
      const last = expansion.occurrences.at(-1)!;
      const read = await this.availability.loadInput(facilityId, first, last.end, {
        channel: channelOf(principal),
      });
      const input = withCustomer(read, await this.pricingFor(principal, read, customerId));
      const planned: PlannedBooking[] = [];
      const conflicts: Conflict[] = [];
      for (const occurrence of expansion.occurrences) {
        const check = checkBookingRequest({
          ...input,
          simulator_id: body.simulator_id,
          start: occurrence.start,
          duration: body.duration,
        });
        if (check.ok) {
          planned.push({
            facility: input.facility,
            simulatorId: body.simulator_id,
            bayDoorId: bay.unifi_door_id,
            start: occurrence.start,
            end: occurrence.end,
            duration: body.duration,
            bufferMinutes: bufferMinutesOf(input, body.simulator_id),
            quote: check.quote,
          });
        } else {
          conflicts.push({
            simulator_id: body.simulator_id,
            start_time: iso(occurrence.start),
            end_time: iso(occurrence.end),
            reason: check.reason,
            message: check.message,
          });
        }
      }
      if (planned.length === 0 || (allOrNothing && conflicts.length > 0)) {
        const firstConflict = conflicts[0]!;
        throw new DomainError(
          'SLOT_UNAVAILABLE',
          `${conflicts.length} of ${expansion.occurrences.length} occurrences cannot be booked; first: ${firstConflict.message}`,
          {
            field: 'start_time',
            extra: {
              conflicts,
              alternatives: this.availability.alternatives(
                input,
                body.simulator_id,
                Date.parse(firstConflict.start_time),
                body.duration,
              ),
            },
          },
        );
      }
      const seriesId = randomUUID();
      try {
        return await this.writer.write({
          items: planned,
          ...madeBy(principal, customerId),
          type: 'recurring',
          seriesId,
          recurrenceRule: body.recurrence,
          metadata: body.preferences ? { preferences: body.preferences } : {},
          recorder,
          respond: (rows, qr) => ({
            series_id: seriesId,
            type: 'recurring',
            bookings: rows
              .sort((a, b) => a.startTime.getTime() - b.startTime.getTime())
              .map((r) => toBookingResponse(r, qr.get(r.id) ?? null)),
            conflicts,
            skipped: expansion.skipped,
          }),
        });
      } catch (error) {
        if (!(error instanceof SlotTakenError)) throw error;
      }
    }
    throw slotTaken([], 'These times were just booked by someone else');
  }

  async createGroup(
    principal: Principal | null,
    body: CreateGroupBookingBody,
    recorder?: IdempotencyRecorder,
  ): Promise<SeriesResponse> {
    const start = parseInstant(body.start_time, 'start_time');
    const end = start + body.duration * MINUTE_MS;
    const bays = await this.facilities.baysByIds(body.simulator_ids);
    const missing = body.simulator_ids.filter((id) => !bays.some((b) => b.id === id));
    if (missing.length > 0) {
      throw new DomainError('NOT_FOUND', `simulator ${missing[0]} was not found`, { field: 'simulator_ids' });
    }
    const facilityId = bays[0]!.facility_id;
    if (bays.some((b) => b.facility_id !== facilityId)) {
      throw badRequest('simulator_ids', 'a group booking takes bays of one facility');
    }
    const customerId = await resolveCustomer(
      this.repo,
      this.db,
      principal,
      facilityId,
      checkedCustomer(body.customer, this.phoneRegion),
    );
    const read = await this.availability.loadInput(facilityId, start, end, { channel: channelOf(principal) });
    const input = withCustomer(read, await this.pricingFor(principal, read, customerId));
    const planned: PlannedBooking[] = [];
    const conflicts: Conflict[] = [];
    for (const bay of bays) {
      const check = checkBookingRequest({ ...input, simulator_id: bay.id, start, duration: body.duration });
      if (check.ok) {
        planned.push({
          facility: input.facility,
          simulatorId: bay.id,
          bayDoorId: bay.unifi_door_id,
          start,
          end,
          duration: body.duration,
          bufferMinutes: bufferMinutesOf(input, bay.id),
          quote: check.quote,
        });
      } else {
        conflicts.push({
          simulator_id: bay.id,
          start_time: iso(start),
          end_time: iso(end),
          reason: check.reason,
          message: check.message,
        });
      }
    }
    const groupAlternatives = () =>
      this.availability.alternatives(input, body.simulator_ids[0]!, start, body.duration);
    if (conflicts.length > 0) {
      throw new DomainError(
        'SLOT_UNAVAILABLE',
        `${conflicts.length} of ${bays.length} bays cannot be booked: ${conflicts[0]!.message}`,
        {
          field: 'simulator_ids',
          extra: { conflicts, alternatives: groupAlternatives() },
        },
      );
    }
    const seriesId = randomUUID();
    try {
      return await this.writer.write({
        items: planned,
        ...madeBy(principal, customerId),
        type: 'group',
        seriesId,
        recurrenceRule: null,
        metadata: body.preferences ? { preferences: body.preferences } : {},
        recorder,
        respond: (rows, qr) => ({
          series_id: seriesId,
          type: 'group',
          bookings: rows.map((r) => toBookingResponse(r, qr.get(r.id) ?? null)),
          conflicts: [],
          skipped: [],
        }),
      });
    } catch (error) {
      if (error instanceof SlotTakenError) {
        throw slotTaken(
          groupAlternatives(),
          'One of these bays was just booked by someone else; nothing was booked',
        );
      }
      throw error;
    }
  }

  /**
   * Whose price every booking of the series or group pays (and its alternatives show): the
   * signed-in customer's, or that of the customer staff or an edge books for. An anonymous guest
   * pays the public price whatever email they give, as for a single booking.
   */
  private pricingFor(
    principal: Principal | null,
    input: AvailabilityInput,
    customerId: string | null,
  ): Promise<PricingCustomer | null> {
    return principal ? pricingOf(this.availability, input.pricingRules, customerId) : Promise.resolve(null);
  }
}
