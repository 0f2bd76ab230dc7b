import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ControlHarness,
  NINJA_DEVICES,
  newVenue,
  startControlHarness,
  testClock,
} from '../testing/facility-control.js';
import {
  ninjaOneClientOf,
  type SimulatorProcess,
  startSimulatorProcess,
} from '../testing/simulator-process.js';
import { tempDir } from '../testing/sync-harness.js';

let ninja: SimulatorProcess;
const venue = newVenue();
const clock = testClock(Date.UTC(2026, 5, 1, 18, 0));
let dir: { dir: string; cleanup: () => void };
let edge: ControlHarness;

const openKinds = () =>
  edge.control.alerts
    .list(true)
    .map((a) => `${a.kind}:${a.subject ?? ''}`)
    .sort();

beforeAll(async () => {
  ninja = await startSimulatorProcess('ninjaone');
});
afterAll(async () => {
  await ninja.stop();
});
beforeEach(async () => {
  dir = tempDir('edge-health-');
  const client = ninjaOneClientOf(ninja, { timeoutMs: 1_000 });
  edge = await startControlHarness({
    file: path.join(dir.dir, 'edge.sqlite'),
    venue,
    clock,
    ninjaone: client,
  });
});
afterEach(async () => {
  await ninja.control('POST', `/devices/${NINJA_DEVICES.bay1}/online`, { online: true });
  await ninja.control('POST', '/faults', { reset: true });
  await edge.close();
  dir.cleanup();
});

describe('NinjaOne health of the bay PCs', () => {
  it('raises a staff alert for an offline bay PC and resolves it when it is back', async () => {
    const healthy = await edge.control.health!.checkAll();
    expect(healthy.map((h) => h.status)).toEqual(['online', 'online']);
    expect(openKinds()).toEqual([]);
    await ninja.control('POST', `/devices/${NINJA_DEVICES.bay1}/online`, { online: false });
    const result = await edge.control.health!.checkAll();
    expect(result.find((h) => h.device_id === NINJA_DEVICES.bay1)?.status).toBe('offline');
    expect(openKinds()).toEqual([`bay_pc_offline:${venue.bays[0]!.id}`]);
    await edge.control.health!.checkAll();
    expect(edge.control.alerts.list(true)[0]?.occurrences).toBe(2);
    await ninja.control('POST', `/devices/${NINJA_DEVICES.bay1}/online`, { online: true });
    await edge.control.health!.checkAll();
    expect(openKinds()).toEqual([]);
  });

  it('reports NinjaOne itself unreachable as one alert, not one per bay', async () => {
    await ninja.control('POST', '/faults', { down: 'close' });
    const result = await edge.control.health!.checkAll();
    expect(result.map((h) => h.status)).toEqual(['unknown', 'unknown']);
    expect(openKinds()).toEqual(['ninjaone_unreachable:']);
  });
});
