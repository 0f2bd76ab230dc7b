import { accessWindow, isValidPin } from '@clubos/shared/credentials';
import type { Logger } from 'pino';
import type { AlertService } from '../alerts/alert.service.js';
import type { EdgeDatabase } from '../db/database.js';
import { backoffDelay } from '../http/retry.js';
import { bayDoorId, facilityDoors } from './door-lookup.repository.js';
import {
  bookingsByIds,
  bookingsToProvision,
  dueVisitors,
  type ProvisionedBooking,
  syncedUpcomingVisitors,
  updateVisitor,
  upsertWanted,
  type VisitorRecord,
  visitorOf,
  visitorsNotIn,
} from './provisioning.repository.js';
import {
  type UnifiAccessClient,
  UnifiError,
  type UnifiVisitor,
  type UnifiVisitorInput,
} from './unifi-access.client.js';

export interface UnifiProvisioningOptions {
  database: EdgeDatabase;
  client: UnifiAccessClient;
  alerts: AlertService;
  log: Logger;
  now: () => number;
  /** Bookings starting within this span become visitors. */
  horizonMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const ACTIVE = new Set(['pending', 'confirmed', 'checked_in']);
const BATCH = 50;
const sec = (ms: number) => Math.floor(ms / 1000);
/** Stored in the visitor's remarks: how the edge recognises its own visitor for a booking. */
export const visitorMarker = (bookingId: string) => `ClubOS booking ${bookingId}`;
const sameDoors = (a: string[] | null, b: string[]) =>
  a !== null && a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Each upcoming booking becomes a time-windowed UniFi visitor with its PIN on the doors it needs
 * (docs/decisions/007-offline-door-credentials.md), so UniFi's own readers admit the customer even with the
 * edge down.
 * `reconcile` turns the replica into wanted state (`unifi_visitors.want_*`); `work` drives UniFi
 * toward it, one row at a time, with backoff while UniFi is unreachable. Nothing here blocks a booking.
 */
export class UnifiProvisioningService {
  private running: Promise<void> | null = null;

  constructor(private readonly options: UnifiProvisioningOptions) {}

