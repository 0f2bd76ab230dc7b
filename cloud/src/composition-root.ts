import type { FastifyBaseLogger } from 'fastify';
import { AdminCatalogRepository } from './admin/admin-catalog.repository.js';
import { AdminCatalogService } from './admin/admin-catalog.service.js';
import { AdminPeopleRepository } from './admin/admin-people.repository.js';
import { AdminPeopleService } from './admin/admin-people.service.js';
import { AdminRulesRepository } from './admin/admin-rules.repository.js';
import { AdminRulesService } from './admin/admin-rules.service.js';
import { DashboardRepository } from './admin/dashboard.repository.js';
import { DashboardService } from './admin/dashboard.service.js';
import { AuthRepository } from './auth/auth.repository.js';
import { AuthService } from './auth/auth.service.js';
import { TokenService } from './auth/token.service.js';
import { UserAdminService } from './auth/user-admin.service.js';
import { AvailabilityService } from './availability/availability.service.js';
import { CatalogRepository } from './availability/catalog.repository.js';
import { BookingEvents } from './bookings/booking.events.js';
import { BookingRepository } from './bookings/booking.repository.js';
import { BookingService } from './bookings/booking.service.js';
import { BookingWriter } from './bookings/booking.writer.js';
import { BookingExtendService } from './bookings/booking-extend.service.js';
import { BookingLifecycleService } from './bookings/booking-lifecycle.service.js';
import { BookingSeriesService } from './bookings/booking-series.service.js';
import { CredentialIssuer } from './bookings/credential.issuer.js';
import { buildCluster } from './cluster/cluster.compose.js';
import { DependencyBreakers } from './common/circuit-breaker.js';
import { IdempotencyRepository } from './common/idempotency.repository.js';
import { RateCountersRepository } from './common/rate-counters.repository.js';
import type { CloudConfig } from './config.js';
import { CustomerRepository } from './customers/customer.repository.js';
import { CustomerService } from './customers/customer.service.js';
import type { Database } from './db/client.js';
import { ChangeLogRepository } from './edge-feed/change-log.repository.js';
import { EdgeFeedRepository } from './edge-feed/edge-feed.repository.js';
import { EdgeFeedService } from './edge-feed/edge-feed.service.js';
import { FacilityFeed } from './edge-feed/facility-feed.js';
import { WalkInIngest } from './edge-feed/walk-in.ingest.js';
import { FacilityRepository } from './facilities/facility.repository.js';
import { AttemptLimiter } from './guest-access/attempt-limiter.js';
import { BookingClaimService } from './guest-access/booking-claim.service.js';
import { GuestAccessRepository } from './guest-access/guest-access.repository.js';
import { GuestAccessService } from './guest-access/guest-access.service.js';
import { ManageTokens } from './guest-access/manage-token.js';
import { HealthRepository } from './health/health.repository.js';
import { buildHubspot } from './hubspot/hubspot.compose.js';
import { InAppNotificationRepository } from './notifications/in-app.repository.js';
import { InAppNotificationService } from './notifications/in-app.service.js';
import { LinkTokens } from './notifications/link-tokens.js';
import { NotificationPreferenceRepository } from './notifications/notification-preferences.repository.js';
import { buildNotifications } from './notifications/notifications.compose.js';
import { BookingCheckoutService } from './payments/booking-checkout.service.js';
import { CardOnFileService } from './payments/card-on-file.service.js';
import { CheckoutExpiryService } from './payments/checkout-expiry.service.js';
import { CheckoutReturnService } from './payments/checkout-return.service.js';
import { NoShowFeeService } from './payments/no-show-fee.service.js';
import { NoShowFeesRepository } from './payments/no-show-fees.repository.js';
import { PaymentService } from './payments/payment.service.js';
import { PaymentPolicyRepository } from './payments/payment-policy.repository.js';
import { PaymentPolicyService } from './payments/payment-policy.service.js';
import { PaymentReportsRepository } from './payments/payment-reports.repository.js';
import { PaymentReportsService } from './payments/payment-reports.service.js';
import { PaymentsRepository } from './payments/payments.repository.js';
import { ReceiptsRepository } from './payments/receipts.repository.js';
import { ReceiptsService } from './payments/receipts.service.js';
import { ReconciliationRepository } from './payments/reconciliation.repository.js';
import { ReconciliationService } from './payments/reconciliation.service.js';
import { RefundOutboxRepository } from './payments/refund-outbox.repository.js';
import { RefundOutboxWorker } from './payments/refund-outbox.worker.js';
import { RefundPolicyService } from './payments/refund-policy.service.js';
import { RescheduleDifferenceService } from './payments/reschedule-difference.service.js';
import { SavedCardChargeService } from './payments/saved-card-charge.service.js';
import { createStripeClient } from './payments/stripe.client.js';
import { StripeEventsRepository } from './payments/stripe-events.repository.js';
import { StripeWebhookService } from './payments/stripe-webhook.service.js';
import { TerminalRepository } from './payments/terminal.repository.js';
import { TerminalPaymentService } from './payments/terminal-payment.service.js';
import { WalkInDuesService } from './payments/walk-in-dues.service.js';
import type { CloudServices } from './services.js';
import { SiteRepository } from './site/site.repository.js';
import { recordEdgeAlert, recordWalkInToCollect } from './staff-alerts/edge-alert.ingest.js';
import { EdgeOfflineMonitor } from './staff-alerts/edge-offline.monitor.js';
import { IntegrationFailureMonitor } from './staff-alerts/integration-failure.monitor.js';
import { StaffAlertRepository } from './staff-alerts/staff-alert.repository.js';
import { StaffAlertService } from './staff-alerts/staff-alert.service.js';
import { WaitlistRepository } from './waitlist/waitlist.repository.js';
import { WaitlistService } from './waitlist/waitlist.service.js';

