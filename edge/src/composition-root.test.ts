import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { loadFacilityControlConfig } from './bays/facility-control.config.js';
import { tempDir } from './testing/sync-harness.js';
import { buildTestEdge } from './testing/test-edge.js';

// Every service class of the edge, replaced by a subclass that records each instance built.
const built = vi.hoisted(() => {
  const instances = new Map<string, object[]>();
  const counted = (module: Record<string, unknown>, name: string): Record<string, unknown> => {
    const Base = module[name] as new (...args: never[]) => object;
    const Counted = class extends Base {
      constructor(...args: never[]) {
        super(...args);
        const list = instances.get(name) ?? [];
        list.push(this);
        instances.set(name, list);
      }
    };
    return { ...module, [name]: Counted };
  };
  return { instances, counted };
});
type Module = Record<string, unknown>;
vi.mock('./sync/cloud-feed.client.js', async (load) =>
  built.counted(await load<Module>(), 'CloudFeedClient'),
);
vi.mock('./sync/link-state.js', async (load) => built.counted(await load<Module>(), 'LinkState'));
vi.mock('./sync/pull-loop.js', async (load) => built.counted(await load<Module>(), 'PullLoop'));
vi.mock('./sync/outbox-uploader.js', async (load) => built.counted(await load<Module>(), 'OutboxUploader'));
vi.mock('./walk-ins/walk-in.service.js', async (load) =>
  built.counted(await load<Module>(), 'WalkInService'),
);
vi.mock('./auth/auth.service.js', async (load) => built.counted(await load<Module>(), 'AuthService'));
vi.mock('./bookings/booking.service.js', async (load) =>
  built.counted(await load<Module>(), 'BookingService'),
);
vi.mock('./idempotency/idempotency.service.js', async (load) =>
  built.counted(await load<Module>(), 'IdempotencyService'),
);
vi.mock('./alerts/alert.service.js', async (load) => built.counted(await load<Module>(), 'AlertService'));
vi.mock('./broker/device-auth.service.js', async (load) =>
  built.counted(await load<Module>(), 'DeviceAuthService'),
);
vi.mock('./broker/device-message.handler.js', async (load) =>
  built.counted(await load<Module>(), 'DeviceMessageHandler'),
);
vi.mock('./broker/edge-broker.js', async (load) => built.counted(await load<Module>(), 'EdgeBroker'));
vi.mock('./doors/door-access.service.js', async (load) =>
  built.counted(await load<Module>(), 'DoorAccessService'),
);
vi.mock('./doors/door-events.service.js', async (load) =>
  built.counted(await load<Module>(), 'DoorEventsService'),
);
vi.mock('./doors/emergency.service.js', async (load) =>
  built.counted(await load<Module>(), 'EmergencyService'),
);
vi.mock('./doors/remote-unlock.service.js', async (load) =>
  built.counted(await load<Module>(), 'RemoteUnlockService'),
);
vi.mock('./doors/unifi-access.client.js', async (load) =>
  built.counted(await load<Module>(), 'UnifiAccessClient'),
);
vi.mock('./doors/unifi-provisioning.service.js', async (load) =>
  built.counted(await load<Module>(), 'UnifiProvisioningService'),
);
vi.mock('./doors/unifi-webhook.service.js', async (load) =>
  built.counted(await load<Module>(), 'UnifiWebhookService'),
);
vi.mock('./sessions/session-automation.service.js', async (load) =>
  built.counted(await load<Module>(), 'SessionAutomationService'),
);
vi.mock('./bays/bay-health.service.js', async (load) =>
  built.counted(await load<Module>(), 'BayHealthService'),
);
vi.mock('./bays/ninja-job.worker.js', async (load) => built.counted(await load<Module>(), 'NinjaJobWorker'));
vi.mock('./bays/ninjaone.client.js', async (load) => built.counted(await load<Module>(), 'NinjaOneClient'));

/** Built and held by services of the root rather than exposed by it (the broker's handler, clients). */
const INTERNAL = new Set(['CloudFeedClient', 'DeviceMessageHandler', 'UnifiAccessClient', 'NinjaOneClient']);

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  built.instances.clear();
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

it('builds every service of the edge once, in the composition root, and the app serves those very objects', async () => {
  // A cloud, UniFi (with webhooks) and NinjaOne configured, so that every optional service exists.
  const app = await buildTestEdge(
    tmp.dir,
    { CLOUD_URL: 'http://127.0.0.1:9', EDGE_KEY: 'edge-key' },
    {
      runSync: false,
      facilityControl: {
        runTimers: false,
        control: loadFacilityControlConfig({
          UNIFI_URL: 'https://127.0.0.1:9',
          UNIFI_TOKEN: 'token',
          UNIFI_WEBHOOK_URL: 'http://127.0.0.1:4100/api/v1/unifi/webhooks',
          NINJAONE_URL: 'http://127.0.0.1:9',
          NINJAONE_CLIENT_ID: 'client',
          NINJAONE_CLIENT_SECRET: 'secret',
        }),
      },
    },
  );
  try {
    const { edge, facilityControl } = app;
    const exposed = new Set<unknown>([
      ...Object.values(edge),
      ...Object.values(edge.sync ?? {}),
      ...Object.values(edge.facility),
    ]);
    expect(built.instances.size).toBe(23);
    for (const [name, instances] of built.instances) {
      expect(instances, name).toHaveLength(1);
      if (!INTERNAL.has(name)) expect(exposed.has(instances[0]), `${name} is the root's`).toBe(true);
    }
    // The plugin runs and serves the root's doors and bays, not a set of its own.
    expect(facilityControl).toBe(edge.facility);
  } finally {
    await app.close();
  }
});
