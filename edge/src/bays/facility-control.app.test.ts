import { bytesToHex } from '@clubos/shared/credentials';
import { DoorScannerAgent } from '@clubos/simulators/devices/door-scanner.agent';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnifiAccessClient } from '../doors/unifi-access.client.js';
import { outboxDepth } from '../sync/outbox.repository.js';
import { DOORS, MINUTE, newVenue, putBooking, qrFor, seedVenue } from '../testing/facility-control.js';
import { type SimulatorProcess, startSimulatorProcess } from '../testing/simulator-process.js';
import { tempDir } from '../testing/sync-harness.js';
import { buildTestEdge } from '../testing/test-edge.js';

let unifi: SimulatorProcess;
let app: FastifyInstance;
const tmp = tempDir('edge-app-doors-');
const venue = newVenue();

beforeAll(async () => {
  unifi = await startSimulatorProcess('unifi', ['--token', 'edge-token']);
  app = await buildTestEdge(
    tmp.dir,
    {
      // A cloud that never answers: the door path must not need it.
      CLOUD_URL: 'http://127.0.0.1:9',
      EDGE_KEY: 'edge-key',
      FACILITY_ID: venue.facilityId,
      ACCESS_TOKEN_PUBLIC_KEY: bytesToHex(venue.keys.publicKey),
    },
    {
      facilityControl: {
        runTimers: false,
        unifi: new UnifiAccessClient({
          baseUrl: unifi.info.url!,
          token: 'edge-token',
          timeoutMs: 1_000,
          retry: { retries: 0 },
        }),
      },
    },
  );
  seedVenue(app.edge.database, venue);
});
afterAll(async () => {
  await app.close();
  await unifi.stop();
  tmp.cleanup();
});

describe('the edge app with facility control, cloud unreachable', () => {
  it('opens the door for a valid QR scanned at the entrance and queues the decision for the cloud', async () => {
    const login = app.facilityControl.devices.register('door_scanner', DOORS.front);
    const scanner = new DoorScannerAgent({
      brokerUrl: app.facilityControl.broker.url,
      facilityId: venue.facilityId,
      doorId: DOORS.front,
      scannerId: 's1',
      username: login.username,
      password: login.password,
    });
    await scanner.start();
    try {
      const booking = putBooking(app.edge.database, venue, {
        start_time: Date.now() - 5 * MINUTE,
        end_time: Date.now() + 55 * MINUTE,
      });
      const result = await scanner.scan(qrFor(venue, booking));
      expect(result).toMatchObject({ decision: 'granted', reason: 'valid', booking_id: booking.id });
      const { unlocks } = await unifi.control<{ unlocks: { door_id: string; extra: unknown }[] }>(
        'GET',
        '/unlocks',
      );
      expect(unlocks.at(-1)).toMatchObject({ door_id: DOORS.front, extra: { booking_id: booking.id } });
      expect(app.edge.sync?.link.online).toBe(false);
      expect(outboxDepth(app.edge.database.db).pending).toBeGreaterThanOrEqual(1);
    } finally {
      await scanner.stop();
    }
  });
});
