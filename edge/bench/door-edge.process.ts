import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { UnifiAccessClient } from '../src/doors/unifi-access.client.js';
import {
  DOORS,
  MINUTE,
  newVenue,
  putBooking,
  qrFor,
  startControlHarness,
} from '../src/testing/facility-control.js';
import { tempDir } from '../src/testing/sync-harness.js';

/**
 * The edge of the doors benchmark in a process of its own, as a venue runs it: the scanner and the
 * UniFi controller are other devices, so they stay in the benchmark's process and do not share
 * the edge's event loop. The child prints one JSON line (what the scanner needs) and runs until
 * its stdin closes.
 */
export interface DoorEdgeReady {
  mqttUrl: string;
  facilityId: string;
  door: string;
  username: string;
  password: string;
  qr: string;
}

export interface DoorEdgeProcess extends DoorEdgeReady {
  stop(): Promise<void>;
}

const script = fileURLToPath(import.meta.url);

/** Starts the edge child against the UniFi simulator at `unifiUrl` and waits until it is ready. */
export async function spawnDoorEdge(unifiUrl: string, unifiToken: string): Promise<DoorEdgeProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, DOOR_EDGE_UNIFI_URL: unifiUrl, DOOR_EDGE_UNIFI_TOKEN: unifiToken },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<DoorEdgeReady>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the bench edge exited (code ${code}) before it was ready`)),
    );
    lines.once('line', (line) => resolve(JSON.parse(line) as DoorEdgeReady));
  });
  return {
    ...ready,
    stop: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const tmp = tempDir('edge-doors-bench-');
  const venue = newVenue();
  const unifi = new UnifiAccessClient({
    baseUrl: process.env.DOOR_EDGE_UNIFI_URL!,
    token: process.env.DOOR_EDGE_UNIFI_TOKEN!,
    retry: { retries: 0 },
  });
  const edge = await startControlHarness({
    file: path.join(tmp.dir, 'edge.sqlite'),
    venue,
    clock: { now: Date.now, set: () => undefined, advance: () => undefined },
    unifi,
  });
  const login = edge.control.devices.register('door_scanner', DOORS.front);
  const booking = putBooking(edge.database, venue, {
    start_time: Date.now() - MINUTE,
    end_time: Date.now() + 240 * MINUTE,
  });
  const ready: DoorEdgeReady = {
    mqttUrl: edge.mqttUrl,
    facilityId: venue.facilityId,
    door: DOORS.front,
    username: login.username,
    password: login.password,
    qr: qrFor(venue, booking),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('end', () => resolve()));
  await edge.close();
  tmp.cleanup();
}

if (process.argv[1] === script) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
