import { randomUUID } from 'node:crypto';
import { checkContact } from '@clubos/shared/contact';
import { accessWindow } from '@clubos/shared/credentials';
import { DomainError } from '@clubos/shared/errors';
import type { Quote } from '@clubos/shared/model';
import { appendAudit } from '../audit/audit.repository.js';
import { readAvailabilityRules } from '../availability/replica-read.repository.js';
import { type BookingRecord, bookingById, insertBooking } from '../bookings/booking.repository.js';
import type { EdgeDatabase } from '../db/database.js';
import type { Forwarder } from '../sync/forwarder.js';
import { enqueueEvent } from '../sync/outbox.repository.js';
import { readSyncState } from '../sync/replica.repository.js';
import { isConflictRejection } from './reconciliation.service.js';
import { offlineSaleHorizon } from './sale-horizon.js';
import { planSlot, type SlotPlan } from './slot-check.js';
import { newReferenceCode, WALK_IN_EVENT, type WalkInCustomer, walkInPayload } from './walk-in.event.js';
import {
  freshPin,
  memoryKeyStore,
  type WalkInCredentials,
  type WalkInKeyStore,
  walkInCredentials,
} from './walk-in-credentials.js';

export interface WalkInRequest {
  simulator_id: string;
  start: number;
  duration_minutes: number;
  customer: WalkInCustomer;
  /** Who sold it: a kiosk id or a staff user id (audit trail). */
  sold_by: string;
}

/**
 * How the sale was made, shown to the customer and to staff:
 * - online: the cloud (the single writer) took the booking;
 * - offline: the cloud is unreachable and the booking ends inside the safe horizon, so it is final;
 * - provisional: unreachable and beyond the horizon: held here, confirmed or moved on reconnect.
 */
export type WalkInMode = 'online' | 'offline' | 'provisional';

export interface WalkInResult {
  booking: BookingRecord;
  mode: WalkInMode;
  quote: Quote;
  /** The end of the safe horizon used for an offline sale (epoch ms), null online. */
  horizon: number | null;
  message: string;
  /** The QR token and PIN to hand the customer: they open the doors however the sale was made. */
  credentials: WalkInCredentials;
}

/** How a paid walk-in is sold (src/payments/walk-in-payment.service.ts). */
export interface SaleOptions {
  /** The booking id a reader payment was started for. */
  bookingId?: string;
  /** Not forwarded: a sale "to collect" must never become an unpaid online booking. */
  offlineOnly?: boolean;
  /** Written in the transaction of an offline sale (what the walk-in owes and its outbox event). */
  alsoRecord?: (booking: { id: string; price_cents: number }, now: number) => void;
}

function stripContact(customer: WalkInCustomer): WalkInCustomer {
  const { email: _email, phone: _phone, ...rest } = customer;
  return rest;
}

export interface WalkInDeps {
  database: EdgeDatabase;
  /** Null when the edge runs without a cloud (no CLOUD_URL): every sale is an offline one. */
  forward: Forwarder | null;
  /** Upload the outbox soon (after an offline sale). */
  wakeUploader: () => void;
  /** Pull the feed soon (after an online sale, to get the cloud's copy of the booking). */
  wakePull: () => void;
  now?: () => number;
  /** The key walk-in QR tokens are signed with (default: one for this process only). */
  signingKeys?: WalkInKeyStore;
  /** How a phone without +country is read; the cloud's rule, so the sale it receives is clean. */
  phoneRegion?: string;
}

/**
 * Walk-in sales at the edge (docs/decisions/006-who-sells-which-time.md). Online the cloud decides; offline
 * the edge sells only what ends before `last_successful_pull + min_advance − buffer`, where nothing the cloud
 * sold since the last pull can reach; beyond that the booking is provisional and says so.
 */
export class WalkInService {
  private readonly now: () => number;
  readonly signingKeys: WalkInKeyStore;

  constructor(private readonly deps: WalkInDeps) {
    this.now = deps.now ?? Date.now;
    this.signingKeys = deps.signingKeys ?? memoryKeyStore();
  }

  async sell(sale: WalkInRequest, options: SaleOptions = {}): Promise<WalkInResult> {
    const { database } = this.deps;
    // A bad email or phone is a 400 naming `customer.email`/`customer.phone` before anything is sold.
    const contact = checkContact(sale.customer, {
      region: this.deps.phoneRegion ?? 'US',
      prefix: 'customer',
    });
    const request: WalkInRequest = {
      ...sale,
      customer: {
        ...stripContact(sale.customer),
        ...(contact.email ? { email: contact.email } : {}),
        ...(contact.phone ? { phone: contact.phone } : {}),
      },
    };
    const slot = {
      simulatorId: request.simulator_id,
      start: request.start,
      durationMinutes: request.duration_minutes,
    };
    // Throws SLOT_UNAVAILABLE (with alternatives) when the replica already shows the time as sold.
    const plan = planSlot(database.db, slot, this.now());

    const bookingId = options.bookingId ?? randomUUID();
    const reference = newReferenceCode();
    // The edge picks the PIN and the cloud adopts it, as it adopts the reference code.
    const pin = freshPin(database, accessWindow({ start: plan.start, end: plan.end }));
    const occurredAt = this.now();
    const event = {
      event_id: randomUUID(),
      type: WALK_IN_EVENT,
      occurred_at: occurredAt,
      payload: walkInPayload({
        bookingId,
        reference,
        plan,
        customer: request.customer,
        provisional: false,
        tried: [],
        pin,
      }),
    };

    if (this.deps.forward !== null && options.offlineOnly !== true) {
      const ack = await this.deps.forward(event);
      if (ack !== null && ack.status !== 'rejected')
        return this.recordOnline(request, plan, bookingId, reference, pin);
      if (ack !== null && ack.status === 'rejected') {
        this.deps.wakePull();
        if (isConflictRejection(ack.reason)) {
          throw new DomainError(
            'SLOT_UNAVAILABLE',
            `${plan.bay.name} was just booked online: ${ack.reason}`,
            {
              field: 'start_time',
              extra: { simulator_id: plan.bay.id },
            },
          );
        }
        throw new DomainError('BAY_UNAVAILABLE', `the cloud refused the walk-in: ${ack.reason}`, {
          field: 'simulator_id',
          extra: { simulator_id: plan.bay.id },
        });
      }
    }
    return this.recordOffline(request, plan, { bookingId, reference, pin, event }, options.alsoRecord);
  }

