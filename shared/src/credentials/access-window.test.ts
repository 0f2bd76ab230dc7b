import { describe, expect, it } from 'vitest';
import { accessWindow, windowToTokenTimes } from './access-window.js';

const MIN = 60_000;
const booking = { start: Date.UTC(2025, 7, 3, 14, 0), end: Date.UTC(2025, 7, 3, 15, 0) };

describe('access window', () => {
  it('opens 15 minutes before the start and closes 15 minutes after the end by default', () => {
    expect(accessWindow(booking)).toEqual({ start: booking.start - 15 * MIN, end: booking.end + 15 * MIN });
  });

  it('takes per-facility margins, including none', () => {
    expect(accessWindow(booking, { beforeMinutes: 30, afterMinutes: 0 })).toEqual({
      start: booking.start - 30 * MIN,
      end: booking.end,
    });
  });

  it('refuses nonsense margins and bookings, naming the field', () => {
    expect(() => accessWindow(booking, { beforeMinutes: -5 })).toThrow('beforeMinutes:');
    expect(() => accessWindow(booking, { afterMinutes: 2.5 })).toThrow('afterMinutes:');
    expect(() => accessWindow({ start: booking.end, end: booking.start })).toThrow(
      'end: must be after start',
    );
  });

  it('rounds token times outward to whole seconds', () => {
    expect(windowToTokenTimes({ start: 1_500, end: 3_001 })).toEqual({ nbf: 1, exp: 4 });
    expect(windowToTokenTimes({ start: 2_000, end: 4_000 })).toEqual({ nbf: 2, exp: 4 });
  });
});
