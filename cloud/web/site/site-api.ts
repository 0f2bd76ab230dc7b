import type { AvailabilityResponse } from '@clubos/shared/api';
import type { CancellationPolicy } from '@clubos/shared/booking';
import { ApiError, api } from '../shared-ui/api.js';
import { SessionStore } from '../shared-ui/session.js';

/** `GET /api/v1/site/facilities` (cloud/src/site/site.schemas.ts). */
export interface Venue {
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  cancellation_policy: CancellationPolicy;
  tax_rate_bps: number;
}

export const session = new SessionStore('clubos.site.session');

export const listVenues = () => api<{ facilities: Venue[] }>('/site/facilities').then((r) => r.facilities);

/**
 * Whose prices a slot listing shows: the `visitor`'s (a signed-in member sees their member prices;
 * signed out, the public ones), or always the `public` ones (a guest managing a booking by code).
 */
export type PricedFor = 'visitor' | 'public';

/** `GET /availability` for one date and length, priced as `pricedFor` says. */
export async function fetchAvailability(
  facilityId: string,
  date: string,
  duration: number,
  simulatorId?: string,
  pricedFor: PricedFor = 'visitor',
): Promise<AvailabilityResponse> {
  const options = {
    query: simulatorId
      ? { simulator_id: simulatorId, date, duration }
      : { facility_id: facilityId, date, duration },
  };
  if (pricedFor === 'public' || !session.get()) return api<AvailabilityResponse>('/availability', options);
  try {
    return await session.authed<AvailabilityResponse>('/availability', options);
  } catch (error) {
    // A session that could not be refreshed has just been signed out: list the public prices.
    if (error instanceof ApiError && error.status === 401 && !session.get()) {
      return api<AvailabilityResponse>('/availability', options);
    }
    throw error;
  }
}

export const DURATIONS = [30, 60, 90, 120, 180, 240];
