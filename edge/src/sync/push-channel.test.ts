import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { FlakyProxy } from '../testing/flaky-proxy.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, type SyncHarness, syncHarness, tempDir } from '../testing/sync-harness.js';
import { parseSseBlock } from './head-stream.client.js';

/**
 * The pull loop on the cloud's change stream. Long-poll is off (`longPollMs: 0`) and idle pulls are a
 * minute apart, so a booking that reaches the replica within a second was pulled because of a nudge.
 */

let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let bay: string;
const harnesses: SyncHarness[] = [];
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  ({
    bayIds: [bay],
  } = seedFacility(cloud, { bays: 1 }) as { bayIds: [string] });
  tmp = tempDir();
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const close of closers.splice(0)) await close();
  await cloud.close();
  tmp.cleanup();
});

function edge(extra: Partial<Parameters<typeof syncHarness>[0]> = {}) {
  const h = syncHarness({
    file: path.join(tmp.dir, `edge-${harnesses.length}.sqlite`),
    cloudUrl: cloud.url,
    edgeKey: cloud.issueKey(),
    longPollMs: 0,
    idlePollMs: 60_000,
    pushIdleMs: 60_000,
    ...extra,
  });
  harnesses.push(h);
  return h;
}

const bookings = (h: SyncHarness) =>
  (h.database.sqlite.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n;
let hour = 1;
const sell = () => cloud.sell(bay, Date.now() + hour++ * 3_600_000, 60);

async function started(h: SyncHarness) {
  h.pull.start();
  expect(await eventually(() => h.pull.push?.connected === true)).toBe(true);
  // Let the loop finish its first pulls and park.
  await new Promise((r) => setTimeout(r, 150));
}

describe('the change stream (push channel)', () => {
  it('a nudge wakes a pull: a cloud booking reaches the replica at once', async () => {
    const h = edge();
    await started(h);
    sell();
    // Well under the minute the loop would otherwise sleep (the machine may be busy: no tighter bound).
    expect(await eventually(() => bookings(h) === 1, 15_000, 5)).toBe(true);
  });

  it('without the stream and without long-poll nothing wakes the loop (the control)', async () => {
    const h = edge({ push: false });
    h.pull.start();
    expect(await eventually(() => h.database.sqlite.prepare('SELECT 1 FROM bays').get() !== undefined)).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 150));
    sell();
    expect(await eventually(() => bookings(h) === 1, 1_000)).toBe(false);
  });

  it('a dropped stream reconnects, and nudges flow again', async () => {
    const h = edge();
    await started(h);
    cloud.dropStreams();
    expect(await eventually(() => cloud.streamsOpened === 2 && h.pull.push?.connected === true)).toBe(true);
    sell();
    expect(await eventually(() => bookings(h) === 1, 15_000, 5)).toBe(true);
  });

  it('a stream cut by the network (TCP proxy) reconnects', async () => {
    const proxy = new FlakyProxy({ host: '127.0.0.1', port: Number(new URL(cloud.url).port) });
    const url = await proxy.listen();
    closers.push(() => proxy.close());
    const h = edge({ cloudUrl: url });
    await started(h);
    proxy.cutAll();
    expect(await eventually(() => h.pull.push?.connections === 2)).toBe(true);
    sell();
    expect(await eventually(() => bookings(h) === 1, 15_000, 5)).toBe(true);
  });

  it('a silent stream (no heartbeat) is presumed dead and reopened', async () => {
    const h = edge({ pushHeartbeatMs: 200 });
    await started(h);
    cloud.streamHeartbeats = false;
    expect(await eventually(() => cloud.streamsOpened >= 2, 3_000)).toBe(true);
  });

  it('a malformed head event reopens the stream instead of being taken for a head', async () => {
    const h = edge();
    await started(h);
    cloud.sendRawHead('{"facility_id":"x","head":-5}');
    expect(await eventually(() => h.pull.push?.connections === 2)).toBe(true);
    sell();
    expect(await eventually(() => bookings(h) === 1, 15_000, 5)).toBe(true);
  });

  it('a line that gives no answer is probed every linkProbeMs: back within it despite a 60 s backoff', async () => {
    const proxy = new FlakyProxy({ host: '127.0.0.1', port: Number(new URL(cloud.url).port) });
    const url = await proxy.listen();
    closers.push(() => proxy.close());
    const h = edge({ cloudUrl: url, backoffBaseMs: 60_000, backoffMaxMs: 60_000, linkProbeMs: 100 });
    await started(h);
    proxy.setMode('down');
    expect(await eventually(() => h.pull.push?.connected === false && !h.link.online)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    proxy.setMode('up');
    sell();
    // Reopened by the probe; its head wakes a pull the backoff would have held for seconds.
    expect(await eventually(() => bookings(h) === 1, 1_500, 5)).toBe(true);
    expect(h.pull.push?.connections).toBe(2);
  });

  it('a cloud answering 503 keeps the full backoff: its stream is not asked for at the probe period', async () => {
    const h = edge({ backoffBaseMs: 60_000, backoffMaxMs: 60_000, linkProbeMs: 20 });
    await started(h);
    cloud.down = true;
    cloud.dropStreams();
    const asked = cloud.streamRequests;
    await new Promise((r) => setTimeout(r, 600));
    // At the probe period that would be about 40 requests; under a 60 s backoff one, rarely two.
    expect(cloud.streamRequests - asked).toBeLessThanOrEqual(2);
    cloud.down = false;
  });

  it('falls back to long-poll while the stream is unavailable', async () => {
    cloud.streamAvailable = false;
    const h = edge({ longPollMs: 10_000 });
    h.pull.start();
    expect(await eventually(() => h.database.sqlite.prepare('SELECT 1 FROM bays').get() !== undefined)).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 150));
    expect(h.pull.push?.connected).toBe(false);
    sell();
    expect(await eventually(() => bookings(h) === 1, 15_000, 5)).toBe(true);
  });
});

describe('parseSseBlock', () => {
  it('reads the event name and joins data lines; comments carry nothing', () => {
    expect(parseSseBlock('event: head\ndata: {"head":3}')).toEqual({ event: 'head', data: '{"head":3}' });
    expect(parseSseBlock('data: a\ndata: b')).toEqual({ event: 'message', data: 'a\nb' });
    expect(parseSseBlock(': heartbeat')).toBeNull();
    expect(parseSseBlock('retry: 1000')).toBeNull();
  });
});
