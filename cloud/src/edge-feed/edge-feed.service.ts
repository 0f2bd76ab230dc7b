import { randomBytes } from 'node:crypto';
import type { BookingStatus } from '@clubos/shared/booking';
import { canTransition } from '@clubos/shared/booking';
import { encodeKey } from '@clubos/shared/credentials';
import { DomainError, forbidden, notFound } from '@clubos/shared/errors';
import { formatFieldErrors } from '@clubos/shared/schema';
import {
  type ChangesResponse,
  type OutboxEvent,
  type OutboxPayloads,
  type Snapshot,
  type SnapshotItem,
  SYNC_PROTOCOL_VERSION,
  type UploadAck,
  type UploadBatch,
  type UploadResult,
  validateOutboxEvent,
} from '@clubos/shared/sync';
import type { EdgePrincipal } from '../auth/index.js';
import { sha256Hex } from '../auth/token.service.js';
import { toFeedPayload } from '../bookings/booking.mapper.js';
import type { CredentialIssuer } from '../bookings/credential.issuer.js';
import type { Database, Transaction } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { enqueueHubspotSync } from '../hubspot/hubspot-outbox.repository.js';
import { enqueueNotice } from '../notifications/customer-notices.js';
import type { NoShowFeeService } from '../payments/no-show-fee.service.js';
import type { ChangeLogRepository } from './change-log.repository.js';
import type { EdgeFeedRepository } from './edge-feed.repository.js';
import type { FacilityFeed } from './facility-feed.js';
import type { WalkInIngest } from './walk-in.ingest.js';

const DAY_MS = 86_400_000;

/** A drizzle row as the seed's snake_case JSON (instants as ISO strings). */
export function snakeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] =
      value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** Status changes an edge reports, applied when the status machine allows them. */
const EVENT_STATUS: Partial<Record<OutboxEvent['type'], BookingStatus>> = {
  'booking.checked_in': 'checked_in',
  'booking.completed': 'completed',
  'booking.no_show': 'no_show',
};

/**
 * The minimal edge feed: registration (admin), snapshot, changes after a cursor, and the
 * deduplicated event upload. An edge sees only its own facility.
 */
/**
 * A waiting long-poll wakes at once on an append made by this instance; it re-reads the log every
 * LONG_POLL_RECHECK_MS for writes made elsewhere (another instance, a script), and
 * LONG_POLL_SETTLE_MS after a wake-up whose transaction had not committed yet.
 */
const LONG_POLL_RECHECK_MS = 1_000;
const LONG_POLL_SETTLE_MS = 25;

export class EdgeFeedService {
  constructor(
    private readonly db: Database,
    private readonly repo: EdgeFeedRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly facilities: FacilityRepository,
    private readonly credentials: CredentialIssuer,
    private readonly walkIns: WalkInIngest,
    private readonly facilityFeed: FacilityFeed,
    private readonly noShowFees?: NoShowFeeService,
    /** Records what a walk-in sold offline owes (`walk_in.to_collect`). */
    private readonly recordDue: (
      tx: Transaction,
      facilityId: string,
      bookingId: string,
      amountCents: number,
    ) => Promise<void> = async () => {},
    /** Records a staff alert the edge raised (`staff_alert.raised`), once per incident. */
    private readonly recordAlert: (
      tx: Transaction,
      edge: { edgeId: string; facilityId: string },
      payload: OutboxPayloads['staff_alert.raised'],
    ) => Promise<unknown> = async () => {},
  ) {}

