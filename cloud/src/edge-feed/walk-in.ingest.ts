import { normalizeBookingCode } from '@clubos/shared/credentials';
import type { Quote } from '@clubos/shared/model';
import type { OutboxEvent, OutboxPayloads, UploadResult } from '@clubos/shared/sync';
import { MINUTE_MS, parseInstant } from '@clubos/shared/time';
import type { BookingRepository, BookingRow } from '../bookings/booking.repository.js';
import type { BookingWriter, PlannedBooking } from '../bookings/booking.writer.js';
import type { Database, Transaction } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';

type WalkIn = OutboxPayloads['walk_in.created'];
type Verdict = Extract<UploadResult['status'], 'accepted' | 'duplicate'>;

/** Stores the event's dedupe row in the transaction; false when the event id was already stored. */
export type StoreEvent = (tx: Transaction) => Promise<boolean>;

/** Thrown inside the transaction so that nothing of the event (not even its dedupe row) is kept. */
class WalkInRejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WalkInRejection';
  }
}

const RETRYABLE = new Set<string>([SQLSTATE.deadlockDetected, SQLSTATE.serializationFailure]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The edge's price as a one-line quote: the sale was made (and paid) at the venue at that price. */
function edgeQuote(p: WalkIn, start: number, end: number): Quote {
  return {
    simulator_id: p.simulator_id,
    start,
    end,
    duration_minutes: p.duration,
    hourly_rate_cents: Math.round((p.price_cents * 60) / p.duration),
    lines: [
      {
        kind: 'base',
        rule_id: null,
        name: 'Walk-in',
        type: 'base',
        amount_cents: p.price_cents,
        explanation: 'Price charged at the venue',
      },
    ],
    subtotal_cents: p.price_cents,
    tax_rate_bps: 0,
    tax_cents: 0,
    total_cents: p.price_cents,
  };
}

/**
 * Turns a `walk_in.created` event into the cloud's booking (docs/decisions/005 and 006), under
 * the edge's booking id and reference code, in the transaction that stores the event's dedupe row:
 * so the booking returns to the edge through the feed, and a re-sent event is a `duplicate`.
 * A second event for the same booking id with another bay or time moves it (the edge re-places a
 * provisional walk-in the cloud refused). An overlap is rejected with a reason starting
 * `conflict:` (the edge's reconciliation reads that prefix) and the whole transaction is rolled
 * back: the cloud booking stands and the event is not stored, so a re-send is judged again.
 */
export class WalkInIngest {
  constructor(
    private readonly db: Database,
    private readonly bookings: BookingRepository,
    private readonly facilities: FacilityRepository,
    private readonly writer: BookingWriter,
    /** A walk-in settled ("to collect") before its booking arrived: its payment status follows. */
    private readonly followPaid: (tx: Transaction, bookingId: string) => Promise<void> = async () => {},
  ) {}

  async receive(
    facilityId: string,
    event: OutboxEvent<'walk_in.created'>,
    store: StoreEvent,
  ): Promise<UploadResult> {
    const p = event.payload;
    const answer = (status: Verdict) => ({ event_id: event.event_id, status });
    const reject = (reason: string): UploadResult => ({
      event_id: event.event_id,
      status: 'rejected',
      reason: reason.slice(0, 1000),
    });
    let start: number;
    let end: number;
    try {
      start = parseInstant(p.start_time, 'payload.start_time');
      end = parseInstant(p.end_time, 'payload.end_time');
    } catch (error) {
      // The schema's pattern admits impossible dates (2025-02-30), which Date.parse would roll over.
      return reject(error instanceof Error ? error.message : String(error));
    }
    const problem = this.checkShape(p, start, end);
    if (problem) return reject(problem);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          if (!(await store(tx))) return answer('duplicate');
          await this.apply(tx, facilityId, p, start, end);
          return answer('accepted');
        });
      } catch (error) {
        if (error instanceof WalkInRejection) return reject(error.reason);
        const state = sqlState(error);
        // The check in `apply` saw the bay free, then a concurrent sale committed first.
        if (state === SQLSTATE.exclusionViolation) {
          return reject(`conflict: bay ${p.simulator_id} was just booked in the cloud for that time`);
        }
        if (RETRYABLE.has(state ?? '') && attempt < 5) {
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
          continue;
        }
        throw error;
      }
    }
  }

  /** What the schema cannot say: instants in order, matching the duration; a real booking code. */
  private checkShape(p: WalkIn, start: number, end: number): string | null {
    if (end <= start) return 'payload.end_time: must be after start_time';
    if (end - start !== p.duration * MINUTE_MS) {
      return `payload.duration: ${p.duration} minutes does not match start_time..end_time`;
    }
    if (p.reference_code !== undefined && normalizeBookingCode(p.reference_code) === null) {
      return `payload.reference_code: ${p.reference_code} is not a booking code`;
    }
    return null;
  }

  private async apply(tx: Transaction, facilityId: string, p: WalkIn, start: number, end: number) {
    const bay = await this.facilities.findBay(p.simulator_id, tx);
    if (bay?.facility_id !== facilityId) {
      throw new WalkInRejection(`payload.simulator_id: bay ${p.simulator_id} is not a bay of this facility`);
    }
    const existing = await this.bookings.lockById(tx, p.booking_id);
    if (existing && existing.facilityId !== facilityId) {
      throw new WalkInRejection(`payload.booking_id: booking ${p.booking_id} belongs to another facility`);
    }
    if (existing && this.sameSlot(existing, p.simulator_id, start, end)) return;
    if (existing && existing.status !== 'confirmed') {
      throw new WalkInRejection(
        `payload.booking_id: booking ${p.booking_id} is ${existing.status} and cannot be moved`,
      );
    }
    const facility = (await this.facilities.findFacility(facilityId, tx))!;
    const rules = await this.facilities.availabilityRulesOf([bay.id], tx);
    const bufferMinutes = rules.reduce((m, r) => Math.max(m, r.buffer_time), 0);
    // Same ranges as the exclusion constraint (each booking with its buffer), so the reason can
    // name the booking that holds the time; the constraint still decides a concurrent race.
    const busy = await this.facilities.busyOf(
      [bay.id],
      new Date(start),
      new Date(end + bufferMinutes * MINUTE_MS),
      tx,
    );
    const clash = busy.find((b) => b.id !== p.booking_id);
    if (clash) {
      throw new WalkInRejection(
        `conflict: bay ${bay.name} (${bay.id}) is already booked then (${clash.kind} ${clash.id})`,
      );
    }
    const item: PlannedBooking = {
      facility,
      simulatorId: bay.id,
      bayDoorId: bay.unifi_door_id,
      start,
      end,
      duration: p.duration,
      bufferMinutes,
      quote: edgeQuote(p, start, end),
    };
    if (existing) {
      await this.writer.moveIn(tx, existing, item);
      return;
    }
    await this.writer.writeIn(tx, {
      items: [
        {
          ...item,
          id: p.booking_id,
          ...(await this.freeReference(tx, p)),
          ...(p.access_code === undefined ? {} : { accessCode: p.access_code }),
        },
      ],
      customerId: await this.customerOf(tx, p),
      createdBy: null,
      source: 'kiosk',
      type: 'single',
      seriesId: null,
      recurrenceRule: null,
      metadata: {
        channel: 'walk_in',
        walk_in: { provisional: p.provisional, ...(p.customer ? { customer: p.customer } : {}) },
      },
      respond: () => null,
    });
    await this.followPaid(tx, p.booking_id);
  }

  private sameSlot(row: BookingRow, simulatorId: string, start: number, end: number): boolean {
    return (
      row.simulatorId === simulatorId && row.startTime.getTime() === start && row.endTime.getTime() === end
    );
  }

  /**
   * The customer holds the edge's code; it is kept unless another booking already has it (codes are
   * random, so practically never), in which case the cloud issues one and the feed carries it back.
   */
  private async freeReference(tx: Transaction, p: WalkIn): Promise<{ referenceCode?: string }> {
    const code = p.reference_code === undefined ? null : normalizeBookingCode(p.reference_code);
    if (code === null) return {};
    const holder = await this.bookings.findByReference(code, tx);
    return holder ? {} : { referenceCode: code };
  }

  /** A walk-in with an email becomes (or finds) a customer; other details stay in the metadata. */
  private async customerOf(tx: Transaction, p: WalkIn): Promise<string | null> {
    const email = p.customer?.email?.trim().toLowerCase();
    if (!email || !EMAIL.test(email)) return null;
    return this.bookings.upsertCustomer(tx, {
      email,
      firstName: p.customer?.first_name ?? null,
      lastName: p.customer?.last_name ?? null,
      phone: p.customer?.phone ?? null,
    });
  }
}
