import type { AvailabilityResponse } from '@clubos/shared/api';
import type { CancellationPolicy } from '@clubos/shared/booking';
import { api } from '../shared-ui/api.js';
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

export const fetchAvailability = (facilityId: string, date: string, duration: number, simulatorId?: string) =>
  api<AvailabilityResponse>('/availability', {
    query: simulatorId
      ? { simulator_id: simulatorId, date, duration }
      : { facility_id: facilityId, date, duration },
  });

export const DURATIONS = [30, 60, 90, 120, 180, 240];
