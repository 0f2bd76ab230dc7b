import { asc, inArray, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { bookings, hubspotOutbox } from '../db/schema/index.js';
import type { HubspotSyncRepository, NewSyncItem } from './hubspot-sync.repository.js';

/** Booking events the sync turns into notes (and deal updates). */
export const BOOKING_EVENTS = [
  'booking.created',
  'booking.cancelled',
  'booking.checked_in',
  'booking.no_show',
] as const;
export type BookingEventKind = (typeof BOOKING_EVENTS)[number];

/** What a producer reports, in its own transaction (docs/decisions/009-external-systems-never-block.md). */
export type HubspotSyncEvent =
  | { kind: BookingEventKind; bookingId: string }
  /** Money moved for the booking (a payment or refund landed): its deal amount follows. */
  | { kind: 'booking.payment'; bookingId: string }
  | { kind: 'customer.updated'; customerId: string };

/**
 * Records a change HubSpot must hear about, in the caller's transaction, as a row of
 * `hubspot_outbox` (the shape the booking writer already uses: `aggregate_id` is the booking or
 * the customer). The sync worker fans it out later; the caller never waits for HubSpot.
 */
export async function enqueueHubspotSync(tx: Executor, event: HubspotSyncEvent): Promise<void> {
  const aggregateId = event.kind === 'customer.updated' ? event.customerId : event.bookingId;
  const payload =
    event.kind === 'customer.updated' ? { customer_id: aggregateId } : { booking_id: aggregateId };
  await tx.insert(hubspotOutbox).values({ kind: event.kind, aggregateId, payload });
}

/** `enqueueHubspotSync` of a webhook batch's money movements, in one statement. */
export async function enqueuePaymentSyncs(tx: Executor, bookingIds: string[]): Promise<void> {
  if (bookingIds.length === 0) return;
  await tx.insert(hubspotOutbox).values(
    bookingIds.map((bookingId) => ({
      kind: 'booking.payment',
      aggregateId: bookingId,
      payload: { booking_id: bookingId },
    })),
  );
}

export interface OutboxEvent {
  id: number;
  kind: string;
  aggregateId: string;
  occurredAt: Date;
}

/** A booking as the fan-out sees it: who, how much, and whether it belongs to a deal already. */
export interface BookingFacts {
  id: string;
  customerId: string | null;
  type: string;
  seriesId: string | null;
  /** The booking, or for a group booking all bays of the group together. */
  dealValueCents: number;
  hasDeal: boolean;
}

/** Reads the outbox producers wrote and fans it out into sync items. */
export class HubspotOutboxRepository {
  constructor(
    private readonly db: Database,
    private readonly items: HubspotSyncRepository,
  ) {}

  /**
   * Claims due outbox events and, in the same transaction, writes the items `plan` derives from
   * them and marks the events done: fanning out is exactly-once even if the worker crashes.
   */
  async fanOut(
    limit: number,
    now: Date,
    plan: (event: OutboxEvent, booking: BookingFacts | undefined) => NewSyncItem[],
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const events = await tx
        .select()
        .from(hubspotOutbox)
        .where(isNull(hubspotOutbox.doneAt))
        .orderBy(asc(hubspotOutbox.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (events.length === 0) return 0;
      const bookingIds = events.filter((e) => e.kind.startsWith('booking.')).map((e) => e.aggregateId);
      const facts = await this.bookingFacts(tx, bookingIds);
      const items: NewSyncItem[] = [];
      for (const event of events) {
        items.push(
          ...plan(
            { id: event.id, kind: event.kind, aggregateId: event.aggregateId, occurredAt: event.createdAt },
            facts.get(event.aggregateId),
          ),
        );
      }
      await this.items.insertItems(tx, items, now);
      await tx
        .update(hubspotOutbox)
        .set({ doneAt: now })
        .where(
          inArray(
            hubspotOutbox.id,
            events.map((e) => e.id),
          ),
        );
      return events.length;
    });
  }

  private async bookingFacts(tx: Executor, ids: string[]): Promise<Map<string, BookingFacts>> {
    const map = new Map<string, BookingFacts>();
    if (ids.length === 0) return map;
    const rows = await tx.select().from(bookings).where(inArray(bookings.id, ids));
    const seriesIds = [
      ...new Set(rows.filter((r) => r.type === 'group' && r.seriesId).map((r) => r.seriesId!)),
    ];
    const siblings =
      seriesIds.length === 0
        ? []
        : await tx
            .select({
              seriesId: bookings.seriesId,
              priceCents: bookings.priceCents,
              dealId: bookings.hubspotDealId,
            })
            .from(bookings)
            .where(inArray(bookings.seriesId, seriesIds));
    for (const row of rows) {
      const group =
        row.type === 'group' && row.seriesId ? siblings.filter((s) => s.seriesId === row.seriesId) : null;
      map.set(row.id, {
        id: row.id,
        customerId: row.customerId,
        type: row.type,
        seriesId: row.seriesId,
        dealValueCents: group ? group.reduce((sum, s) => sum + s.priceCents, 0) : row.priceCents,
        hasDeal: group ? group.some((s) => s.dealId !== null) : row.hubspotDealId !== null,
      });
    }
    return map;
  }
}