  private recordOnline(
    request: WalkInRequest,
    plan: SlotPlan,
    bookingId: string,
    reference: string,
    pin: string,
  ): WalkInResult {
    const { database } = this.deps;
    const now = this.now();
    database.immediate(() => {
      insertBooking(
        database.db,
        this.row(request, plan, {
          bookingId,
          reference,
          pin,
          provisional: false,
          reconciliation: 'accepted',
          now,
        }),
      );
      appendAudit(database.db, {
        at: now,
        kind: 'walk_in.sold',
        actor: request.sold_by,
        subject: bookingId,
        decision: 'online',
      });
    });
    this.deps.wakePull();
    const booking = bookingById(database.db, bookingId)!;
    return {
      booking,
      mode: 'online',
      quote: plan.quote,
      horizon: null,
      message: 'Booked.',
      credentials: this.credentialsOf(booking, pin),
    };
  }

  private recordOffline(
    request: WalkInRequest,
    plan: SlotPlan,
    ids: {
      bookingId: string;
      reference: string;
      pin: string;
      event: { event_id: string; type: string; occurred_at: number; payload: Record<string, unknown> };
    },
    alsoRecord?: SaleOptions['alsoRecord'],
  ): WalkInResult {
    const { database } = this.deps;
    const result = database.immediate(() => {
      const now = this.now();
      // Re-checked under BEGIN IMMEDIATE: between the first check and now another sale may have won.
      // The booking's own id is ignored: if a forward timed out after the cloud committed, the feed
      // may already have brought the cloud's copy of this very booking.
      planSlot(
        database.db,
        {
          simulatorId: plan.bay.id,
          start: plan.start,
          durationMinutes: plan.durationMinutes,
          ignoreBookingId: ids.bookingId,
        },
        now,
      );
      const lastPull = readSyncState(database.db)?.last_successful_pull ?? null;
      const horizon = offlineSaleHorizon(lastPull, readAvailabilityRules(database.db, plan.bay.id));
      const provisional = horizon === null || plan.end > horizon;
      insertBooking(
        database.db,
        this.row(request, plan, { ...ids, provisional, reconciliation: 'pending', now }),
      );
      enqueueEvent(database.db, {
        ...ids.event,
        payload: { ...ids.event.payload, provisional },
      });
      alsoRecord?.({ id: ids.bookingId, price_cents: plan.quote.total_cents }, now);
      appendAudit(database.db, {
        at: now,
        kind: 'walk_in.sold',
        actor: request.sold_by,
        subject: ids.bookingId,
        decision: provisional ? 'provisional' : 'offline',
        details: { horizon, last_successful_pull: lastPull },
      });
      return { provisional, horizon };
    });
    this.deps.wakeUploader();
    const booking = bookingById(database.db, ids.bookingId)!;
    return {
      booking,
      mode: result.provisional ? 'provisional' : 'offline',
      quote: plan.quote,
      horizon: result.horizon,
      credentials: this.credentialsOf(booking, ids.pin),
      message: result.provisional
        ? 'Provisional: the venue is offline. Your bay is held here and will be confirmed when the connection returns; if it was sold online meanwhile you will be moved to a free bay at the same time or staff will help you.'
        : 'Booked (the venue is offline; this time is safe to sell locally).',
    };
  }

  private credentialsOf(booking: BookingRecord, pin: string): WalkInCredentials {
    return walkInCredentials(this.deps.database, this.signingKeys, {
      id: booking.id,
      facility_id: booking.facility_id,
      simulator_id: booking.simulator_id,
      start: booking.start_time,
      end: booking.end_time,
      pin,
    });
  }

  private row(
    request: WalkInRequest,
    plan: SlotPlan,
    v: {
      bookingId: string;
      reference: string;
      pin: string;
      provisional: boolean;
      reconciliation: string;
      now: number;
    },
  ) {
    const c = request.customer;
    const name = [c.first_name, c.last_name].filter((p) => p !== undefined && p !== '').join(' ');
    return {
      id: v.bookingId,
      facility_id: plan.facility.id,
      simulator_id: plan.bay.id,
      customer_name: name === '' ? null : name,
      customer_email: c.email ?? null,
      customer_phone: c.phone ?? null,
      reference_code: v.reference,
      access_code: v.pin,
      start_time: plan.start,
      end_time: plan.end,
      duration: plan.durationMinutes,
      status: 'confirmed',
      price_cents: plan.quote.total_cents,
      origin: 'edge',
      provisional: v.provisional,
      reconciliation: v.reconciliation,
      created_at: v.now,
      updated_at: v.now,
    };
  }
}
