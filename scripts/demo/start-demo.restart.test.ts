import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoStateFile } from './demo-state.js';
import { type Demo, startDemo } from './start-demo.js';
import { eventually } from './testing/venue-day.js';

const dataDir = mkdtempSync(join(tmpdir(), 'clubos-demo-restart-'));
const options = { dataDir, buildWebApps: false, logLevel: 'silent' } as const;
let demo: Demo | undefined;

afterAll(async () => {
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function onlineDevices(d: Demo): Promise<number> {
  const { devices } = await d.edge.edgeApi.json<{ devices: Array<{ presence: string }> }>('/api/v1/devices', {
    auth: d.edge.managerAuth,
  });
  return devices.filter((x) => x.presence === 'online').length;
}

describe('npm start twice on the same data folder', () => {
  it('keeps the venue, the edge registration, the kiosk key and the device logins', async () => {
    const steps: string[] = [];
    demo = await startDemo({ ...options, progress: (s) => steps.push(s) });
    expect(demo.seeded).toBe(true);
    const first = { facilityId: demo.venue.facilityId, kioskKey: demo.edge.kioskKey };
    const edgeId = demoStateFile(dataDir).read().edge?.id;
    await demo.stop();
    demo = undefined;

    steps.length = 0;
    demo = await startDemo({ ...options, progress: (s) => steps.push(s) });
    expect(demo.seeded).toBe(false);
    expect(steps).toContain('demo venue found: nothing to seed');
    expect(demo.venue.facilityId).toBe(first.facilityId);
    expect(demo.edge.kioskKey).toBe(first.kioskKey);
    expect(demoStateFile(dataDir).read().edge?.id).toBe(edgeId);
    // The bay PCs and scanners logged in again with the passwords issued on the first start.
    await eventually('8 bay PCs online', async () => (await onlineDevices(demo!)) === 8);
    await eventually('the edge back in sync', () => demo!.edge.server.app.edge.sync?.link.online === true);
  }, 150_000);

  it('starts cut from the cloud with --offline, and reconnects when told', async () => {
    await demo?.stop();
    demo = await startDemo({ ...options, offline: true });
    expect(demo.offline).toBe(true);
    const sync = () => demo!.edge.server.app.edge.sync!.link;
    await eventually('the edge offline', () => sync().online === false);
    demo.setOffline(false);
    await eventually('the edge online', () => sync().online === true, 10_000);
  }, 90_000);
});
