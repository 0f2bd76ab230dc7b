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

/** `GET /api/v1/admin/customers` (cloud/src/admin/admin-people.schemas.ts). */
export interface CustomerSummary {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  member_tier: string | null;
  vip_status: boolean;
  total_bookings: number;
  last_booking_at: string | null;
  has_account: boolean;
  /** A guest record whose email an account has since taken (its bookings await a claim). */
  detached_guest: boolean;
  created_at: string;
}
export interface CustomerSearchResult {
  customers: CustomerSummary[];
  total: number;
  limit: number;
  offset: number;
}

/** `GET /api/v1/admin/staff` (cloud/src/admin/admin-people.schemas.ts). */
export interface StaffMember {
  id: string;
  email: string;
  role: 'staff' | 'admin';
  facility_ids: string[];
  active: boolean;
  must_change_password: boolean;
  created_at: string;
}
