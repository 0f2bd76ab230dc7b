import type {
  CustomerErasure,
  CustomerExport,
  CustomerResponse,
  UpdatePreferencesBody,
} from '@clubos/shared/api/customers.schemas';
import { cancellationPolicyFromSettings, evaluateCancellation } from '@clubos/shared/booking';
import { badRequest, DomainError, forbidden, notFound, unauthorized } from '@clubos/shared/errors';
import { channelChoiceProblem, type KindChannels, kindChannelsProblem } from '@clubos/shared/notifications';
import { centsToDollars } from '@clubos/shared/pricing';
import { assertCustomerAccess, type Principal } from '../auth/index.js';
import { toBookingResponse, toFeedPayload } from '../bookings/booking.mapper.js';
import type { BookingRepository } from '../bookings/booking.repository.js';
import type { Database, Executor } from '../db/client.js';
import type { ChangeLogRepository } from '../edge-feed/change-log.repository.js';
import type {
  CustomerBookingRow,
  CustomerFigures,
  CustomerRepository,
  CustomerRow,
} from './customer.repository.js';
import { exportRecord } from './customer-export.mapper.js';
import { addCustomerTotals, countsInTotals } from './customer-totals.js';

/** 10 loyalty points per hour actually played, over the whole history, rounded down. */
export const LOYALTY_POINTS_PER_HOUR = 10;
export const loyaltyPointsFor = (playedMinutes: number) =>
  Math.floor((playedMinutes * LOYALTY_POINTS_PER_HOUR) / 60);

/** The customers row's running totals: every facility. */
const customerFigures = (row: CustomerRow): CustomerFigures => ({
  totalBookings: row.totalBookings,
  totalSpentCents: row.totalSpentCents,
  lastBookingAt: row.lastBookingAt,
});

const HISTORY_LIMIT = 100;
const UPCOMING_LIMIT = 100;
/**
 * Door credentials stay valid this long after a booking ends
 * (docs/decisions/007-offline-door-credentials.md).
 */
const ACCESS_GRACE_MS = 15 * 60_000;
export const ERASURE_REASON = 'customer data erased (GDPR request)';

/**
 * Profile, preferences and the GDPR rights (export, erasure) of one customer. Customers act on
 * themselves only; staff read and edit preferences of customers who booked at their facilities
 * (and see only those bookings, and totals computed from them); admins everything. Export and
 * erasure are the customer's own rights (or an admin acting on a request): staff get 403.
 */
export class CustomerService {
  constructor(
    private readonly db: Database,
    private readonly repo: CustomerRepository,
    /** Owns the access tokens: the upcoming bookings' QR codes. */
    private readonly bookings: BookingRepository,
    private readonly changeLog: ChangeLogRepository,
    /** Called after an erasure committed, for each booking or hold whose time was freed. */
    private readonly onFreed: (row: CustomerBookingRow) => void = () => {},
    /** The customer's channels per message kind (notification_preferences), checked against a new overall switch. */
    private readonly kindChoices: (
      customerId: string,
      tx: Executor,
    ) => Promise<Map<string, KindChannels>> = async () => new Map(),
  ) {}

  /** Loads the customer and checks access; returns the facilities whose bookings the caller sees. */
  private async authorise(
    principal: Principal | null,
    id: string,
    purpose: 'read' | 'gdpr',
  ): Promise<{ customer: CustomerRow; scope: string[] | null }> {
    if (!principal) throw unauthorized();
    const isCustomer = principal.kind === 'user' && principal.role === 'customer';
    const customer = await this.repo.findById(id);
    // A customer asking for someone else gets the same 404 as for a missing id.
    if (!customer || (isCustomer && principal.customerId !== id)) throw notFound('customer', id);
    if (customer.deletedAt) {
      throw new DomainError('NOT_FOUND', `customer ${id} was erased on ${customer.deletedAt.toISOString()}`);
    }
    if (principal.kind === 'user' && principal.role === 'admin') return { customer, scope: null };
    if (isCustomer) return { customer, scope: null };
    if (purpose === 'gdpr') {
      throw forbidden('Only the customer themself or an admin may export or erase customer data');
    }
    const facilityIds = await this.repo.facilityIdsOf(id);
    assertCustomerAccess(principal, id, facilityIds);
    const own = principal.kind === 'user' ? principal.facilityIds : [principal.facilityId];
    return { customer, scope: facilityIds.filter((f) => own.includes(f)) };
  }

