import type Stripe from 'stripe';
import type { AdminCatalogService } from './admin/admin-catalog.service.js';
import type { AdminPeopleService } from './admin/admin-people.service.js';
import type { AdminRulesService } from './admin/admin-rules.service.js';
import type { DashboardService } from './admin/dashboard.service.js';
import type { AuthRepository } from './auth/auth.repository.js';
import type { AuthService } from './auth/auth.service.js';
import type { TokenService } from './auth/token.service.js';
import type { AvailabilityService } from './availability/availability.service.js';
import type { BookingEvents } from './bookings/booking.events.js';
import type { BookingService } from './bookings/booking.service.js';
import type { BookingWriter } from './bookings/booking.writer.js';
import type { BookingLifecycleService } from './bookings/booking-lifecycle.service.js';
import type { BookingSeriesService } from './bookings/booking-series.service.js';
import type { CredentialIssuer } from './bookings/credential.issuer.js';
import type { LeaderLease } from './cluster/leader-lease.js';
import type { PeriodicWork } from './cluster/periodic-work.js';
import type { DependencyBreakers } from './common/circuit-breaker.js';
import type { IdempotencyRepository } from './common/idempotency.repository.js';
import type { RateCountersRepository } from './common/rate-counters.repository.js';
import type { CloudConfig } from './config.js';
import type { CustomerService } from './customers/customer.service.js';
import type { Database } from './db/client.js';
import type { ChangeLogRepository } from './edge-feed/change-log.repository.js';
import type { EdgeFeedRepository } from './edge-feed/edge-feed.repository.js';
import type { EdgeFeedService } from './edge-feed/edge-feed.service.js';
import type { FacilityRepository } from './facilities/facility.repository.js';
import type { BookingClaimService } from './guest-access/booking-claim.service.js';
import type { GuestAccessService } from './guest-access/guest-access.service.js';
import type { ManageTokens } from './guest-access/manage-token.js';
import type { HealthRepository } from './health/health.repository.js';
import type { HubspotCrmClient } from './hubspot/hubspot-crm.client.js';
import type { HubspotSyncService } from './hubspot/hubspot-sync.service.js';
import type { HubspotSyncWorker } from './hubspot/hubspot-sync.worker.js';
import type { InAppNotificationService } from './notifications/in-app.service.js';
import type { NotificationQueue } from './notifications/notification.queue.js';
import type { NotificationPreferencesService } from './notifications/notification-preferences.service.js';
import type { NotificationStatusService } from './notifications/notification-status.service.js';
import type { SmsWebhookService } from './notifications/sms-webhook.service.js';
import type { BookingCheckoutService } from './payments/booking-checkout.service.js';
import type { CardOnFileService } from './payments/card-on-file.service.js';
import type { CheckoutExpiryService } from './payments/checkout-expiry.service.js';
import type { CheckoutReturnService } from './payments/checkout-return.service.js';
import type { NoShowFeeService } from './payments/no-show-fee.service.js';
import type { PaymentService } from './payments/payment.service.js';
import type { PaymentPolicyService } from './payments/payment-policy.service.js';
import type { PaymentReportsService } from './payments/payment-reports.service.js';
import type { ReceiptsService } from './payments/receipts.service.js';
import type { ReconciliationService } from './payments/reconciliation.service.js';
import type { RefundOutboxWorker } from './payments/refund-outbox.worker.js';
import type { RefundPolicyService } from './payments/refund-policy.service.js';
import type { StripeWebhookService } from './payments/stripe-webhook.service.js';
import type { TerminalPaymentService } from './payments/terminal-payment.service.js';
import type { WalkInDuesService } from './payments/walk-in-dues.service.js';
import type { SiteRepository } from './site/site.repository.js';
import type { EdgeOfflineMonitor } from './staff-alerts/edge-offline.monitor.js';
import type { IntegrationFailureMonitor } from './staff-alerts/integration-failure.monitor.js';
import type { StaffAlertService } from './staff-alerts/staff-alert.service.js';
import type { WaitlistService } from './waitlist/waitlist.service.js';

/**
 * The application's repositories and services, built once in composition-root.ts and reachable
 * from every route plugin as `app.services`. A new feature adds its service here and constructs it
 * in `buildServices`; a route never constructs one.
 */
