import { centsToDecimal } from '@clubos/shared/pricing';
import { DateTime } from 'luxon';
import type { CrmProperties } from './hubspot-crm.client.js';
import type { BookingEventKind } from './hubspot-outbox.repository.js';
import type { BookingDetail, CustomerFacts } from './hubspot-sync.repository.js';

/**
 * What we write to HubSpot, as pure functions of our own rows. Values are strings, as HubSpot
 * stores them; money goes out in dollars (HubSpot's `amount` and our `lifetime_value`).
 */

/** The seed's contact sync: identity plus the booking counters kept on `customers`. */
export function contactProperties(c: CustomerFacts): CrmProperties {
  const properties: CrmProperties = {
    email: c.email,
    total_bookings: String(c.totalBookings),
    lifetime_value: centsToDecimal(c.totalSpentCents),
    vip_status: c.vipStatus ? 'true' : 'false',
  };
  // Absent names are left alone rather than sent empty, which would clear what HubSpot has.
  if (c.firstName) properties.firstname = c.firstName;
  if (c.lastName) properties.lastname = c.lastName;
  if (c.phone) properties.phone = c.phone;
  if (c.lastBookingAt) properties.last_booking_date = c.lastBookingAt.toISOString();
  return properties;
}

export const noteEventKey = (bookingId: string, event: BookingEventKind) => `note:${bookingId}:${event}`;
export const dealEventKey = (bookingId: string, event: BookingEventKind) => `deal:${bookingId}:${event}`;
/** One deal per booking, or per group booking (all its bays share `series_id`). */
export const dealKeyOf = (b: Pick<BookingDetail, 'id' | 'type' | 'seriesId'>) =>
  `deal:${b.type === 'group' && b.seriesId ? b.seriesId : b.id}`;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function when(b: Pick<BookingDetail, 'startTime' | 'endTime' | 'timezone'>): string {
  const start = DateTime.fromJSDate(b.startTime, { zone: b.timezone });
  const end = DateTime.fromJSDate(b.endTime, { zone: b.timezone });
  return `${start.toFormat('ccc d LLL yyyy, HH:mm')}–${end.toFormat('HH:mm')} (${b.timezone})`;
}

const TITLES: Record<BookingEventKind, string> = {
  'booking.created': 'Booking created',
  'booking.cancelled': 'Booking cancelled',
  'booking.checked_in': 'Checked in',
  'booking.no_show': 'No-show',
};

export function noteProperties(
  event: BookingEventKind,
  b: BookingDetail,
  occurredAt: Date,
  eventKey: string,
): CrmProperties {
  const bay = b.bayNumber === null ? b.bayName : `${b.bayName} (bay ${b.bayNumber})`;
  const lines = [
    `<strong>${TITLES[event]}</strong> — ${escapeHtml(b.facilityName)}, ${escapeHtml(bay)}`,
    `${when(b)}, ${b.duration} min, $${centsToDecimal(b.priceCents)}, reference ${b.referenceCode}`,
  ];
  if (event === 'booking.cancelled') {
    lines.push(
      `Refund $${centsToDecimal(b.refundCents ?? 0)}${b.cancellationReason ? `; reason: ${escapeHtml(b.cancellationReason)}` : ''}`,
    );
  }
  return {
    hs_timestamp: occurredAt.toISOString(),
    hs_note_body: lines.map((l) => `<p>${l}</p>`).join(''),
    clubos_event_id: eventKey,
  };
}

export type DealStage = 'appointmentscheduled' | 'closedwon' | 'closedlost';

/**
 * The deal as our bookings say it should be now: lost when every bay is cancelled, won once the
 * customer came (checked in or completed), otherwise scheduled. Once money moved for the group
 * (`paidCents` known), the amount is what was paid net of refunds; before that, what is still
 * booked, or, for a lost deal, what was lost.
 */
export function dealState(group: BookingDetail[]): {
  stage: DealStage;
  amountCents: number;
  valueCents: number;
} {
  const live = group.filter((b) => b.status !== 'cancelled');
  const valueCents = group.reduce((sum, b) => sum + b.priceCents, 0);
  const paid = group.some((b) => b.paidCents != null)
    ? group.reduce((sum, b) => sum + (b.paidCents ?? 0), 0)
    : null;
  if (live.length === 0) return { stage: 'closedlost', amountCents: paid ?? valueCents, valueCents };
  const amountCents = paid ?? live.reduce((sum, b) => sum + b.priceCents, 0);
  const came = live.some((b) => b.status === 'checked_in' || b.status === 'completed');
  return { stage: came ? 'closedwon' : 'appointmentscheduled', amountCents, valueCents };
}

export function dealProperties(group: BookingDetail[]): CrmProperties {
  const first = group[0]!;
  const { stage, amountCents } = dealState(group);
  const bays = group.length === 1 ? '1 bay' : `${group.length} bays`;
  return {
    dealname: `${first.facilityName}: ${first.type === 'group' ? 'group booking' : 'booking'} ${first.referenceCode}, ${bays}, ${DateTime.fromJSDate(first.startTime, { zone: first.timezone }).toFormat('d LLL yyyy HH:mm')}`,
    amount: centsToDecimal(amountCents),
    pipeline: 'default',
    dealstage: stage,
    closedate: first.startTime.toISOString(),
    clubos_event_id: dealKeyOf(first),
  };
}