  async get(principal: Principal | null, id: string): Promise<CustomerResponse> {
    const { customer, scope } = await this.authorise(principal, id, 'read');
    return this.view(customer, scope);
  }

  /**
   * The profile as the caller may see it. `scope` null (an admin, the customer themself): the
   * customers row's running totals, over every facility. Staff (`scope` = their facilities the
   * customer booked at): bookings and totals at those facilities only, so a venue's staff learn
   * nothing of what the customer does elsewhere. `loyalty_points` is the customer's one balance
   * of the whole programme (played time everywhere), the same whoever asks: it is what staff
   * honour at the desk, and it is not derived from spend.
   */
  private async view(customer: CustomerRow, scope: string[] | null): Promise<CustomerResponse> {
    const now = new Date();
    const [history, upcoming, played, figures] = await Promise.all([
      this.repo.history(customer.id, now, scope, HISTORY_LIMIT),
      this.repo.upcoming(customer.id, now, scope, UPCOMING_LIMIT),
      this.repo.playedMinutes(customer.id, now),
      scope ? this.repo.figuresAt(customer.id, scope) : customerFigures(customer),
    ]);
    const qr = await this.bookings.qrTokensOf(upcoming.map((b) => b.id));
    return {
      id: customer.id,
      email: customer.email,
      profile: {
        first_name: customer.firstName,
        last_name: customer.lastName,
        phone: customer.phone,
        vip_status: customer.vipStatus,
        member_tier: customer.memberTier,
        tags: customer.tags ?? [],
        total_bookings: figures.totalBookings,
        total_spent: centsToDollars(figures.totalSpentCents),
        total_spent_cents: figures.totalSpentCents,
        last_booking_at: figures.lastBookingAt?.toISOString() ?? null,
        created_at: customer.createdAt.toISOString(),
      },
      preferences: customer.preferences,
      booking_history: history.map((b) => toBookingResponse(b, null)),
      upcoming_bookings: upcoming.map((b) => toBookingResponse(b, qr.get(b.id) ?? null)),
      loyalty_points: loyaltyPointsFor(played),
    };
  }

  /** Seed `PATCH /customers/{id}/preferences`: a partial, key-by-key merge. */
  async updatePreferences(
    principal: Principal | null,
    id: string,
    body: UpdatePreferencesBody,
  ): Promise<CustomerResponse> {
    const { scope } = await this.authorise(principal, id, 'read');
    if (body.preferred_simulator && !(await this.repo.bayExists(body.preferred_simulator))) {
      throw badRequest('preferred_simulator', `simulator ${body.preferred_simulator} does not exist`);
    }
    const updated = await this.db.transaction(async (tx) => {
      const row = (await this.repo.lockById(tx, id))!;
      const next: Record<string, unknown> = { ...row.preferences };
      if (body.preferred_simulator !== undefined) next.preferred_simulator = body.preferred_simulator;
      if (body.preferred_times !== undefined) next.preferred_times = body.preferred_times;
      if (body.notifications !== undefined) {
        const current = (row.preferences.notifications ?? {}) as Record<string, unknown>;
        next.notifications = { ...current, ...body.notifications };
        const problem = channelChoiceProblem(next);
        if (problem) throw badRequest('notifications', problem);
        // A kind kept to the one channel being switched off would lose its door PIN's last way.
        for (const [kind, channels] of await this.kindChoices(id, tx)) {
          const lost = kindChannelsProblem(kind, channels, next);
          if (lost) throw badRequest('notifications', lost);
        }
      }
      return this.repo.setPreferences(tx, id, next);
    });
    return this.view(updated, scope);
  }

  /** GDPR access: every row the cloud keeps about the customer (password hashes excepted). */
  async export(principal: Principal | null, id: string): Promise<CustomerExport> {
    const { customer } = await this.authorise(principal, id, 'gdpr');
    const [accounts, bookings, waitlist] = await Promise.all([
      this.repo.accountsOf(id),
      this.repo.allBookingsOf(id),
      this.repo.waitlistOf(id),
    ]);
    const tokens = await this.repo.accessTokensOf(bookings.map((b) => b.booking.id));
    return {
      exported_at: new Date().toISOString(),
      customer: exportRecord(customer),
      accounts: accounts.map((a) => exportRecord(a)),
      bookings: bookings.map((b) => ({
        ...exportRecord(b.booking),
        facility_name: b.facilityName,
        facility_timezone: b.timezone,
      })),
      access_tokens: tokens.map((t) => exportRecord(t)),
      waitlist_entries: waitlist.map((w) => exportRecord(w)),
    };
  }

