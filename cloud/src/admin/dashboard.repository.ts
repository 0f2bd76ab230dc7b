import { and, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import {
  bookings,
  closures,
  edgeNodes,
  facilities,
  simulators,
  waitlistEntries,
} from '../db/schema/index.js';

export interface DashboardBooking {
  simulatorId: string;
  startTime: Date;
  endTime: Date;
  status: string;
  priceCents: number;
  refundCents: number | null;
  cancelledAt: Date | null;
}

/** Read-only queries behind the admin dashboard. */
export class DashboardRepository {
  constructor(private readonly db: Database) {}

  async timezoneOf(facilityId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ timezone: facilities.timezone })
      .from(facilities)
      .where(eq(facilities.id, facilityId))
      .limit(1);
    return row?.timezone;
  }

  /**
   * Bookings (not checkout holds) that start in `[from, to)` or were cancelled in it: the first
   * feed bookings, revenue, occupancy and no-shows; the second the day's cancellations.
   */
  async bookingsBetween(facilityId: string, from: Date, to: Date): Promise<DashboardBooking[]> {
    return this.db
      .select({
        simulatorId: bookings.simulatorId,
        startTime: bookings.startTime,
        endTime: bookings.endTime,
        status: bookings.status,
        priceCents: bookings.priceCents,
        refundCents: bookings.refundCents,
        cancelledAt: bookings.cancelledAt,
      })
      .from(bookings)
      .where(
        and(
          eq(bookings.facilityId, facilityId),
          or(isNull(bookings.holdExpiresAt), sql`${bookings.status} <> 'pending'`),
          or(
            and(gte(bookings.startTime, from), lt(bookings.startTime, to)),
            and(gte(bookings.cancelledAt, from), lt(bookings.cancelledAt, to)),
          ),
        ),
      );
  }

  async bays(facilityId: string) {
    return this.db
      .select({
        id: simulators.id,
        name: simulators.name,
        bayNumber: simulators.bayNumber,
        status: simulators.status,
        maintenanceUntil: simulators.maintenanceUntil,
        maintenanceReason: simulators.maintenanceReason,
      })
      .from(simulators)
      .where(eq(simulators.facilityId, facilityId));
  }

  async closuresBetween(facilityId: string, from: Date, to: Date) {
    return this.db
      .select()
      .from(closures)
      .where(
        and(
          eq(closures.facilityId, facilityId),
          lt(closures.startsAt, to),
          sql`${closures.endsAt} > ${from}`,
        ),
      );
  }

  async edges(facilityId: string) {
    return this.db
      .select({ id: edgeNodes.id, name: edgeNodes.name, lastSeenAt: edgeNodes.lastSeenAt })
      .from(edgeNodes)
      .where(and(eq(edgeNodes.facilityId, facilityId), isNull(edgeNodes.revokedAt)));
  }

  async openOffers(facilityId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(waitlistEntries)
      .where(and(eq(waitlistEntries.facilityId, facilityId), eq(waitlistEntries.status, 'offered')));
    return Number(row?.n ?? 0);
  }
}