export interface CloudServices {
  /** Circuit breakers around HubSpot, Stripe, SMTP and Twilio (their state shows in /health). */
  breakers: DependencyBreakers;
  /** Which instance runs the periodic work (an advisory lock on PostgreSQL; always this one on PGlite). */
  leaderLease: LeaderLease;
  /** The background timers; only the lease holder runs their passes. */
  periodicWork: PeriodicWork;
  /** Counters shared by every instance: rate limits, wrong guesses per booking code. */
  rateCounters: RateCountersRepository;
  tokens: TokenService;
  authRepository: AuthRepository;
  auth: AuthService;
  idempotency: IdempotencyRepository;
  facilityRepository: FacilityRepository;
  changeLog: ChangeLogRepository;
  credentials: CredentialIssuer;
  /** After-commit booking notifications (the waitlist listens for `cancelled`). */
  bookingEvents: BookingEvents;
  /** The one booking writer: one group-commit queue per facility for every route that books. */
  bookingWriter: BookingWriter;
  availability: AvailabilityService;
  bookings: BookingService;
  bookingLifecycle: BookingLifecycleService;
  bookingSeries: BookingSeriesService;
  edgeFeedRepository: EdgeFeedRepository;
  edgeFeed: EdgeFeedService;
  customers: CustomerService;
  waitlist: WaitlistService;
  guestAccess: GuestAccessService;
  manageTokens: ManageTokens;
  bookingClaims: BookingClaimService;
  dashboard: DashboardService;
  adminPeople: AdminPeopleService;
  adminCatalog: AdminCatalogService;
  adminRules: AdminRulesService;
  health: HealthRepository;
  site: SiteRepository;
  /** The HubSpot CRM client and sync worker, null without HUBSPOT_ACCESS_TOKEN. */
  hubspotCrm: HubspotCrmClient | null;
  hubspotWorker: HubspotSyncWorker | null;
  /** Customer email's job queue; null without SMTP_URL (messages wait in the outbox). */
  notificationQueue: NotificationQueue | null;
  notificationStatus: NotificationStatusService;
  /** A customer's channels per message kind (account page, email links). */
  notificationPreferences: NotificationPreferencesService;
  /** The customer's in-app notifications (their outbox rows, read marks). */
  inAppNotifications: InAppNotificationService;
  /** Staff alerts per facility (the edge's incidents, recorded once). */
  staffAlerts: StaffAlertService;
  /** Records an alert when an edge stays silent longer than its facility allows. */
  edgeOffline: EdgeOfflineMonitor;
  smsWebhooks: SmsWebhookService;
  /** HubSpot or email failing → one staff alert per incident. */
  integrationFailures: IntegrationFailureMonitor;
  /** The sync's status for the admin routes. */
  hubspotSync: HubspotSyncService;
  /** The Stripe SDK, or null without STRIPE_SECRET_KEY (pay at the venue). */
  stripe: Stripe | null;
  paymentPolicies: PaymentPolicyService;
  paymentReports: PaymentReportsService;
  /** The nightly comparison of Stripe's records with ours. */
  reconciliation: ReconciliationService;
  /** Checkout Sessions and refunds through Stripe. */
  payments: PaymentService;
  /** Cancellation refunds by policy (to the card or at the venue), staff overrides. */
  refundPolicy: RefundPolicyService;
  /** Retries refunds Stripe has not answered, from their outbox rows. */
  refundOutbox: RefundOutboxWorker;
  /** No-show fees charged off session on the saved card; failures kept for staff. */
  noShowFees: NoShowFeeService;
  /** Receipts of each payment and refund of a booking. */
  receipts: ReceiptsService;
  /** Cards saved at Stripe (setup Checkout) with the customer's consent. */
  cardOnFile: CardOnFileService;
  /** Verified, stored, applied-once Stripe webhook events. */
  stripeWebhooks: StripeWebhookService;
  /** Bookings confirmed by their payment; null without Stripe. */
  bookingCheckout: BookingCheckoutService;
  checkoutReturn: CheckoutReturnService;
  checkoutExpiry: CheckoutExpiryService;
  /** Walk-ins charged on the facility's card reader, driven by the edge. */
  terminalPayments: TerminalPaymentService;
  /** Walk-ins sold offline "to collect" and their settlement. */
  walkInDues: WalkInDuesService;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: CloudConfig;
    db: Database;
    dbKind: 'pglite' | 'postgres';
    services: CloudServices;
  }
}
