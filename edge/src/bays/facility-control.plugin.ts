import { readFileSync } from 'node:fs';
import type { BayPreferences } from '@clubos/shared/mqtt';
import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { alertRoutes } from '../alerts/alert.routes.js';
import { AlertService } from '../alerts/alert.service.js';
import { deviceRoutes } from '../broker/device.routes.js';
import { DeviceAuthService } from '../broker/device-auth.service.js';
import { DeviceMessageHandler } from '../broker/device-message.handler.js';
import { EdgeBroker } from '../broker/edge-broker.js';
import type { EdgeConfig } from '../config.js';
import type { EdgeDatabase } from '../db/database.js';
import { doorRoutes } from '../doors/door.routes.js';
import { DoorAccessService } from '../doors/door-access.service.js';
import { DoorEventsService } from '../doors/door-events.service.js';
import { facilityDoors } from '../doors/door-lookup.repository.js';
import { EmergencyService } from '../doors/emergency.service.js';
import { RemoteUnlockService } from '../doors/remote-unlock.service.js';
import { UnifiAccessClient } from '../doors/unifi-access.client.js';
import { UnifiProvisioningService } from '../doors/unifi-provisioning.service.js';
import { unifiWebhookRoutes } from '../doors/unifi-webhook.routes.js';
import { UnifiWebhookService } from '../doors/unifi-webhook.service.js';
import type { SessionBooking } from '../sessions/session.repository.js';
import { SessionAutomationService } from '../sessions/session-automation.service.js';
import { BayHealthService } from './bay-health.service.js';
import { type FacilityControlConfig, loadFacilityControlConfig } from './facility-control.config.js';
import { NinjaJobWorker } from './ninja-job.worker.js';
import { NinjaOneClient } from './ninjaone.client.js';

const BROKER_RETRY_MS = 30_000;

export interface FacilityControlOptions {
  edge: {
    config: EdgeConfig;
    database: EdgeDatabase;
    now: () => number;
    /** The key the edge signs walk-in QR tokens with: its doors trust it beside the cloud's. */
    walkIns?: { signingKeys: { publicKey(): Uint8Array | null } };
  };
  /** Default: nothing external configured (`loadFacilityControlConfig({})`). */
  control?: FacilityControlConfig;
  /** Substitute clients (tests, demo); default: built from `control`. */
  unifi?: UnifiAccessClient | null;
  ninjaone?: NinjaOneClient | null;
  /** Overrides `config.mqttPort` (tests use 0). */
  mqttPort?: number;
  /** Overrides where `session.prepare` preferences come from (default: the booking's replicated ones). */
  preferencesOf?: (booking: SessionBooking) => BayPreferences;
  /** Start the broker (always) and the timers on ready; false leaves the timers to the test. */
  runTimers?: boolean;
  /** Wait between attempts to start a broker whose port was taken (default 30 s). */
  brokerRetryMs?: number;
}

