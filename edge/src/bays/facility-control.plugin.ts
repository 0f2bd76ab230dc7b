import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';
import { alertRoutes } from '../alerts/alert.routes.js';
import { deviceRoutes } from '../broker/device.routes.js';
import type { FacilityControl } from '../composition-root.js';
import type { EdgeDatabase } from '../db/database.js';
import { doorRoutes } from '../doors/door.routes.js';
import { unifiWebhookRoutes } from '../doors/unifi-webhook.routes.js';

const BROKER_RETRY_MS = 30_000;

export interface FacilityControlRunOptions {
  /** The composition root's doors, bays and devices (`composeEdge(...).facility`). */
  facility: FacilityControl;
  /** The database the device routes read. */
  database: EdgeDatabase;
  /** Start the broker (always) and the timers on ready; false leaves the timers to the test. */
  runTimers?: boolean;
  /** Wait between attempts to start a broker whose port was taken (default 30 s). */
  brokerRetryMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    facilityControl: FacilityControl;
  }
}

/**
 * Facility control at the edge: runs the composition root's MQTT broker, session automation,
 * NinjaOne and UniFi queues and health checks, and serves their LAN routes. The broker starts on
 * ready (devices reconnect by themselves) and every timer and socket stops on close
 * (docs/architecture.md, every timer belongs to a plugin).
 */
export const facilityControlPlugin = fp<FacilityControlRunOptions>(
  async (app, options) => {
    const { facility, database } = options;
    const { control, broker, devices, alerts, doors, sessions, ninjaJobs, health } = facility;
    const { provisioning, doorEvents, emergency, remoteUnlock, webhooks } = facility;
    const log = app.log.child({ component: 'facility-control' });
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
          message: `the MQTT broker cannot listen on port ${broker.requestedPort} (${message}); bays and door scanners are cut off`,
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
