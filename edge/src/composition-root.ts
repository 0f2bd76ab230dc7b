import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BayPreferences } from '@clubos/shared/mqtt';
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { AlertService } from './alerts/alert.service.js';
import { AuthService } from './auth/auth.service.js';
import { BayHealthService } from './bays/bay-health.service.js';
import { type FacilityControlConfig, loadFacilityControlConfig } from './bays/facility-control.config.js';
import { NinjaJobWorker } from './bays/ninja-job.worker.js';
import { NinjaOneClient } from './bays/ninjaone.client.js';
import { BookingService } from './bookings/booking.service.js';
import { DeviceAuthService } from './broker/device-auth.service.js';
import { DeviceMessageHandler } from './broker/device-message.handler.js';
import { EdgeBroker } from './broker/edge-broker.js';
import type { EdgeConfig } from './config.js';
import { type EdgeDatabase, openDatabase } from './db/database.js';
import { DoorAccessService } from './doors/door-access.service.js';
import { DoorEventsService } from './doors/door-events.service.js';
import { facilityDoors } from './doors/door-lookup.repository.js';
import { EmergencyService } from './doors/emergency.service.js';
import { RemoteUnlockService } from './doors/remote-unlock.service.js';
import { UnifiAccessClient } from './doors/unifi-access.client.js';
import { UnifiProvisioningService } from './doors/unifi-provisioning.service.js';
import { UnifiWebhookService } from './doors/unifi-webhook.service.js';
import { IdempotencyService } from './idempotency/idempotency.service.js';
import { type CloudPayments, CloudPaymentsClient } from './payments/cloud-payments.client.js';
import { WalkInDuesService } from './payments/walk-in-dues.service.js';
import { WalkInPaymentService } from './payments/walk-in-payment.service.js';
import { walkInPolicyReader } from './payments/walk-in-policy.js';
import type { SessionBooking } from './sessions/session.repository.js';
import { SessionAutomationService } from './sessions/session-automation.service.js';
import { CloudFeedClient } from './sync/cloud-feed.client.js';
import type { CloudFeed } from './sync/cloud-feed.js';
import { createForwarder } from './sync/forwarder.js';
import { LinkState } from './sync/link-state.js';
import { OutboxUploader } from './sync/outbox-uploader.js';
import { PullLoop } from './sync/pull-loop.js';
import { readSyncState } from './sync/replica.repository.js';
import { createWalkInAckHandler } from './walk-ins/reconciliation.service.js';
import { WALK_IN_EVENT } from './walk-ins/walk-in.event.js';
import { WalkInService } from './walk-ins/walk-in.service.js';
import { fileKeyStore, memoryKeyStore } from './walk-ins/walk-in-credentials.js';

/** How long a kiosk sale waits for the cloud before selling under the offline rule. */
const FORWARD_TIMEOUT_MS = 3_000;

/** How doors and bays are built: external systems, the broker's port, preferences. */
export interface FacilityControlSetup {
  /** Default: nothing external configured (`loadFacilityControlConfig({})`). */
  control?: FacilityControlConfig;
  /** Substitute clients (tests, demo); default: built from `control`. */
  unifi?: UnifiAccessClient | null;
  ninjaone?: NinjaOneClient | null;
  /** Overrides `config.mqttPort` (tests use 0). */
  mqttPort?: number;
  /** Overrides where `session.prepare` preferences come from (default: the booking's replicated ones). */
  preferencesOf?: (booking: SessionBooking) => BayPreferences;
}

/** Doors, bays and their devices, as one object the plugin runs and tests and the bench drive. */
export interface FacilityControl {
  control: FacilityControlConfig;
  broker: EdgeBroker;
  devices: DeviceAuthService;
  alerts: AlertService;
  doors: DoorAccessService;
  sessions: SessionAutomationService;
  ninjaJobs: NinjaJobWorker | null;
  health: BayHealthService | null;
  provisioning: UnifiProvisioningService | null;
  doorEvents: DoorEventsService | null;
  emergency: EmergencyService | null;
  remoteUnlock: RemoteUnlockService | null;
  /** Door events pushed by UniFi; null without `UNIFI_WEBHOOK_URL` (polling only). */
  webhooks: UnifiWebhookService | null;
  /** Resolves when every device message received so far has been handled (scans answered). */
  settled(): Promise<void>;
}

/** Every repository-backed service of the edge, built once per process (or per test app). */
export interface EdgeServices {
  config: EdgeConfig;
  database: EdgeDatabase;
  now: () => number;
  /** Null when no cloud is configured. */
  sync: { link: LinkState; pull: PullLoop; uploader: OutboxUploader } | null;
  auth: AuthService;
  bookings: BookingService;
  walkIns: WalkInService;
  /** Walk-ins paid on the card reader or, offline, "to collect" (src/payments/). */
  walkInPayments: WalkInPaymentService;
  walkInDues: WalkInDuesService;
  idempotency: IdempotencyService;
  facility: FacilityControl;
}

