import type { FacilityFixture } from '@clubos/cloud/testing';
import { testDatabases } from '@clubos/cloud/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlakyProxy } from '../../testing/flaky-proxy.js';
import { RealCloud } from '../../testing/real-cloud.js';
import { eventually, tempDir } from '../../testing/sync-harness.js';
import { buildTestEdge, OUTAGE_SYNC_ENV } from '../../testing/test-edge.js';
import { outboxDepth } from '../outbox.repository.js';
import { readSyncState } from '../replica.repository.js';

/**
 * Staff alerts the edge opens while the cloud is unreachable wait in its outbox and reach the
 * cloud on reconnect: each incident once, however often the edge saw it meanwhile.
 */
describe.each(testDatabases())('staff alerts queued at the edge while offline (real cloud on %s)', (kind) => {
  let cloud: RealCloud;
  let venue: FacilityFixture;
  let proxy: FlakyProxy;
  let tmp: ReturnType<typeof tempDir>;
  let app: FastifyInstance;

  beforeAll(async () => {
    cloud = await RealCloud.start(kind);
    venue = await cloud.facility({ bays: 2 });
    const { key } = await cloud.registerEdge(venue.facilityId);
    proxy = new FlakyProxy({ host: '127.0.0.1', port: cloud.port });
    const proxyUrl = await proxy.listen();
    tmp = tempDir();
    app = await buildTestEdge(tmp.dir, {
      ...OUTAGE_SYNC_ENV,
      CLOUD_URL: proxyUrl,
      EDGE_KEY: key,
      FACILITY_ID: venue.facilityId,
      SYNC_REQUEST_TIMEOUT_MS: '2000',
    });
    const head = await cloud.head(venue.facilityId);
    expect(await eventually(() => readSyncState(app.edge.database.db)?.cursor === head, 20_000)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await cloud?.close();
    tmp?.cleanup();
  });

  const cloudAlerts = async () => {
    const res = await cloud.t.request({
      method: 'GET',
      url: `/api/v1/admin/facilities/${venue.facilityId}/staff-alerts`,
      token: await adminToken(),
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().alerts as { kind: string; subject: string | null }[]).map(
      (a) => `${a.kind}:${a.subject}`,
    );
  };
  let token = '';
  const adminToken = async () => {
    if (token) return token;
    const login = await cloud.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: cloud.t.config.adminEmail, password: cloud.t.config.adminPassword },
    });
    token = login.json().access_token;
    return token;
  };
  const heldOpen = () =>
    app.edge.facility.alerts.raise({
      dedupe_key: 'door_position:front',
      kind: 'door_held_open',
      severity: 'warning',
      subject: 'front',
      message: 'Front door held open',
    });

  it('queues alerts raised with the cloud down and sends each incident once when it is back', async () => {
    proxy.setMode('down');
    const pendingBefore = outboxDepth(app.edge.database.db).pending;
    heldOpen();
    heldOpen(); // the same open incident, seen again by the next poll
    app.edge.facility.alerts.raise({
      dedupe_key: 'bay_pc_offline:bay-2',
      kind: 'bay_pc_offline',
      severity: 'critical',
      subject: 'bay-2',
      message: 'Bay 2 PC offline',
    });
    expect(outboxDepth(app.edge.database.db).pending).toBe(pendingBefore + 2);
    // Nothing can reach the cloud meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await cloudAlerts()).toEqual([]);

    proxy.setMode('up');
    await expect
      .poll(async () => (await cloudAlerts()).sort(), { timeout: 30_000, interval: 250 })
      .toEqual(['bay_pc_offline:bay-2', 'door_held_open:front']);
    expect(await eventually(() => outboxDepth(app.edge.database.db).pending === 0, 20_000)).toBe(true);
  });

  it('sends a new incident after the old one was resolved, and nothing for a repeat of an open one', async () => {
    heldOpen();
    app.edge.facility.alerts.resolve('door_position:front');
    heldOpen();
    await expect
      .poll(async () => (await cloudAlerts()).filter((a) => a === 'door_held_open:front').length, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(2);
    expect(await eventually(() => outboxDepth(app.edge.database.db).pending === 0, 20_000)).toBe(true);
    expect((await cloudAlerts()).length).toBe(3);
  });
});