/** Doors, bays and their devices, as one object tests and the bench can drive. */
export interface FacilityControl {
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

declare module 'fastify' {
  interface FastifyInstance {
    facilityControl: FacilityControl;
  }
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

/**
 * Facility control at the edge: the MQTT broker, door decisions, session automation, NinjaOne and
 * UniFi queues, health checks and their LAN routes. The broker starts on ready (devices reconnect
 * by themselves) and every timer and socket stops on close (docs/architecture.md, every timer belongs to a
 * plugin).
 */
export const facilityControlPlugin = fp<FacilityControlOptions>(
  async (app, options) => {
    const { database, now, config } = options.edge;
    const control = options.control ?? loadFacilityControlConfig({});
    const log = app.log.child({ component: 'facility-control' }) as unknown as Logger;
    const unifi = options.unifi === undefined ? unifiFrom(control) : options.unifi;
    const ninja = options.ninjaone === undefined ? ninjaFrom(control, now) : options.ninjaone;
    const facilityId = () => config.facilityId || facilityDoors(database.db).facilityId;

    const alerts = new AlertService(database, log, now);
    const devices = new DeviceAuthService(database, facilityId, now);
    const doors = new DoorAccessService({
      database,
      publicKey: config.accessTokenPublicKey,
      walkInKey: () => options.edge.walkIns?.signingKeys.publicKey() ?? null,
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
      port: options.mqttPort ?? config.mqttPort,
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
    const ninjaJobs =
      ninja === null ? null : new NinjaJobWorker({ database, client: ninja, alerts, log, now });
    const sessions = new SessionAutomationService({
      database,
      facilityId,
      publish,
      ...(options.preferencesOf ? { preferencesOf: options.preferencesOf } : {}),
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
    const messages = new DeviceMessageHandler({
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
    handler.current = messages;
    const health =
      ninja === null ? null : new BayHealthService({ database, client: ninja, alerts, log, now });
    const provisioning =
      unifi === null
        ? null
        : new UnifiProvisioningService({
            database,
            client: unifi,
            alerts,
            log,
            now,
            horizonMs: control.provisioningHorizonHours * 3_600_000,
          });
    const doorEvents =
      unifi === null ? null : new DoorEventsService({ database, client: unifi, alerts, log, now });
    const emergency =
      unifi === null ? null : new EmergencyService({ database, client: unifi, alerts, log, now });
    const remoteUnlock =
      unifi === null ? null : new RemoteUnlockService({ database, client: unifi, log, now });
    const webhookUrl = control.unifiWebhookUrl ?? null;
    const webhooks =
      unifi === null || webhookUrl === null
        ? null
        : new UnifiWebhookService({ client: unifi, alerts, log, now, endpoint: webhookUrl });

    const facility: FacilityControl = {
      broker,
      devices,
      alerts,
      doors,
      sessions,
      ninjaJobs,
      health,
      provisioning,
      doorEvents,
      emergency,
      remoteUnlock,
      webhooks,
      settled: async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      },
    };
    app.decorate('facilityControl', facility);

    await app.register(
      async (api) => {
        await api.register(doorRoutes, { doors, emergency, remoteUnlock });
        await api.register(unifiWebhookRoutes, { webhooks });
        await api.register(alertRoutes, { alerts });
        await api.register(deviceRoutes, { devices, database });
      },
      { prefix: '/api/v1' },
    );

    const tasks: ScheduledTask[] = [];
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, fn: () => Promise<unknown>, what: string) => {
      const timer = setInterval(() => {
        fn().catch((error: unknown) => log.error({ err: error }, `${what} failed`));
      }, ms);
      timer.unref();
      timers.push(timer);
    };
    let brokerRetry: NodeJS.Timeout | null = null;
    // A taken port must not take the LAN API (kiosk check-in, staff console) down with it: the
    // failure is a critical staff alert and the broker keeps trying to start.
    const startBroker = async () => {
      brokerRetry = null;
      try {
        await broker.start();
        alerts.resolve('mqtt_broker_down');
        log.info({ port: broker.port }, 'MQTT broker listening');
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        alerts.raise({
          dedupe_key: 'mqtt_broker_down',
          kind: 'mqtt_broker_down',
          severity: 'critical',
          subject: null,
          message: `the MQTT broker cannot listen on port ${options.mqttPort ?? config.mqttPort} (${message}); bays and door scanners are cut off`,
        });
        brokerRetry = setTimeout(() => void startBroker(), options.brokerRetryMs ?? BROKER_RETRY_MS);
        brokerRetry.unref();
      }
    };
    app.addHook('onReady', async () => {
      await startBroker();
      if (options.runTimers === false) return;
      tasks.push(
        cron.schedule(`*/${control.sessionTickSeconds} * * * * *`, () => sessions.tick(), {
          name: 'edge-sessions',
          noOverlap: true,
        }),
      );
      if (ninjaJobs !== null) every(5_000, () => ninjaJobs.runDue(), 'NinjaOne queue');
      if (health !== null)
        every(control.healthCheckSeconds * 1000, () => health.checkAll(), 'bay health check');
      if (provisioning !== null) {
        every(15_000, () => provisioning.run(), 'UniFi provisioning');
        // A controller that lost our visitors (reset, replaced) gets them back: at start, then hourly.
        const verify = () => provisioning.verifyController().then(() => provisioning.run());
        verify().catch((error: unknown) => log.error({ err: error }, 'UniFi controller check failed'));
        every(3_600_000, verify, 'UniFi controller check');
      }
      if (doorEvents !== null)
        every(control.doorEventPollSeconds * 1000, () => doorEvents.poll(), 'UniFi door events');
      if (webhooks !== null) {
        // Until the controller accepts the subscription, retried at the poll period (polling covers).
        const subscribe = async () => {
          if (!webhooks.registered) await webhooks.register();
        };
        subscribe().catch((error: unknown) => log.warn({ err: error }, 'UniFi webhook subscription failed'));
        every(control.doorEventPollSeconds * 1000, subscribe, 'UniFi webhook subscription');
      }
    });
    app.addHook('onClose', async () => {
      if (brokerRetry !== null) clearTimeout(brokerRetry);
      for (const task of tasks) await task.destroy();
      for (const timer of timers) clearInterval(timer);
      await facility.settled();
      await broker.close();
    });
  },
  { name: 'edge-facility-control' },
);
