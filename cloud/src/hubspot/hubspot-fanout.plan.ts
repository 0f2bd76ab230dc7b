import {
  BOOKING_EVENTS,
  type BookingEventKind,
  type BookingFacts,
  type OutboxEvent,
} from './hubspot-outbox.repository.js';
import { dealEventKey, dealKeyOf, noteEventKey } from './hubspot-payloads.js';
import type { NewSyncItem } from './hubspot-sync.repository.js';

const isBookingEvent = (kind: string): kind is BookingEventKind =>
  (BOOKING_EVENTS as readonly string[]).includes(kind);

/**
 * Which HubSpot operations an outbox event needs (pure). Creations and cancellations change the
 * contact's counters; every booking event is a note; a booking (a group: all its bays) worth at
 * least `dealMinValueCents`, or one that already has a deal, gets its deal brought up to date.
 * `null` means the event is of a kind we do not know.
 */
export function planSyncItems(
  event: OutboxEvent,
  booking: BookingFacts | undefined,
  dealMinValueCents: number,
): NewSyncItem[] | null {
  if (event.kind === 'customer.updated') return [{ kind: 'contact.upsert', customerId: event.aggregateId }];
  if (event.kind === 'booking.payment') return planPaymentSync(event, booking, dealMinValueCents);
  if (!isBookingEvent(event.kind)) return null;
  // A booking without a customer (an anonymous walk-in) has nobody to tell HubSpot about.
  if (!booking?.customerId) return [];
  const payload = { event: event.kind, occurred_at: event.occurredAt.toISOString() };
  const items: NewSyncItem[] = [];
  if (event.kind === 'booking.created' || event.kind === 'booking.cancelled') {
    items.push({ kind: 'contact.upsert', customerId: booking.customerId });
  }
  items.push({
    kind: 'note.create',
    customerId: booking.customerId,
    bookingId: booking.id,
    eventKey: noteEventKey(booking.id, event.kind),
    payload,
  });
  if (booking.hasDeal || booking.dealValueCents >= dealMinValueCents) {
    // The bays of a group booking share one deal: their creations need one item, not one each.
    items.push({
      kind: 'deal.sync',
      customerId: booking.customerId,
      bookingId: booking.id,
      eventKey:
        event.kind === 'booking.created'
          ? `${dealKeyOf(booking)}:created`
          : dealEventKey(booking.id, event.kind),
      payload,
    });
  }
  return items;
}

/**
 * A payment or refund landed: only the deal's amount changes (no note, no contact counters). Keyed
 * by the outbox event, so a refund after an already-sent payment update is sent too.
 */
function planPaymentSync(
  event: OutboxEvent,
  booking: BookingFacts | undefined,
  dealMinValueCents: number,
): NewSyncItem[] {
  if (!booking?.customerId || !(booking.hasDeal || booking.dealValueCents >= dealMinValueCents)) return [];
  return [
    {
      kind: 'deal.sync',
      customerId: booking.customerId,
      bookingId: booking.id,
      eventKey: `deal:${booking.id}:payment:${event.id}`,
      payload: { event: event.kind, occurred_at: event.occurredAt.toISOString() },
    },
  ];
}
