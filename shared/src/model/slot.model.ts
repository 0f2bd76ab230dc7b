import type { Quote } from './quote.model.js';

/** A bookable `[start, end)` on one bay (epoch ms); `end - start` is always the requested duration. */
export interface Slot {
  simulator_id: string;
  start: number;
  end: number;
  duration_minutes: number;
  /**
   * The facility-local date whose opening hours produced the slot: a 01:00 Saturday slot from a
   * Friday 10:00–02:00 rule belongs to Friday's listing.
   */
  business_date: string;
  /** Equals `quote.total_cents`. */
  price_cents: number;
  quote: Quote;
}
