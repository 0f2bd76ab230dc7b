import type { Principal } from '../auth/index.js';
import { isDetachedGuestEmail, plainEmail } from '../customers/guest-email.js';
import { facilityScope } from './admin-access.js';
import type { AdminPeopleRepository, CustomerSummaryRow } from './admin-people.repository.js';
import {
  CUSTOMER_SEARCH_DEFAULT_LIMIT,
  type CustomerSearchQuery,
  type CustomerSearchResponse,
  type CustomerSummary,
  type StaffList,
} from './admin-people.schemas.js';

function toSummary(row: CustomerSummaryRow): CustomerSummary {
  const detached = isDetachedGuestEmail(row.email);
  return {
    id: row.id,
    email: plainEmail(row.email),
    first_name: row.firstName,
    last_name: row.lastName,
    member_tier: row.memberTier,
    vip_status: row.vipStatus,
    total_bookings: row.totalBookings,
    last_booking_at: row.lastBookingAt?.toISOString() ?? null,
    // A detached record gave its email up to an account; the account has a record of its own.
    has_account: !detached && row.hasAccount,
    detached_guest: detached,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Who the admin dashboard's Customers and Staff screens list. Admins see every customer; staff
 * see the customers who booked at a facility they manage (as `GET /customers/:id` lets them), with
 * the booking figures of those facilities only: what a customer did elsewhere is not theirs to see.
 */
export class AdminPeopleService {
  constructor(private readonly repo: AdminPeopleRepository) {}

  async searchCustomers(principal: Principal, query: CustomerSearchQuery): Promise<CustomerSearchResponse> {
    const search = {
      text: query.q?.trim() ?? '',
      facilityIds: facilityScope(principal),
      limit: query.limit ?? CUSTOMER_SEARCH_DEFAULT_LIMIT,
      offset: query.offset ?? 0,
    };
    const [rows, total] = await Promise.all([
      this.repo.searchCustomers(search),
      this.repo.countCustomers(search),
    ]);
    return { customers: rows.map(toSummary), total, limit: search.limit, offset: search.offset };
  }

  async listStaff(): Promise<StaffList> {
    const rows = await this.repo.listStaff();
    const facilities = await this.repo.facilityIdsOf(rows.filter((r) => r.role === 'staff').map((r) => r.id));
    return {
      staff: rows.map((r) => ({
        id: r.id,
        email: r.email,
        role: r.role === 'admin' ? 'admin' : 'staff',
        facility_ids: r.role === 'staff' ? (facilities.get(r.id) ?? []) : [],
        active: r.disabledAt === null,
        must_change_password: r.mustChangePassword,
        created_at: r.createdAt.toISOString(),
      })),
    };
  }
}
