import { describe, expect, it } from 'vitest';
import {
  contactProperties,
  dealKeyOf,
  dealProperties,
  dealState,
  noteProperties,
} from './hubspot-payloads.js';
import type { BookingDetail, CustomerFacts } from './hubspot-sync.repository.js';

const customer: CustomerFacts = {
  id: 'c1',
  email: 'pat@example.com',
  firstName: 'Pat',
  lastName: null,
  phone: null,
  hubspotContactId: null,
  vipStatus: true,
  totalBookings: 7,
  totalSpentCents: 123_45,
  lastBookingAt: new Date('2026-11-20T18:00:00Z'),
  deletedAt: null,
};

const booking = (over: Partial<BookingDetail> = {}): BookingDetail => ({
  id: 'b1',
  customerId: 'c1',
  status: 'confirmed',
  type: 'single',
  seriesId: null,
  referenceCode: 'ABC123',
  startTime: new Date('2026-03-08T06:30:00Z'),
  endTime: new Date('2026-03-08T07:30:00Z'),
  duration: 60,
  priceCents: 4_000,
  refundCents: null,
  cancellationReason: null,
  hubspotDealId: null,
  bayName: 'Bay 3',
  bayNumber: 3,
  facilityName: 'Fairway <Club>',
  timezone: 'America/Toronto',
  ...over,
});

describe('contactProperties', () => {
  it("maps the seed's customer fields and leaves unknown names alone instead of clearing them", () => {
    expect(contactProperties(customer)).toEqual({
      email: 'pat@example.com',
      firstname: 'Pat',
      total_bookings: '7',
      lifetime_value: '123.45',
      vip_status: 'true',
      last_booking_date: '2026-11-20T18:00:00.000Z',
    });
  });
});

describe('noteProperties', () => {
  it('writes a timestamped, escaped note body in the facility time zone with the event id', () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const p = noteProperties(
      'booking.cancelled',
      booking({ refundCents: 2_000, cancellationReason: 'rain <again>' }),
      at,
      'note:b1:booking.cancelled',
    );
    expect(p.hs_timestamp).toBe('2026-03-01T12:00:00.000Z');
    expect(p.clubos_event_id).toBe('note:b1:booking.cancelled');
    expect(p.hs_note_body).toContain('Booking cancelled');
    expect(p.hs_note_body).toContain('Fairway &lt;Club&gt;');
    expect(p.hs_note_body).toContain('rain &lt;again&gt;');
    expect(p.hs_note_body).toContain('Refund $20.00');
    // 06:30 UTC is 01:30 in Toronto (before the DST change later that night).
    expect(p.hs_note_body).toContain('Sun 8 Mar 2026, 01:30–03:30');
  });
});

describe('dealState and dealProperties', () => {
  it('is scheduled while booked, won once the customer came, lost when every bay is cancelled', () => {
    const group = [
      booking({ id: 'a', type: 'group', seriesId: 's' }),
      booking({ id: 'b', type: 'group', seriesId: 's' }),
    ];
    expect(dealState(group)).toEqual({
      stage: 'appointmentscheduled',
      amountCents: 8_000,
      valueCents: 8_000,
    });
    expect(dealState([group[0]!, { ...group[1]!, status: 'cancelled' }])).toMatchObject({
      stage: 'appointmentscheduled',
      amountCents: 4_000,
    });
    expect(dealState([{ ...group[0]!, status: 'checked_in' }, group[1]!]).stage).toBe('closedwon');
    expect(dealState(group.map((b) => ({ ...b, status: 'cancelled' })))).toEqual({
      stage: 'closedlost',
      amountCents: 8_000,
      valueCents: 8_000,
    });
  });

  it('keys a group booking by its series and puts it in the default pipeline', () => {
    const group = [
      booking({ id: 'a', type: 'group', seriesId: 's' }),
      booking({ id: 'b', type: 'group', seriesId: 's' }),
    ];
    expect(dealKeyOf(group[0]!)).toBe('deal:s');
    expect(dealKeyOf(booking())).toBe('deal:b1');
    expect(dealProperties(group)).toMatchObject({
      amount: '80.00',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      clubos_event_id: 'deal:s',
    });
    expect(dealProperties(group).dealname).toContain('2 bays');
  });
});
