import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { BookingFacts } from './notification.repository.js';

/**
 * The calendar invite of a booking: one UID for the booking's whole life, SEQUENCE = its
 * notification version − 1, so a reschedule updates the event and a cancellation (METHOD:CANCEL)
 * removes it instead of adding a second one (RFC 5546).
 */
export function bookingInvite(
  kind: 'confirmation' | 'reschedule' | 'cancellation',
  f: BookingFacts,
  organizer: { name: string; email: string },
): { method: 'REQUEST' | 'CANCEL'; content: string } {
  const cancel = kind === 'cancellation';
  const calendar = ical({
    prodId: { company: 'ClubOS', product: 'Booking', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: `booking-${f.bookingId}@clubos`,
    sequence: f.version - 1,
    start: f.start,
    end: f.end,
    timezone: f.timezone,
    summary: `${f.bayName} at ${f.facilityName}`,
    location: f.address ? `${f.facilityName}, ${f.address}` : f.facilityName,
    description: `Reference ${f.referenceCode}`,
    organizer,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    ...(f.email ? { attendees: [{ email: f.email, rsvp: false }] } : {}),
  });
  return { method: cancel ? 'CANCEL' : 'REQUEST', content: calendar.toString() };
}
