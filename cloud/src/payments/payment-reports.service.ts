import type {
  BookingPaymentsResponse,
  FacilityPaymentsResponse,
  PaymentItem,
  RefundItem,
} from '@clubos/shared/api/payment-reports.schemas';
import { badRequest, notFound } from '@clubos/shared/errors';
import { netByLocalDate, payoutTotals } from '@clubos/shared/payments';
import { facilityDay } from '@clubos/shared/time';
import { DateTime } from 'luxon';
import { assertFacilityAccess, type Principal } from '../auth/index.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import type { PaymentReportsRepository, ReportPayment, ReportRefund } from './payment-reports.repository.js';
import type { TerminalRepository } from './terminal.repository.js';
import { toDue } from './walk-in-dues.service.js';

/**
 * The admin money views: a booking's payments and refunds, and a facility's local day with its
 * payout-ready totals. A payment counts on the day it succeeded, a refund on the day it was made;
 * totals take only succeeded ones (docs/decisions/018-payments.md).
 */
export class PaymentReportsService {
  constructor(
    private readonly reports: PaymentReportsRepository,
    private readonly facilities: FacilityRepository,
    private readonly terminal: TerminalRepository,
  ) {}

  async ofBooking(principal: Principal | null, bookingId: string): Promise<BookingPaymentsResponse> {
    const facilityId = await this.reports.bookingFacility(bookingId);
    if (!facilityId) throw notFound('Booking', bookingId);
    assertFacilityAccess(principal, facilityId);
    const [paid, refunded] = await Promise.all([
      this.reports.paymentsOfBooking(bookingId),
      this.reports.refundsOfBooking(bookingId),
    ]);
    return { booking_id: bookingId, ...listing(paid, refunded) };
  }

  async ofDay(
    principal: Principal | null,
    facilityId: string,
    date: string,
  ): Promise<FacilityPaymentsResponse> {
    assertFacilityAccess(principal, facilityId);
    if (!DateTime.fromISO(date).isValid) throw badRequest('date', `'${date}' is not a calendar date`);
    const facility = await this.facilities.findFacility(facilityId);
    if (!facility) throw notFound('Facility', facilityId);
    const day = facilityDay(date, facility.timezone);
    const [from, to] = [new Date(day.start), new Date(day.end)];
    const [paid, refunded, dues] = await Promise.all([
      this.reports.paymentsBetween(facilityId, from, to),
      this.reports.refundsBetween(facilityId, from, to),
      this.terminal.duesOfDay(facilityId, from, to),
    ]);
    return {
      facility_id: facilityId,
      date,
      timezone: facility.timezone,
      ...listing(paid, refunded),
      // Walk-ins sold while the edge was offline, as synced: the day's, and whatever is still owed.
      to_collect: dues.map((d) => ({ ...toDue(d), recorded_at: d.createdAt.toISOString() })),
    };
  }

  /**
   * Net revenue per local date (consecutive `dates`, facility zone `zone`): what the facility was
   * paid minus what it refunded, in its currency. For the dashboard; access is checked by its caller.
   */
  async netByDate(facilityId: string, dates: readonly string[], zone: string): Promise<Map<string, number>> {
    const from = facilityDay(dates[0]!, zone).start;
    const to = facilityDay(dates[dates.length - 1]!, zone).end;
    const moved = await this.reports.movementsBetween(facilityId, new Date(from), new Date(to));
    return netByLocalDate(moved, dates, zone);
  }
}

function listing(paid: ReportPayment[], refunded: ReportRefund[]) {
  return {
    payments: paid.map(paymentItem),
    refunds: refunded.map(refundItem),
    totals: payoutTotals(
      paid.filter((p) => p.status === 'succeeded'),
      refunded.filter((r) => r.status === 'succeeded'),
    ),
  };
}

const paymentItem = (p: ReportPayment): PaymentItem => ({
  id: p.id,
  booking_id: p.bookingId,
  kind: p.kind,
  provider: p.provider,
  status: p.status,
  attempt: p.attempt,
  amount_cents: p.amountCents,
  currency: p.currency,
  provider_payment_id: p.providerPaymentId,
  created_at: p.createdAt.toISOString(),
  succeeded_at: p.succeededAt?.toISOString() ?? null,
});

const refundItem = (r: ReportRefund): RefundItem => ({
  id: r.id,
  payment_id: r.paymentId,
  booking_id: r.bookingId,
  amount_cents: r.amountCents,
  currency: r.currency,
  status: r.status,
  reason: r.reason,
  actor: r.actor,
  provider_refund_id: r.providerRefundId,
  created_at: r.createdAt.toISOString(),
});