  /**
   * GDPR erasure. Personal fields are blanked and login accounts disabled, but bookings stay for
   * the accounts (now pointing at an anonymous customer). Future bookings are cancelled under the
   * facility's cancellation policy and their door credentials revoked through the change log, so
   * the edge stops admitting them; open holds and waitlist entries are dropped. One transaction.
   */
  async erase(principal: Principal | null, id: string): Promise<CustomerErasure> {
    await this.authorise(principal, id, 'gdpr');
    const erasedAt = new Date();
    const outcome = await this.db.transaction(async (tx) => {
      const row = await this.repo.lockById(tx, id);
      if (!row || row.deletedAt) throw notFound('customer', id);
      const future = await this.repo.lockFutureActive(tx, id, erasedAt);
      const holds = future.filter((b) => b.status === 'pending' && b.holdExpiresAt);
      const real = future.filter((b) => !holds.includes(b));
      await this.repo.deleteHolds(
        tx,
        holds.map((h) => h.id),
      );
      const settings = new Map<string, Record<string, unknown>>();
      const cancelled: CustomerBookingRow[] = [];
      let refunded = 0;
      for (const booking of real) {
        if (!settings.has(booking.facilityId)) {
          settings.set(booking.facilityId, await this.repo.facilitySettings(booking.facilityId, tx));
        }
        const policy = cancellationPolicyFromSettings(settings.get(booking.facilityId)!);
        const refund = evaluateCancellation({
          policy,
          priceCents: booking.priceCents,
          start: booking.startTime.getTime(),
          now: erasedAt.getTime(),
        }).refund_cents;
        // Only a counted booking's refund: a pending one (not a hold) never entered the total.
        if (countsInTotals(booking)) refunded += refund;
        cancelled.push(
          await this.repo.cancelBooking(tx, booking.id, {
            reason: ERASURE_REASON,
            refundCents: refund,
            paymentStatus: refund > 0 ? 'refund_due' : booking.paymentStatus,
          }),
        );
      }
      // The refunds leave the customer's total spent, as a cancellation's do, in this transaction
      // (the row is locked above).
      if (refunded > 0) await addCustomerTotals(tx, id, 0, -refunded);
      const revoked = await this.repo.revokeAccessTokens(
        tx,
        cancelled.map((b) => b.id),
      );
      const left = await this.repo.leaveWaitlist(tx, id);
      const disabled = await this.repo.disableAccounts(tx, id, erasedAt);
      const anonymous = await this.repo.anonymise(tx, id, erasedAt);
      // Change log last: its per-facility counter lock is then held only until commit. Edges
      // that replicate the customer get the blanked record.
      for (const facilityId of await this.repo.facilityIdsOf(id, tx)) {
        await this.changeLog.append(tx, facilityId, 'customer', 'upsert', id, exportRecord(anonymous));
      }
      for (const booking of cancelled) {
        await this.changeLog.append(
          tx,
          booking.facilityId,
          'booking',
          'upsert',
          booking.id,
          toFeedPayload(booking),
        );
        // The QR token keeps a valid signature: the edge must refuse it from now on.
        await this.changeLog.append(tx, booking.facilityId, 'revocation', 'upsert', booking.id, {
          booking_id: booking.id,
          revoked_at: erasedAt.toISOString(),
          valid_until: new Date(booking.endTime.getTime() + ACCESS_GRACE_MS).toISOString(),
          reason: 'customer_erased',
        });
      }
      return { cancelled, holds, revoked, left, disabled };
    });
    for (const row of [...outcome.cancelled, ...outcome.holds]) {
      try {
        this.onFreed(row);
      } catch {
        // Offering the freed time is a courtesy; it must not turn a committed erasure into an error.
      }
    }
    return {
      id,
      erased_at: erasedAt.toISOString(),
      cancelled_bookings: outcome.cancelled.map((b) => b.id),
      revoked_credentials: outcome.revoked,
      disabled_accounts: outcome.disabled,
      left_waitlist_entries: outcome.left,
    };
  }
}