export interface ComposeEdgeOptions {
  config: EdgeConfig;
  log: FastifyBaseLogger;
  /** A substitute for the HTTP feed client (tests); by default one is built from CLOUD_URL. */
  feed?: CloudFeed;
  /** A substitute for the cloud's payment endpoints (tests); by default built from CLOUD_URL. */
  cloudPayments?: CloudPayments;
  now?: () => number;
  facilityControl?: FacilityControlSetup;
}

/**
 * The edge's composition root: the only place its services are constructed. Nothing here starts a
 * timer, a loop or a socket; the plugins do that on ready and stop it on close. Order: config →
 * database → sync link and loops → domain services → facility control (docs/architecture.md).
 */
export function composeEdge(options: ComposeEdgeOptions): EdgeServices {
  // 1. Config and clock.
  const { config, log } = options;
  const now = options.now ?? Date.now;
  // 2. The database (repositories are functions over it, owned by their modules).
  const database = openDatabase(config.databaseFile);
  // 3. The cloud link: feed client, link state, pull loop, outbox uploader.
  const sync = composeSync(options, database, now);
  // 4. Domain services. Walk-ins wake the loops so a sale reaches the cloud (and back) at once.
  const walkIns = new WalkInService({
    database,
    forward: sync === null ? null : createForwarder(sync.feed, sync.link, FORWARD_TIMEOUT_MS),
    wakeUploader: () => sync?.uploader.wake(),
    wakePull: () => sync?.pull.wake(),
    now,
    phoneRegion: config.phoneRegion ?? 'US',
    // Beside the database, so walk-in QR tokens keep opening doors after a restart.
    signingKeys:
      config.databaseFile === ':memory:'
        ? memoryKeyStore()
        : fileKeyStore(path.join(path.dirname(config.databaseFile), 'walk-in-signing.key')),
  });
  const cloudPayments =
    options.cloudPayments ??
    (config.cloudUrl === ''
      ? null
      : new CloudPaymentsClient({
          baseUrl: config.cloudUrl,
          edgeKey: config.edgeKey,
          requestTimeoutMs: FORWARD_TIMEOUT_MS,
        }));
  const walkInPayments = new WalkInPaymentService({
    database,
    walkIns,
    cloud: cloudPayments,
    link: sync?.link ?? null,
    policy: walkInPolicyReader(database, config.walkInPayment),
    now,
  });
  const walkInDues = new WalkInDuesService(database, cloudPayments, now);
  const auth = new AuthService(database, config.staffSessionMs, now);
  const bookings = new BookingService(database, config.accessTokenPublicKey, now, () =>
    walkIns.signingKeys.publicKey(),
  );
  const idempotency = new IdempotencyService(database, now);
  // 5. Facility control: doors trust the walk-in key beside the cloud's.
  const facility = composeFacilityControl(
    options.facilityControl ?? {},
    { config, database, now, walkIns },
    log.child({ component: 'facility-control' }) as unknown as Logger,
  );
  return {
    config,
    database,
    now,
    sync: sync === null ? null : { link: sync.link, pull: sync.pull, uploader: sync.uploader },
    auth,
    bookings,
    walkIns,
    walkInPayments,
    walkInDues,
    idempotency,
    facility,
  };
}

function composeSync(options: ComposeEdgeOptions, database: EdgeDatabase, now: () => number) {
  const { config, log } = options;
  const feed =
    options.feed ??
    (config.cloudUrl === ''
      ? null
      : new CloudFeedClient({
          baseUrl: config.cloudUrl,
          edgeKey: config.edgeKey,
          requestTimeoutMs: config.sync.requestTimeoutMs,
          facilityId: () => config.facilityId || readSyncState(database.db)?.facility_id || null,
        }));
  if (feed === null) return null;
  const link = new LinkState(log.child({ component: 'sync' }), now);
  const pull = new PullLoop(
    database,
    feed,
    link,
    { ...config.sync, limit: config.sync.pullLimit, facilityId: config.facilityId },
    log.child({ component: 'pull' }),
    now,
  );
  const uploader = new OutboxUploader(
    database,
    feed,
    link,
    { ...config.sync, batchSize: config.sync.uploadBatch },
    log.child({ component: 'outbox' }),
    now,
  );
  uploader.onAck(WALK_IN_EVENT, createWalkInAckHandler(database, now));
  return { feed, link, pull, uploader };
}

