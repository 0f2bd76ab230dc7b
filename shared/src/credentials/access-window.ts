import { DomainInputError } from '../model/domain-input.error.js';
import { type Interval, MINUTE_MS } from '../time/index.js';

/**
 * When a booking's credentials (QR token and UniFi PIN) open doors: from `beforeMinutes` before the
 * start to `afterMinutes` after the end (15 and 15 by default, the seed's "15 min before/after"),
 * so customers can arrive early and leave after the session without being locked in or out.
 */
export interface AccessWindowOptions {
  beforeMinutes?: number;
  afterMinutes?: number;
}

export const DEFAULT_ACCESS_WINDOW = { beforeMinutes: 15, afterMinutes: 15 } as const;
const MAX_MARGIN_MINUTES = 24 * 60;

function margin(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > MAX_MARGIN_MINUTES) {
    throw new DomainInputError(field, `must be a whole number of minutes from 0 to ${MAX_MARGIN_MINUTES}`);
  }
  return v;
}

/** The access window of a booking `[start, end)` (epoch ms), as a half-open interval. */
export function accessWindow(booking: Interval, options: AccessWindowOptions = {}): Interval {
  if (!Number.isFinite(booking.start) || !Number.isFinite(booking.end) || booking.end <= booking.start) {
    throw new DomainInputError('end', 'must be after start');
  }
  const before = margin(options.beforeMinutes, DEFAULT_ACCESS_WINDOW.beforeMinutes, 'beforeMinutes');
  const after = margin(options.afterMinutes, DEFAULT_ACCESS_WINDOW.afterMinutes, 'afterMinutes');
  return { start: booking.start - before * MINUTE_MS, end: booking.end + after * MINUTE_MS };
}

/**
 * Token times are whole seconds: round the window OUTWARD (nbf down, exp up) so the token never
 * admits less than the window promises.
 */
export function windowToTokenTimes(window: Interval): { nbf: number; exp: number } {
  return { nbf: Math.floor(window.start / 1000), exp: Math.ceil(window.end / 1000) };
}
