import { SessionStore } from '../shared-ui/session.js';

export const session = new SessionStore('clubos.admin.session');

/** `GET /api/v1/admin/hubspot/status` (cloud/src/hubspot/hubspot.schemas.ts), the parts shown. */
export interface HubspotStatus {
  enabled: boolean;
  available: boolean;
  paused_until: string | null;
  last_error: string | null;
  totals: { pending: number; failed: number; done?: number; [key: string]: number | undefined };
  customers?: {
    customer_id: string;
    email: string;
    state: string;
    last_error: string | null;
    last_synced_at: string | null;
  }[];
}