function unifiFrom(control: FacilityControlConfig): UnifiAccessClient | null {
  if (control.unifi === null) return null;
  const ca = control.unifi.caFile === null ? undefined : readFileSync(control.unifi.caFile);
  return new UnifiAccessClient({
    baseUrl: control.unifi.baseUrl,
    token: control.unifi.token,
    ...(ca ? { tls: { ca, verifyHostname: false } } : {}),
  });
}

function ninjaFrom(control: FacilityControlConfig, now: () => number): NinjaOneClient | null {
  const n = control.ninjaone;
  if (n === null) return null;
  return new NinjaOneClient({
    baseUrl: n.baseUrl,
    clientId: n.clientId,
    clientSecret: n.clientSecret,
    ...(n.refreshToken ? { refreshToken: n.refreshToken } : {}),
    now,
  });
}

function composeFacilityControl(
  setup: FacilityControlSetup,
  edge: { config: EdgeConfig; database: EdgeDatabase; now: () => number; walkIns: WalkInService },
  log: Logger,
): FacilityControl {
  const { config, database, now, walkIns } = edge;
  const control = setup.control ?? loadFacilityControlConfig({});
  // External clients first (UniFi, NinjaOne), where configured.
  const unifi = setup.unifi === undefined ? unifiFrom(control) : setup.unifi;
  const ninja = setup.ninjaone === undefined ? ninjaFrom(control, now) : setup.ninjaone;
  const facilityId = () => config.facilityId || facilityDoors(database.db).facilityId;

  const alerts = new AlertService(database, log, now);
  const devices = new DeviceAuthService(database, facilityId, now);
  const doors = new DoorAccessService({
    database,
    publicKey: config.accessTokenPublicKey,
    walkInKey: () => walkIns.signingKeys.publicKey(),
    facilityId,
    unlock:
      unifi === null
        ? null
        : (doorId, ctx) =>
            unifi.unlockDoor(
              doorId,
              { id: 'clubos-edge', name: 'ClubOS edge' },
              { booking_id: ctx.bookingId },
            ),
    alerts,
    log,
    now,
  });
  const inFlight = new Set<Promise<void>>();
  // The handler needs the broker's publish; the broker needs the handler: tied after both exist.
  const handler: { current: DeviceMessageHandler | null } = { current: null };
  const broker = new EdgeBroker({
    auth: devices,
    port: setup.mqttPort ?? config.mqttPort,
    log,
    onMessage: (message) => {
      const pending = handler.current?.handle(message);
      if (pending !== undefined) {
        inFlight.add(pending);
        void pending.finally(() => inFlight.delete(pending));
      }
    },
  });
  const publish = (topic: string, payload: string, qos?: 0 | 1) =>
    broker.publish(topic, payload, qos === undefined ? {} : { qos });
  const ninjaJobs = ninja === null ? null : new NinjaJobWorker({ database, client: ninja, alerts, log, now });
  const sessions = new SessionAutomationService({
    database,
    facilityId,
    publish,
    ...(setup.preferencesOf ? { preferencesOf: setup.preferencesOf } : {}),
    wakeNinja: () => {
      ninjaJobs?.runDue().catch((error: unknown) => log.error({ err: error }, 'NinjaOne queue failed'));
    },
    timings: {
      prepareLeadMs: control.prepareLeadMinutes * 60_000,
      warnLeadMs: control.warnLeadMinutes * 60_000,
      noShowGraceMs: control.noShowGraceMinutes * 60_000,
    },
    log,
    now,
  });
  handler.current = new DeviceMessageHandler({
    database,
    doors,
    publish,
    log,
    now,
    onBayOnline: (bayId) => {
      sessions
        .replay(bayId)
        .catch((error: unknown) => log.error({ err: error, bay: bayId }, 'session replay failed'));
    },
  });
  const webhookUrl = control.unifiWebhookUrl ?? null;
  return {
    control,
    broker,
    devices,
    alerts,
    doors,
    sessions,
    ninjaJobs,
    health: ninja === null ? null : new BayHealthService({ database, client: ninja, alerts, log, now }),
    provisioning:
      unifi === null
        ? null
        : new UnifiProvisioningService({
            database,
            client: unifi,
            alerts,
            log,
            now,
            horizonMs: control.provisioningHorizonHours * 3_600_000,
          }),
    doorEvents: unifi === null ? null : new DoorEventsService({ database, client: unifi, alerts, log, now }),
    emergency: unifi === null ? null : new EmergencyService({ database, client: unifi, alerts, log, now }),
    remoteUnlock: unifi === null ? null : new RemoteUnlockService({ database, client: unifi, log, now }),
    webhooks:
      unifi === null || webhookUrl === null
        ? null
        : new UnifiWebhookService({ client: unifi, alerts, log, now, endpoint: webhookUrl }),
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