/**
 * The cloud's one composition root (docs/architecture.md, "One composition root"): every
 * repository and service is built here, once, in a fixed order — repositories, then the shared
 * pieces (credentials, events, the booking writer), then the services that use them. Routes and
 * plugins only take what they need from `app.services`.
 *
 * There is ONE `BookingWriter`: its group commit keeps one queue and at most one batch in flight
 * per facility (docs/decisions/016-booking-group-commit.md), whichever route the write came from.
 */
export function buildServices(db: Database, config: CloudConfig, log: FastifyBaseLogger): CloudServices {
  // Repositories: each owns its tables.
  const authRepository = new AuthRepository(db);
  const idempotency = new IdempotencyRepository(db);
  const facilityRepository = new FacilityRepository(db);
  const catalogRepository = new CatalogRepository(db, facilityRepository);
  const changeLog = new ChangeLogRepository(db);
  const bookingRepository = new BookingRepository(db);
  const edgeFeedRepository = new EdgeFeedRepository(db);
  const notificationPreferenceRepository = new NotificationPreferenceRepository(db);
  const customerRepository = new CustomerRepository(db);
  const waitlistRepository = new WaitlistRepository(db);
  const guestAccessRepository = new GuestAccessRepository(db);
  const adminCatalogRepository = new AdminCatalogRepository(db);
  const health = new HealthRepository(db);
  const site = new SiteRepository(db);
  const paymentsRepository = new PaymentsRepository(db);
  const refundOutboxRepository = new RefundOutboxRepository(db);
  const noShowFeesRepository = new NoShowFeesRepository(db);

  // Shared pieces: tokens and credentials, after-commit events, the one booking writer.
  const tokens = new TokenService(config.jwtSecret, config.accessTokenTtlSeconds);
  const credentials = new CredentialIssuer(config.accessSigningKey);
  const bookingEvents = new BookingEvents();
  const bookingWriter = new BookingWriter(db, bookingRepository, changeLog, credentials);
  const rateCounters = new RateCountersRepository(db);
  const guessLimiter = new AttemptLimiter(rateCounters);
  const manageTokens = new ManageTokens(config.jwtSecret);
  // One circuit breaker per outside service, shared by every caller of it.
  const breakers = new DependencyBreakers({
    failures: config.resilience.breakerFailures,
    openMs: config.resilience.breakerOpenMs,
  });
  // Null without STRIPE_SECRET_KEY: the venue is paid at the venue.
  const stripe = createStripeClient(config.payments, breakers.stripe);
  const paymentPolicyRepository = new PaymentPolicyRepository(db);
  const facilityFeed = new FacilityFeed(paymentPolicyRepository, changeLog, edgeFeedRepository);
  const paymentPolicies = new PaymentPolicyService(
    paymentPolicyRepository,
    facilityRepository,
    stripe !== null,
    db,
    facilityFeed,
  );

  // Services.
  const auth = new AuthService(
    db,
    authRepository,
    tokens,
    config.refreshTokenTtlSeconds,
    new UserAdminService(db, authRepository),
    config.notifications.phoneRegion,
  );
  const availability = new AvailabilityService(facilityRepository, db, catalogRepository);
  const payments = new PaymentService(
    db,
    paymentsRepository,
    bookingRepository,
    paymentPolicies,
    stripe,
    refundOutboxRepository,
  );
  const logRefundError = (error: unknown, refundId: string) =>
    log.warn({ err: error, refundId }, 'refund not sent to Stripe yet (kept in the outbox)');
  // Cancellation refunds by policy, a move's difference, no-show fees (docs/decisions/018-payments.md).
  const refundPolicy = new RefundPolicyService(
    db,
    stripe ? payments : null,
    refundOutboxRepository,
    logRefundError,
  );
  const rescheduleDifference = new RescheduleDifferenceService(
    stripe ? payments : null,
    paymentsRepository,
    paymentPolicies,
    refundPolicy,
    new SavedCardChargeService(db, paymentsRepository, noShowFeesRepository, stripe),
    (bookingId, message) =>
      log.warn({ bookingId, reason: message }, "a move's difference was not charged on the saved card"),
  );
  const noShowFees = new NoShowFeeService(
    db,
    noShowFeesRepository,
    paymentsRepository,
    paymentPolicyRepository,
    stripe,
    (error, bookingId) => log.warn({ err: error, bookingId }, 'no-show fee not charged yet'),
  );
  // A payment's success confirms its booking (the webhook or the return page, whichever first).
  const bookingCheckout = new BookingCheckoutService(
    db,
    bookingRepository,
    paymentsRepository,
    facilityRepository,
    paymentPolicies,
    payments,
    bookingWriter,
    changeLog,
    stripe,
  );
  const stripeWebhooks = new StripeWebhookService(
    db,
    new StripeEventsRepository(db),
    paymentsRepository,
    config.payments.webhookSecret,
    (error, eventId, retried) =>
      retried
        ? log.warn(
            { err: error, eventIds: eventId },
            'stripe webhook batch rolled back; applying its events one by one',
          )
        : log.error({ err: error, eventId }, 'stripe event could not be applied'),
    bookingCheckout,
  );
  const bookingLifecycle = new BookingLifecycleService(
    db,
    bookingRepository,
    facilityRepository,
    availability,
    changeLog,
    credentials,
    bookingEvents,
    refundPolicy,
    rescheduleDifference,
  );
  const terminalRepository = new TerminalRepository(db);
  const paymentReports = new PaymentReportsService(
    new PaymentReportsRepository(db),
    facilityRepository,
    terminalRepository,
  );
  const terminalPayments = new TerminalPaymentService(
    db,
    paymentsRepository,
    terminalRepository,
    paymentPolicies,
    stripe,
  );
  const staffAlertRepository = new StaffAlertRepository(db);
  const walkInDues = new WalkInDuesService(
    db,
    terminalRepository,
    paymentsRepository,
    paymentPolicies,
    terminalPayments,
  );
  const waitlist = new WaitlistService(
    db,
    waitlistRepository,
    facilityRepository,
    availability,
    bookingWriter,
  );
  return {
    ...buildCluster(config, log),
    rateCounters,
    tokens,
    authRepository,
    auth,
    idempotency,
    facilityRepository,
    changeLog,
    credentials,
    bookingEvents,
    bookingWriter,
    availability,
    bookings: new BookingService(
      db,
      bookingRepository,
      facilityRepository,
      availability,
      bookingWriter,
      config.holdTtlSeconds,
      stripe ? bookingCheckout : null,
      config.notifications.phoneRegion,
    ),
    bookingLifecycle,
    bookingSeries: new BookingSeriesService(
      db,
      bookingRepository,
      facilityRepository,
      availability,
      bookingWriter,
      config.notifications.phoneRegion,
    ),
    edgeFeedRepository,
    edgeFeed: new EdgeFeedService(
      db,
      edgeFeedRepository,
      changeLog,
      facilityRepository,
      credentials,
      new WalkInIngest(db, bookingRepository, facilityRepository, bookingWriter, (tx, bookingId) =>
        walkInDues.followPaid(tx, bookingId),
      ),
      facilityFeed,
      noShowFees,
      async (tx, facilityId, bookingId, amountCents) => {
        await walkInDues.record(tx, facilityId, bookingId, amountCents);
        await recordWalkInToCollect(staffAlertRepository, tx, facilityId, bookingId, amountCents);
      },
      (tx, edge, payload) => recordEdgeAlert(staffAlertRepository, tx, edge, payload),
    ),
    // Time freed by an erasure goes to the waitlist exactly like a cancellation's.
    customers: new CustomerService(
      db,
      customerRepository,
      bookingRepository,
      changeLog,
      (row) => bookingEvents.emit('cancelled', row),
      (customerId, tx) => notificationPreferenceRepository.choices(customerId, tx),
    ),
    waitlist,
    guestAccess: new GuestAccessService(guestAccessRepository, bookingLifecycle, manageTokens, guessLimiter),
    manageTokens,
    bookingClaims: new BookingClaimService(db, guestAccessRepository, changeLog, guessLimiter),
    dashboard: new DashboardService(new DashboardRepository(db), availability, paymentReports),
    adminPeople: new AdminPeopleService(new AdminPeopleRepository(db)),
    adminCatalog: new AdminCatalogService(db, adminCatalogRepository, changeLog, facilityFeed),
    adminRules: new AdminRulesService(db, new AdminRulesRepository(db), adminCatalogRepository, changeLog),
    health,
    site,
    stripe,
    paymentPolicies,
    paymentReports,
    reconciliation: new ReconciliationService(new ReconciliationRepository(db), stripe, (message, details) =>
      log.warn(details, message),
    ),
    terminalPayments,
    walkInDues,
    breakers,
    ...buildHubspot(db, config.hubspot, log, breakers),
    payments,
    refundPolicy,
    refundOutbox: new RefundOutboxWorker(refundOutboxRepository, payments, logRefundError),
    noShowFees,
    ...buildNotifications(
      db,
      config,
      log,
      breakers,
      (entryId, holdId) => waitlist.acceptOffer(entryId, holdId),
      new BookingExtendService(db, bookingRepository, availability, changeLog, rescheduleDifference),
    ),
    inAppNotifications: new InAppNotificationService(new InAppNotificationRepository(db)),
    staffAlerts: new StaffAlertService(staffAlertRepository),
    edgeOffline: new EdgeOfflineMonitor(db),
    integrationFailures: new IntegrationFailureMonitor(db),
    receipts: new ReceiptsService(
      bookingRepository,
      paymentsRepository,
      new ReceiptsRepository(db),
      manageTokens,
      new LinkTokens(config.jwtSecret),
    ),
    cardOnFile: new CardOnFileService(noShowFeesRepository, paymentPolicies, facilityRepository, stripe),
    stripeWebhooks,
    bookingCheckout,
    checkoutReturn: new CheckoutReturnService(
      db,
      bookingRepository,
      paymentsRepository,
      stripeWebhooks,
      bookingCheckout,
      stripe,
    ),
    checkoutExpiry: new CheckoutExpiryService(
      db,
      bookingRepository,
      paymentsRepository,
      bookingCheckout,
      stripe,
    ),
  };
}
