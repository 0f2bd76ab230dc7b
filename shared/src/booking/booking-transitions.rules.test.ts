import { describe, expect, it } from 'vitest';
import { describeRefusedTransition } from './booking-transitions.js';

describe('the sentence a refused booking transition gives staff', () => {
  it('names both statuses and what the booking can still become', () => {
    expect(describeRefusedTransition('pending', 'completed')).toBe(
      'a pending booking cannot be completed (it can only be confirmed or cancelled)',
    );
    expect(describeRefusedTransition('checked_in', 'pending')).toBe(
      'a checked-in booking cannot be set back to pending (it can only be completed)',
    );
  });

  it('says "already" for the same status, and "final" for a finished one', () => {
    expect(describeRefusedTransition('pending', 'pending')).toMatch(
      /^a pending booking is already pending \(/,
    );
    expect(describeRefusedTransition('no_show', 'confirmed')).toBe(
      'a booking marked as a no-show cannot be confirmed (no-show is final)',
    );
    expect(describeRefusedTransition('cancelled', 'checked_in')).toBe(
      'a cancelled booking cannot be checked in (cancelled is final)',
    );
  });
});