  /** Returns the key once; only its SHA-256 is stored. */
  async register(facilityId: string, name: string) {
    if (!(await this.facilities.findFacility(facilityId))) {
      throw new DomainError('NOT_FOUND', `facility ${facilityId} was not found`, { field: 'facility_id' });
    }
    const prefix = randomBytes(4).toString('hex');
    const key = `edge_${prefix}_${randomBytes(32).toString('base64url')}`;
    const row = await this.repo.insertEdge({ facilityId, name, keyPrefix: prefix, keyHash: sha256Hex(key) });
    return {
      id: row.id,
      facility_id: row.facilityId,
      name: row.name,
      key,
      created_at: row.createdAt.toISOString(),
    };
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.repo.revokeEdge(id))) throw notFound('edge node', id);
  }

  /** What an edge needs to verify tokens offline and to label its console. */
  async config(edge: EdgePrincipal) {
    const facility = await this.repo.facilityRow(edge.facilityId);
    if (!facility) throw notFound('facility', edge.facilityId);
    return {
      edge_id: edge.edgeId,
      facility_id: facility.id,
      facility_name: facility.name,
      timezone: facility.timezone,
      access_public_key: encodeKey(this.credentials.publicKey, 'hex'),
    };
  }

  async snapshot(edge: EdgePrincipal): Promise<Snapshot> {
    // The cursor is read BEFORE the rows: anything committed later has a larger seq and is
    // replayed by the feed (upserts are replaces, so seeing it twice is harmless).
    const { lastSeq } = await this.changeLog.cursor(edge.facilityId);
    const facility = await this.repo.facilityRow(edge.facilityId);
    if (!facility) throw notFound('facility', edge.facilityId);
    const rows = await this.repo.snapshotRows(edge.facilityId, new Date(Date.now() - DAY_MS));
    const items: SnapshotItem[] = [
      { entity: 'facility', entity_id: facility.id, data: await this.facilityFeed.data(this.db, facility) },
      ...rows.bays.map((r) => ({ entity: 'bay' as const, entity_id: r.id, data: snakeRow(r) })),
      ...rows.rules.map((r) => ({
        entity: 'availability_rule' as const,
        entity_id: r.id,
        data: snakeRow(r),
      })),
      ...rows.prices.map((r) => ({ entity: 'pricing_rule' as const, entity_id: r.id, data: snakeRow(r) })),
      ...rows.closures.map((r) => ({ entity: 'closure' as const, entity_id: r.id, data: snakeRow(r) })),
      ...rows.bookings.map((r) => ({
        entity: 'booking' as const,
        entity_id: r.id,
        data: toFeedPayload(
          r,
          r.customerId === null ? null : (rows.customerPreferences.get(r.customerId) ?? null),
        ),
      })),
      ...rows.cancelled.map((r) => ({
        entity: 'revocation' as const,
        entity_id: r.id,
        data: {
          booking_id: r.id,
          revoked_at: r.cancelledAt!.toISOString(),
          valid_until: new Date(r.endTime.getTime() + 15 * 60_000).toISOString(),
          reason: 'cancelled',
        },
      })),
    ];
    await this.repo.touchEdge(edge.edgeId, lastSeq);
    return {
      v: SYNC_PROTOCOL_VERSION,
      facility_id: edge.facilityId,
      seq: lastSeq,
      generated_at: new Date().toISOString(),
      items,
    };
  }

  async changes(edge: EdgePrincipal, after: number, limit: number, waitMs = 0): Promise<ChangesResponse> {
    const deadline = Date.now() + waitMs;
    const reload = (lastSeq: number): ChangesResponse => ({
      v: SYNC_PROTOCOL_VERSION,
      facility_id: edge.facilityId,
      changes: [],
      next_after: lastSeq,
      head: lastSeq,
      snapshot_required: true,
    });
    let settle = false;
    for (;;) {
      const cursor = await this.changeLog.cursor(edge.facilityId);
      // A cursor ahead of the log (another database) or behind compaction cannot be resumed.
      if (after < cursor.compactedThrough || after > cursor.lastSeq) return reload(cursor.lastSeq);
      const changes = await this.changeLog.after(edge.facilityId, after, limit);
      // The log above the low-water mark is gap-free, so a first entry past `after + 1` means a
      // compaction committed between the two reads: the entries the edge needs are gone.
      const first = changes[0];
      if (first !== undefined && first.seq !== after + 1) {
        return reload((await this.changeLog.cursor(edge.facilityId)).lastSeq);
      }
      if (changes.length > 0 || Date.now() >= deadline) {
        const nextAfter = changes.at(-1)?.seq ?? after;
        await this.repo.touchEdge(edge.edgeId, nextAfter);
        return {
          v: SYNC_PROTOCOL_VERSION,
          facility_id: edge.facilityId,
          changes,
          next_after: nextAfter,
          head: Math.max(cursor.lastSeq, nextAfter),
          snapshot_required: false,
        };
      }
      const idle = Math.min(settle ? LONG_POLL_SETTLE_MS : LONG_POLL_RECHECK_MS, deadline - Date.now());
      // After a wake-up, look once more shortly: the append may belong to a transaction still committing.
      settle = await this.appendOrTimeout(edge.facilityId, Math.max(0, idle));
    }
  }

  /** Resolves true when this instance appends to `facilityId`'s log, false after `ms`. */
  private appendOrTimeout(facilityId: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (woke: boolean) => {
        clearTimeout(timer);
        stop();
        resolve(woke);
      };
      const timer = setTimeout(() => done(false), ms);
      const stop = this.changeLog.onAppend((appendedTo) => {
        if (appendedTo === facilityId) done(true);
      });
    });
  }

  /** Each event is validated alone; a bad one is `rejected` with its reason, never the batch. */
  async upload(edge: EdgePrincipal, batch: UploadBatch): Promise<UploadAck> {
    if (batch.facility_id.toLowerCase() !== edge.facilityId) {
      throw forbidden(`This edge serves facility ${edge.facilityId}, not ${batch.facility_id}`);
    }
    const results: UploadResult[] = [];
    for (const raw of batch.events) {
      results.push(await this.receive(edge, raw));
    }
    await this.repo.touchEdge(edge.edgeId);
    return { v: SYNC_PROTOCOL_VERSION, results };
  }

  private async receive(edge: EdgePrincipal, raw: { event_id: string }): Promise<UploadResult> {
    const checked = validateOutboxEvent(raw);
    if (!checked.ok) {
      return {
        event_id: raw.event_id,
        status: 'rejected',
        reason: formatFieldErrors(checked.errors).slice(0, 1000),
      };
    }
    const event = checked.value;
    if (event.facility_id.toLowerCase() !== edge.facilityId) {
      return {
        event_id: event.event_id,
        status: 'rejected',
        reason: `facility_id: not this edge's facility`,
      };
    }
    const store = (tx: Transaction) =>
      this.repo.insertEvent(
        {
          eventId: event.event_id,
          edgeId: edge.edgeId,
          facilityId: edge.facilityId,
          type: event.type,
          occurredAt: new Date(event.occurred_at),
          payload: event.payload,
        },
        tx,
      );
    // A walk-in becomes a booking in the transaction of its dedupe row (or is rejected whole).
    if (event.type === 'walk_in.created') return this.walkIns.receive(edge.facilityId, event, store);
    let feeOwed: string | null = null;
    const answer = await this.db.transaction(async (tx) => {
      const fresh = await store(tx);
      if (!fresh) return { event_id: event.event_id, status: 'duplicate' as const };
      if (event.type === 'staff_alert.raised') {
        await this.recordAlert(
          tx,
          { edgeId: edge.edgeId, facilityId: edge.facilityId },
          event.payload as OutboxPayloads['staff_alert.raised'],
        );
      }
      if (event.type === 'walk_in.to_collect') {
        const due = event.payload as { booking_id: string; amount_cents: number };
        await this.recordDue(tx, edge.facilityId, due.booking_id, due.amount_cents);
      }
      const target = EVENT_STATUS[event.type];
      const bookingId = (event.payload as { booking_id?: string }).booking_id;
      if (target && bookingId) {
        const booking = await this.repo.lockBooking(tx, bookingId);
        if (
          booking &&
          booking.facilityId === edge.facilityId &&
          canTransition(booking.status as BookingStatus, target)
        ) {
          const at = new Date(event.occurred_at);
          const updated = await this.repo.updateBooking(tx, bookingId, {
            status: target,
            ...(target === 'checked_in' ? { checkInTime: at } : {}),
            ...(target === 'completed' ? { checkOutTime: at } : {}),
          });
          if (target === 'checked_in' || target === 'no_show') {
            await enqueueHubspotSync(tx, { kind: `booking.${target}`, bookingId });
          }
          // The first check-in (or door entry the edge counts as one) welcomes the customer, once.
          if (target === 'checked_in') {
            await enqueueNotice(tx, { bookingId, facilityId: edge.facilityId, kind: 'check_in_welcome' });
          }
          // The no-show auto-release: the policy's fee is owed in this transaction, charged after it.
          if (target === 'no_show' && (await this.noShowFees?.enqueue(tx, updated))) feeOwed = bookingId;
          // After the fee row, so the notice can say what is owed; sent once per booking.
          if (target === 'no_show') {
            await enqueueNotice(tx, { bookingId, facilityId: edge.facilityId, kind: 'no_show' });
          }
          await this.changeLog.append(
            tx,
            edge.facilityId,
            'booking',
            'upsert',
            bookingId,
            toFeedPayload(updated),
          );
        }
      }
      return { event_id: event.event_id, status: 'accepted' as const };
    });
    if (feeOwed) this.noShowFees?.chargeSoon(feeOwed);
    return answer;
  }
}