  run(): Promise<void> {
    this.running ??= (async () => {
      this.reconcile();
      await this.work();
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Replica → wanted state; synchronous, one transaction. Returns how many rows changed. */
  reconcile(): number {
    const { database, now: clock, horizonMs } = this.options;
    const now = clock();
    return database.immediate(() => {
      const { db } = database;
      const { entranceDoorIds } = facilityDoors(db);
      let changed = 0;
      const seen: string[] = [];
      const consider = (booking: ProvisionedBooking) => {
        const wanted = this.wanted(booking, entranceDoorIds);
        if (wanted === null) return;
        seen.push(booking.id);
        const current = visitorOf(db, booking.id);
        if (current === undefined && wanted.wanted === 'absent') return;
        const same =
          current !== undefined &&
          current.wanted === wanted.wanted &&
          current.want_start === wanted.want_start &&
          current.want_end === wanted.want_end &&
          current.want_pin === wanted.want_pin &&
          sameDoors(current.want_doors, wanted.want_doors);
        if (same) return;
        upsertWanted(db, {
          booking_id: booking.id,
          ...wanted,
          state: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          updated_at: now,
        });
        changed++;
      };
      for (const booking of bookingsToProvision(db, now, now + horizonMs)) consider(booking);
      // Visitors outside this window: a booking moved past the horizon still has to move (its old
      // window would admit at the old time); one gone from the replica loses its visitor.
      const others = visitorsNotIn(db, seen);
      const stillThere = bookingsByIds(
        db,
        others.map((v) => v.booking_id),
      );
      for (const visitor of others) {
        const booking = stillThere.get(visitor.booking_id);
        if (booking !== undefined) {
          if (booking.end_time > now) consider(booking);
          continue;
        }
        updateVisitor(db, visitor.booking_id, {
          wanted: 'absent',
          state: 'pending',
          attempts: 0,
          next_attempt_at: now,
          updated_at: now,
        });
        changed++;
      }
      return changed;
    });
  }

  private wanted(booking: ProvisionedBooking, entrances: string[]) {
    const active = ACTIVE.has(booking.status);
    const pin = booking.access_code;
    if (active && (pin === null || !isValidPin(pin))) return null;
    const bayDoor = bayDoorId(this.options.database.db, booking.simulator_id);
    const window = accessWindow({ start: booking.start_time, end: booking.end_time });
    const [first, ...rest] = (booking.customer_name ?? 'ClubOS Guest').split(' ');
    return {
      wanted: active ? 'present' : 'absent',
      want_start: window.start,
      want_end: window.end,
      want_doors: [...new Set([...entrances, ...(bayDoor === null ? [] : [bayDoor])])],
      want_pin: pin,
      first_name: (first || 'ClubOS').slice(0, 60),
      last_name: (rest.join(' ') || `Booking ${booking.reference_code}`).slice(0, 60),
    };
  }

  /**
   * Compares what we believe the controller holds with what it holds: a visitor that is gone or
   * cancelled there (a controller reset or replaced, someone tidying the UniFi console) is
   * provisioned again on the next run, so its customer's PIN keeps working at UniFi's own readers.
   * Returns how many were lost. Runs at start and then now and then; a failure is only logged.
   */
  async verifyController(): Promise<number> {
    const { client, database, now, log } = this.options;
    const believed = syncedUpcomingVisitors(database.db, now());
    if (believed.length === 0) return 0;
    let live: Set<string>;
    try {
      live = new Set((await client.listVisitors()).filter((v) => v.status !== 'CANCELLED').map((v) => v.id));
    } catch (error) {
      log.warn({ err: error }, 'UniFi controller check failed; it is tried again later');
      return 0;
    }
    const lost = believed.filter((row) => !live.has(row.visitor_id!));
    if (lost.length === 0) return 0;
    const at = now();
    database.immediate(() => {
      for (const row of lost) {
        updateVisitor(database.db, row.booking_id, {
          visitor_id: null,
          have_start: null,
          have_end: null,
          have_doors: null,
          have_pin: null,
          state: 'pending',
          attempts: 0,
          next_attempt_at: at,
          updated_at: at,
        });
      }
    });
    log.warn(
      { lost: lost.map((r) => r.booking_id) },
      'UniFi lost visitors we had provisioned: provisioning them again',
    );
    return lost.length;
  }

  /** Drives due rows to UniFi; returns when the batch is done (failures are rescheduled, never thrown). */
  async work(): Promise<void> {
    const { database } = this.options;
    for (const row of dueVisitors(database.db, this.options.now(), BATCH)) {
      try {
        await this.apply(row);
      } catch (error) {
        this.failed(row, error);
      }
    }
  }

  private async apply(row: VisitorRecord): Promise<void> {
    const { client, database, now } = this.options;
    const done = (set: Partial<VisitorRecord>) =>
      database.immediate(() =>
        updateVisitor(database.db, row.booking_id, {
          ...set,
          state: 'synced',
          attempts: 0,
          last_error: null,
          updated_at: now(),
        }),
      );
    if (row.wanted === 'absent') {
      if (row.visitor_id !== null) {
        try {
          await client.deleteVisitor(row.visitor_id);
        } catch (error) {
          if (!(error instanceof UnifiError && error.kind === 'not_found')) throw error;
        }
      }
      done({ have_start: null, have_end: null, have_doors: null, have_pin: null });
      this.options.log.info({ booking: row.booking_id }, 'UniFi visitor removed');
      return;
    }
    const input: UnifiVisitorInput = {
      first_name: row.first_name,
      last_name: row.last_name,
      start_time: sec(row.want_start),
      end_time: Math.ceil(row.want_end / 1000),
      remarks: visitorMarker(row.booking_id),
      resources: row.want_doors.map((id) => ({ id, type: 'door' as const })),
    };
    let visitorId = row.visitor_id;
    // A create whose answer was lost (timeout, dropped connection) may have taken effect: adopt that
    // visitor instead of creating a second one with the same PIN. Its window and doors are then
    // brought up to date like any existing visitor's.
    const adopted = visitorId === null ? await this.findOwnVisitor(row) : null;
    if (adopted !== null) {
      visitorId = adopted.id;
      const id = visitorId;
      database.immediate(() =>
        updateVisitor(database.db, row.booking_id, {
          visitor_id: id,
          have_start: null,
          have_end: null,
          have_doors: null,
          have_pin: null,
        }),
      );
      await client.updateVisitor(visitorId, {
        start_time: input.start_time,
        end_time: input.end_time,
        resources: input.resources,
      });
      this.options.log.warn(
        { booking: row.booking_id, visitor: visitorId },
        'adopted the UniFi visitor of an earlier create whose answer was lost',
      );
    } else if (visitorId === null) {
      const created = await client.createVisitor(input);
      visitorId = created.id;
      // Stored at once: a failure below must not lead to a second visitor for the same booking.
      const id = visitorId;
      database.immediate(() =>
        updateVisitor(database.db, row.booking_id, {
          visitor_id: id,
          have_start: row.want_start,
          have_end: row.want_end,
          have_doors: row.want_doors,
        }),
      );
    } else if (
      row.have_start !== row.want_start ||
      row.have_end !== row.want_end ||
      !sameDoors(row.have_doors, row.want_doors)
    ) {
      try {
        await client.updateVisitor(visitorId, {
          start_time: input.start_time,
          end_time: input.end_time,
          resources: input.resources,
        });
      } catch (error) {
        if (error instanceof UnifiError && error.kind === 'not_found') {
          // Removed on the console: create it again on the next attempt.
          database.immediate(() =>
            updateVisitor(database.db, row.booking_id, { visitor_id: null, have_pin: null }),
          );
        }
        throw error;
      }
    }
    if (
      row.want_pin !== null &&
      (row.have_pin !== row.want_pin || row.visitor_id === null || adopted !== null)
    )
      await client.assignPin(visitorId, row.want_pin);
    done({
      visitor_id: visitorId,
      have_start: row.want_start,
      have_end: row.want_end,
      have_doors: row.want_doors,
      have_pin: row.want_pin,
    });
    this.options.alerts.resolve(`unifi_provisioning:${row.booking_id}`);
    this.options.log.info({ booking: row.booking_id, visitor: visitorId }, 'UniFi visitor provisioned');
  }

  /**
   * This booking's live visitor on the controller, if an earlier attempt created one. UniFi searches
   * by name prefix only, so the search is by the name we give the visitor and the booking id in the
   * remarks tells ours apart.
   */
  private async findOwnVisitor(row: VisitorRecord): Promise<UnifiVisitor | null> {
    const marker = visitorMarker(row.booking_id);
    const candidates = await this.options.client.searchVisitors(row.first_name);
    return candidates.find((v) => v.remarks === marker && v.status !== 'CANCELLED') ?? null;
  }

  private failed(row: VisitorRecord, error: unknown): void {
    const { database, alerts, now } = this.options;
    const message = error instanceof Error ? error.message : String(error);
    const retryable = error instanceof UnifiError ? error.retryable || error.kind === 'auth' : true;
    const at = now();
    if (retryable) {
      const retryAfter = error instanceof UnifiError ? (error.retryAfterMs ?? 0) : 0;
      const delay = Math.max(
        retryAfter,
        backoffDelay(row.attempts, {
          retries: 0,
          baseDelayMs: this.options.baseDelayMs ?? 2_000,
          maxDelayMs: this.options.maxDelayMs ?? 300_000,
        }),
        1,
      );
      database.immediate(() =>
        updateVisitor(database.db, row.booking_id, {
          attempts: row.attempts + 1,
          next_attempt_at: at + delay,
          last_error: message,
          updated_at: at,
        }),
      );
      return;
    }
    database.immediate(() =>
      updateVisitor(database.db, row.booking_id, {
        state: 'failed',
        attempts: row.attempts + 1,
        last_error: message,
        updated_at: at,
      }),
    );
    alerts.raise({
      dedupe_key: `unifi_provisioning:${row.booking_id}`,
      kind: 'unifi_provisioning_failed',
      severity: 'warning',
      subject: row.booking_id,
      message: `UniFi refused the visitor for booking ${row.booking_id}: ${message}`,
    });
  }
}
