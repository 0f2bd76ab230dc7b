import { describe, expect, it } from 'vitest';
import { makeBusy, makeClosure, makeRule } from '../testing/availability-rules.js';
import { makeBay, makeFacility, makePricingRule } from '../testing/pricing-catalog.js';
import { atLocalTime } from '../time/zone.js';
import { type BookingCheckRequest, checkBookingRequest } from './booking-check.js';

const TOR = 'America/Toronto';
const FRI = '2025-08-01';
const at = (date: string, time: string) => atLocalTime(date, time, TOR);
const bay = makeBay({ bay_number: 3, name: 'Bay 3' });

function req(overrides: Partial<BookingCheckRequest> = {}): BookingCheckRequest {
  return {
    facility: makeFacility(),
    bays: [bay],
    rules: [makeRule({ slot_duration: 30, buffer_time: 10, start_time: '10:00', end_time: '02:00' })],
    now: at('2025-07-30', '09:00'),
    simulator_id: 'bay-1',
    start: at(FRI, '18:00'),
    duration: 60,
    ...overrides,
  };
}

describe('checkBookingRequest', () => {
  it('accepts a free on-grid request and quotes it', () => {
    const peak = makePricingRule({
      id: 'p',
      conditions: { start_time: '17:00', end_time: '23:00' },
      price_modifier: 20,
    });
    const r = checkBookingRequest(req({ pricingRules: [peak] }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.business_date).toBe(FRI);
      expect(r.quote.subtotal_cents).toBe(5400);
    }
  });

  it('attributes an after-midnight start to the previous business date', () => {
    const r = checkBookingRequest(req({ start: at('2025-08-02', '00:30') }));
    expect(r).toMatchObject({ ok: true, business_date: FRI });
    expect(checkBookingRequest(req({ start: at('2025-08-02', '01:30') }))).toMatchObject({
      ok: false,
      reason: 'outside_opening_hours',
      message: 'Bay 3 is not open for the whole of 2025-08-02 01:30–02:30',
    });
  });

  it('explains each refusal, naming the constraint', () => {
    const cases: [Partial<BookingCheckRequest>, string, string][] = [
      [{ start: at(FRI, '09:00') }, 'outside_opening_hours', 'Bay 3 is not open at 2025-08-01 09:00–10:00'],
      [{ start: at(FRI, '18:10') }, 'off_grid', 'Bay 3 takes bookings every 30 min from 10:00'],
      [
        { now: at(FRI, '17:30') },
        'too_soon',
        'online bookings need 1 h notice; 2025-08-01 18:00–19:00 can be booked at the venue',
      ],
      [
        { now: at('2025-06-01', '09:00') },
        'too_far_ahead',
        'bookings open 30 days ahead; 2025-08-01 18:00–19:00 is further out',
      ],
      [
        { closures: [makeClosure(at(FRI, '18:30'), at(FRI, '20:00'), { reason: 'Private event' })] },
        'closed',
        'Bay 3 is closed during 2025-08-01 18:00–19:00: Private event',
      ],
      [
        { busy: [makeBusy(at(FRI, '16:00'), at(FRI, '17:55'))] },
        'conflict',
        'Bay 3 is already booked near 2025-08-01 18:00–19:00 (10 min buffer between bookings)',
      ],
      [{ bays: [{ ...bay, status: 'inactive' }] }, 'bay_inactive', 'Bay 3 is inactive'],
      [
        { bays: [{ ...bay, status: 'maintenance', maintenance_until: at(FRI, '18:30') }] },
        'bay_maintenance',
        'Bay 3 is in maintenance until 2025-08-01 18:30',
      ],
    ];
    for (const [overrides, reason, message] of cases) {
      expect(checkBookingRequest(req(overrides))).toEqual({ ok: false, reason, message });
    }
  });

  it('lets the edge sell a walk-in off-grid and from now', () => {
    const walkIn = req({
      now: at(FRI, '18:05'),
      start: at(FRI, '18:05'),
      channel: 'walk_in',
      requireGrid: false,
    });
    expect(checkBookingRequest(walkIn).ok).toBe(true);
    expect(checkBookingRequest({ ...walkIn, start: at(FRI, '18:04') })).toMatchObject({
      ok: false,
      reason: 'too_soon',
    });
  });

  it('ignores the customer’s own hold when converting it', () => {
    const hold = makeBusy(at(FRI, '18:00'), at(FRI, '19:00'), { kind: 'hold' });
    expect(checkBookingRequest(req({ busy: [hold] })).ok).toBe(false);
    expect(checkBookingRequest(req({ busy: [hold], ignoreBusyIds: [hold.id] })).ok).toBe(true);
  });

  it('rejects an unknown bay or a bad duration as input errors', () => {
    expect(() => checkBookingRequest(req({ simulator_id: 'x' }))).toThrow("simulator_id: unknown bay 'x'");
    expect(() => checkBookingRequest(req({ duration: -5 }))).toThrow(/^duration: /);
  });
});
