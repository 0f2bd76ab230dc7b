import { describe, expect, it } from 'vitest';
import { validate } from '../schema/validate.js';
import { BookingFeedDataSchema } from './booking-feed.schema.js';

const base = {
  id: '0b7e7c1e-36d4-4b58-9a4f-2f3a5b1c9d01',
  facility_id: '1b7e7c1e-36d4-4b58-9a4f-2f3a5b1c9d02',
  simulator_id: '2b7e7c1e-36d4-4b58-9a4f-2f3a5b1c9d03',
  customer_id: null,
  start_time: '2026-06-01T18:00:00.000Z',
  end_time: '2026-06-01T19:00:00.000Z',
  status: 'confirmed',
  access_code: '482913',
  reference_code: 'K7P2QX',
  updated_at: '2026-05-31T18:00:00.000Z',
};

describe('booking feed data', () => {
  it('accepts a payload without preferences (feeds written before the field existed)', () => {
    expect(validate(BookingFeedDataSchema, base).ok).toBe(true);
  });

  it('accepts preferences as an object and names the field when they are not one', () => {
    expect(validate(BookingFeedDataSchema, { ...base, preferences: { handedness: 'left' } }).ok).toBe(true);
    const bad = validate(BookingFeedDataSchema, { ...base, preferences: ['left'] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field)).toContain('preferences');
  });
});
