import { and, asc, desc, eq, exists, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import { countedBookings, countedFigures } from '../customers/customer-figures.sql.js';
import { bookingsLinking } from '../customers/customer-of-facility.sql.js';
import type { Database } from '../db/client.js';
import { bookings, customers, staffFacilities, users } from '../db/schema/index.js';

export interface CustomerSearch {
  /** Trimmed; empty = every customer in scope. */
  text: string;
  /** `null` = every facility (admin); else customers who booked at one of these. */
  facilityIds: string[] | null;
  limit: number;
  offset: number;
}

export type CustomerSummaryRow = Awaited<ReturnType<AdminPeopleRepository['searchCustomers']>>[number];
export type StaffRow = Awaited<ReturnType<AdminPeopleRepository['listStaff']>>[number];

/** `%`, `_` and `\` are wildcards or the escape in LIKE: searched for literally. */
const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The email as the person wrote it: a detached guest record keeps it as `unclaimed:<id>:<email>`
 * (customers/guest-email.ts), and a search for "unclaimed" must not list every such record.
 */
const plainEmailSql = sql<string>`regexp_replace(${customers.email}, '^unclaimed:[^:]*:', '')`;
const fullNameSql = sql<string>`coalesce(${customers.firstName}, '') || ' ' || coalesce(${customers.lastName}, '')`;

/** Read queries of the admin people screens: customer search and the staff list. No rules here. */
export class AdminPeopleRepository {
  constructor(private readonly db: Database) {}

  private customerFilter(search: CustomerSearch): SQL | undefined {
    const pattern = likeContains(search.text);
    return and(
      // Erased customers (GDPR) are no one any more; their bookings stay for the accounts.
      isNull(customers.deletedAt),
      search.text
        ? or(
            ilike(plainEmailSql, pattern),
            ilike(customers.firstName, pattern),
            ilike(customers.lastName, pattern),
            ilike(fullNameSql, pattern),
          )
        : undefined,
      search.facilityIds
        ? exists(
            this.db
              .select({ one: sql`1` })
              .from(bookings)
              .where(bookingsLinking(customers.id, search.facilityIds)),
          )
        : undefined,
    );
  }

  /**
   * A customer's figures: the customer row's running totals (every facility) for an admin; for
   * staff, the same figures from the customer's bookings at their facilities only
   * (`countedBookings`). Subqueries of the page's own statement, one index lookup per row shown.
   */
  private figures(facilityIds: string[] | null) {
    if (!facilityIds)
      return { totalBookings: customers.totalBookings, lastBookingAt: customers.lastBookingAt };
    const counted = (select: SQL) =>
      this.db.select({ value: select }).from(bookings).where(countedBookings(customers.id, facilityIds));
    return {
      totalBookings: sql<number>`(${counted(countedFigures.totalBookings)})`,
      lastBookingAt: sql<Date | null>`(${counted(countedFigures.lastBookingAt)})`.mapWith(
        (v: string | Date | null) => (v === null ? null : new Date(v)),
      ),
    };
  }

  /** One page of matching customers, newest first. */
  async searchCustomers(search: CustomerSearch) {
    if (search.facilityIds?.length === 0) return [];
    const { totalBookings, lastBookingAt } = this.figures(search.facilityIds);
    return this.db
      .select({
        id: customers.id,
        email: customers.email,
        firstName: customers.firstName,
        lastName: customers.lastName,
        memberTier: customers.memberTier,
        vipStatus: customers.vipStatus,
        totalBookings,
        lastBookingAt,
        createdAt: customers.createdAt,
        hasAccount: sql<boolean>`${exists(
          this.db.select({ one: sql`1` }).from(users).where(eq(users.customerId, customers.id)),
        )}`,
      })
      .from(customers)
      .where(this.customerFilter(search))
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(search.limit)
      .offset(search.offset);
  }

  async countCustomers(search: CustomerSearch): Promise<number> {
    if (search.facilityIds?.length === 0) return 0;
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(customers)
      .where(this.customerFilter(search));
    return Number(row?.n ?? 0);
  }

  /** Staff and admin accounts, admins first, then by email. */
  async listStaff() {
    return this.db
      .select({
        id: users.id,
        email: users.email,
        role: users.role,
        disabledAt: users.disabledAt,
        mustChangePassword: users.mustChangePassword,
        createdAt: users.createdAt,
      })
      .from(users)
      .where(inArray(users.role, ['staff', 'admin']))
      .orderBy(asc(users.role), asc(users.email));
  }

  /** Facility ids of each of these staff accounts. */
  async facilityIdsOf(userIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (userIds.length === 0) return map;
    const rows = await this.db
      .select({ userId: staffFacilities.userId, facilityId: staffFacilities.facilityId })
      .from(staffFacilities)
      .where(inArray(staffFacilities.userId, userIds))
      .orderBy(asc(staffFacilities.facilityId));
    for (const row of rows) map.set(row.userId, [...(map.get(row.userId) ?? []), row.facilityId]);
    return map;
  }
}
