import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { accessWindow } from './access-window.js';

const MINUTE = 60_000;
const booking = { start: Date.UTC(2026, 5, 1, 18), end: Date.UTC(2026, 5, 1, 19) };

/** The margins are whole minutes from 0 to a day; a bad value names its field, never a silent default. */
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainInputError);
    return { field: (error as DomainInputError).field, reason: (error as DomainInputError).reason };
  }
  throw new Error('expected a DomainInputError');
};

describe('access window margins', () => {
  it('accepts a margin of a whole day, and refuses a minute more, naming the field and the range', () => {
    expect(accessWindow(booking, { beforeMinutes: 1440, afterMinutes: 0 })).toEqual({
      start: booking.start - 1440 * MINUTE,
      end: booking.end,
    });
    expect(fieldOf(() => accessWindow(booking, { afterMinutes: 1441 }))).toEqual({
      field: 'afterMinutes',
      reason: 'must be a whole number of minutes from 0 to 1440',
    });
    expect(fieldOf(() => accessWindow(booking, { beforeMinutes: -1 })).field).toBe('beforeMinutes');
    expect(fieldOf(() => accessWindow(booking, { beforeMinutes: 2.5 })).field).toBe('beforeMinutes');
  });

  it('refuses a booking that does not end after it starts, or whose start or end is not an instant', () => {
    expect(fieldOf(() => accessWindow({ start: booking.start, end: booking.start }))).toEqual({
      field: 'end',
      reason: 'must be after start',
    });
    expect(accessWindow({ start: booking.start, end: booking.start + 1 }).end).toBe(
      booking.start + 1 + 15 * MINUTE,
    );
    expect(fieldOf(() => accessWindow({ start: Number.NaN, end: booking.end })).field).toBe('end');
    expect(fieldOf(() => accessWindow({ start: booking.start, end: Number.POSITIVE_INFINITY })).field).toBe(
      'end',
    );
  });
});
