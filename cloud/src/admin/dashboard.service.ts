import type { DashboardAlert, DashboardQuery, DashboardResponse } from '@clubos/shared/api/admin.schemas';
import { findAvailability } from '@clubos/shared/availability';
import { badRequest, DomainError } from '@clubos/shared/errors';
import type { BusyInterval } from '@clubos/shared/model';
import { centsToDollars } from '@clubos/shared/pricing';
import { addDays, facilityDay, localDateOf } from '@clubos/shared/time';
import type { Principal } from '../auth/index.js';
import type { AvailabilityService } from '../availability/availability.service.js';
import type { PaymentReportsService } from '../payments/payment-reports.service.js';
import { facilityScope } from './admin-access.js';
import { figuresByDate, heatmap, isSold, percent } from './dashboard.figures.js';
import type { DashboardBooking, DashboardRepository } from './dashboard.repository.js';

export const TREND_DAYS = 14;
/** An edge that has not pulled for this long is reported offline. */
export const EDGE_OFFLINE_AFTER_MS = 5 * 60_000;

/** Seed `GET /admin/dashboard`: today's figures, 14-day trends and alerts, in the facility's zone. */
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly availability: AvailabilityService,
    private readonly money: PaymentReportsService,
  ) {}

  async dashboard(
    principal: Principal | null,
    query: DashboardQuery,
    now = Date.now(),
  ): Promise<DashboardResponse> {
    const facilityId = this.facilityOf(principal, query.facility_id);
    const zone = await this.repo.timezoneOf(facilityId);
    if (!zone)
      throw new DomainError('NOT_FOUND', `facility ${facilityId} was not found`, { field: 'facility_id' });
    const date = query.date ?? localDateOf(now, zone);
    const first = addDays(date, -(TREND_DAYS - 1));
    const dates = Array.from({ length: TREND_DAYS }, (_, i) => addDays(first, i));
    const from = facilityDay(first, zone).start;
    const to = facilityDay(date, zone).end;
    const input = await this.availability.loadInput(facilityId, from, to, { now });
    const rows = await this.repo.bookingsBetween(facilityId, new Date(from), new Date(to));

    const occupancy = this.occupancy(input, rows, first, from, to);
    const figures = figuresByDate(rows, dates, zone);
    const revenue = await this.money.netByDate(facilityId, dates, zone);
    const days = dates.map((d) => {
      const f = figures.get(d)!;
      const cents = revenue.get(d) ?? 0;
      return {
        date: d,
        bookings: f.bookings,
        revenue: centsToDollars(cents),
        revenue_cents: cents,
        occupancy: percent(occupancy[d] ?? 0),
        cancellations: f.cancellations,
        no_shows: f.no_shows,
      };
    });
    const { date: _date, ...today } = days[days.length - 1]!;
    const noShows = days.reduce((n, d) => n + d.no_shows, 0);
    const due = days.reduce((n, d) => n + d.bookings, 0);
    const dayOf = facilityDay(date, zone);
    return {
      facility_id: facilityId,
      timezone: zone,
      date,
      today,
      trends: {
        days,
        heatmap: heatmap(rows, from, to, zone),
        no_shows: noShows,
        no_show_rate: due === 0 ? 0 : Math.round((noShows / due) * 1000) / 1000,
      },
      alerts: await this.alerts(facilityId, now, dayOf.start, dayOf.end),
    };
  }

  /** Admins name the facility; staff of exactly one facility may leave it out. */
  private facilityOf(principal: Principal | null, facilityId: string | undefined): string {
    const scope = facilityScope(principal, facilityId);
    if (facilityId) return facilityId;
    if (scope?.length === 1) return scope[0]!;
    throw badRequest('facility_id', 'facility_id is required (you manage more than one facility)');
  }

  /**
   * Booked share of open bay-minutes per date, by the availability engine's own occupancy (the
   * same opening hours, closures and maintenance), but counting sold time — completed and no-show
   * bookings too — rather than only what still blocks the bay.
   */
  private occupancy(
    input: Awaited<ReturnType<AvailabilityService['loadInput']>>,
    rows: readonly DashboardBooking[],
    first: string,
    from: number,
    to: number,
  ): Record<string, number> {
    const busy: BusyInterval[] = rows
      .filter((b) => isSold(b) && b.startTime.getTime() < to && b.endTime.getTime() > from)
      .map((b, i) => ({
        id: `sold-${i}`,
        simulator_id: b.simulatorId,
        kind: 'booking',
        start: b.startTime.getTime(),
        end: b.endTime.getTime(),
      }));
    const result = findAvailability({
      ...input,
      busy,
      closures: input.closures ?? [],
      date: first,
      days: TREND_DAYS,
      duration: 60,
      // No slots are needed, only the facility's occupancy, which covers every bay regardless.
      simulatorIds: [],
    });
    return result.occupancy;
  }

  private async alerts(
    facilityId: string,
    now: number,
    dayStart: number,
    dayEnd: number,
  ): Promise<DashboardAlert[]> {
    const [bays, closures, edges, offers] = await Promise.all([
      this.repo.bays(facilityId),
      this.repo.closuresBetween(facilityId, new Date(dayStart), new Date(dayEnd)),
      this.repo.edges(facilityId),
      this.repo.openOffers(facilityId),
    ]);
    const alerts: DashboardAlert[] = [];
    const label = (b: { name: string; bayNumber: number | null }) =>
      b.bayNumber === null ? b.name : `Bay ${b.bayNumber}`;
    for (const bay of bays) {
      const until = bay.maintenanceUntil?.getTime() ?? null;
      if (bay.status === 'maintenance' && (until === null || until > now)) {
        alerts.push({
          type: 'bay_maintenance',
          severity: 'warning',
          message: `${label(bay)} is in maintenance${until ? ` until ${new Date(until).toISOString()}` : ''}: ${bay.maintenanceReason ?? 'no reason given'}`,
          simulator_id: bay.id,
          until: until === null ? null : new Date(until).toISOString(),
        });
      } else if (bay.status === 'inactive') {
        alerts.push({
          type: 'bay_inactive',
          severity: 'info',
          message: `${label(bay)} is retired`,
          simulator_id: bay.id,
        });
      }
    }
    for (const c of closures) {
      alerts.push({
        type: 'closure',
        severity: 'info',
        message: `${c.kind === 'maintenance' ? 'Maintenance block' : 'Closure'} ${c.startsAt.toISOString()}–${c.endsAt.toISOString()}${c.reason ? `: ${c.reason}` : ''}`,
        ...(c.simulatorId ? { simulator_id: c.simulatorId } : {}),
        until: c.endsAt.toISOString(),
      });
    }
    if (edges.length === 0) {
      alerts.push({
        type: 'edge_missing',
        severity: 'warning',
        message: 'No edge node is registered: doors and bays cannot follow the schedule',
      });
    }
    for (const edge of edges) {
      const seen = edge.lastSeenAt?.getTime() ?? null;
      if (seen === null || now - seen > EDGE_OFFLINE_AFTER_MS) {
        alerts.push({
          type: 'edge_offline',
          severity: 'critical',
          message: `Edge "${edge.name}" ${seen === null ? 'has never connected' : `last connected ${new Date(seen).toISOString()}`}`,
        });
      }
    }
    if (offers > 0) {
      alerts.push({
        type: 'waitlist_offers',
        severity: 'info',
        message: `${offers} waitlist offer(s) awaiting an answer`,
      });
    }
    return alerts;
  }
}
