import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCloud } from '../testing/fake-cloud.js';
import { seedFacility } from '../testing/seed-facility.js';
import { eventually, type SyncHarness, syncHarness, tempDir } from '../testing/sync-harness.js';
import { enqueueEvent, outboxDepth, rejectedEvents } from './outbox.repository.js';

let cloud: FakeCloud;
let tmp: ReturnType<typeof tempDir>;
let h: SyncHarness;

beforeEach(async () => {
  cloud = new FakeCloud();
  await cloud.listen();
  seedFacility(cloud, { bays: 1 });
  tmp = tempDir();
  h = syncHarness({
    file: path.join(tmp.dir, 'edge.sqlite'),
    cloudUrl: cloud.url,
    edgeKey: cloud.issueKey(),
    uploadBatch: 10,
  });
  await h.pull.pullOnce();
});
afterEach(async () => {
  await h.close();
  await cloud.close();
  tmp.cleanup();
});

/** A denied door decision queued in `db`'s outbox (the shared harness's unless named). */
function doorEvent(id = randomUUID(), db = h.database.db) {
  enqueueEvent(db, {
    event_id: id,
    type: 'door.decision',
    occurred_at: Date.now(),
    payload: {
      door_id: 'front',
      decision: 'denied',
      reason: 'expired',
      booking_id: null,
      credential: 'qr_code',
    },
  });
  return id;
}

describe('OutboxUploader', () => {
  it('uploads as soon as the link returns, however long its backoff', async () => {
    const slow = syncHarness({
      file: path.join(tmp.dir, 'slow.sqlite'),
      cloudUrl: cloud.url,
      edgeKey: cloud.issueKey(),
      backoffBaseMs: 60_000,
      backoffMaxMs: 60_000,
    });
    try {
      await slow.pull.pullOnce();
      cloud.down = true;
      const id = doorEvent(randomUUID(), slow.database.db);
      slow.uploader.start();
      expect(await eventually(() => !slow.link.online)).toBe(true);
      cloud.down = false;
      // Another call gets through (the pull loop, the stream, a forwarded walk-in): the link is back.
      await slow.pull.pullOnce();
      expect(await eventually(() => cloud.acceptedEvents.has(id), 1_500, 5)).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('uploads in order, in batches, and deletes rows only once acknowledged', async () => {
    const ids = Array.from({ length: 25 }, () => doorEvent());
    expect(await h.uploader.flushOnce()).toEqual({ sent: 10, acknowledged: 10, rejected: 0 });
    expect(outboxDepth(h.database.db).pending).toBe(15);
    expect([...cloud.acceptedEvents.keys()]).toEqual(ids.slice(0, 10));
    await h.uploader.flushOnce();
    await h.uploader.flushOnce();
    expect(outboxDepth(h.database.db)).toEqual({ pending: 0, rejected: 0 });
    expect(cloud.acceptedEvents.size).toBe(25);
  });

  it('keeps every row when the cloud is unreachable, and counts the attempt', async () => {
    doorEvent();
    cloud.down = true;
    await expect(h.uploader.flushOnce()).rejects.toMatchObject({ kind: 'retry' });
    const row = h.database.sqlite.prepare('SELECT attempts, last_error FROM outbox').get() as {
      attempts: number;
      last_error: string;
    };
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('503');
    cloud.down = false;
    await h.uploader.flushOnce();
    expect(outboxDepth(h.database.db).pending).toBe(0);
  });

  it('treats "duplicate" as acknowledged: a re-sent event is not accepted twice', async () => {
    const id = doorEvent();
    await h.uploader.flushOnce();
    // The response was "lost": the same event is queued again (as after a crash before the delete).
    doorEvent(id);
    expect(await h.uploader.flushOnce()).toEqual({ sent: 1, acknowledged: 1, rejected: 0 });
    expect(cloud.acceptedEvents.get(id)).toBe(1);
    expect(outboxDepth(h.database.db).pending).toBe(0);
  });

  it('parks a rejected event with its reason and never re-sends it', async () => {
    enqueueEvent(h.database.db, {
      event_id: randomUUID(),
      type: 'booking.checked_in',
      occurred_at: Date.now(),
      // The cloud refuses what does not check out (here a booking id that is not a UUID).
      payload: { booking_id: 'not-a-booking', checked_in_at: new Date().toISOString(), method: 'kiosk' },
    });
    doorEvent();
    expect(await h.uploader.flushOnce()).toEqual({ sent: 2, acknowledged: 1, rejected: 1 });
    expect(rejectedEvents(h.database.db, 10)[0]?.rejected_reason).toMatch(/payload\.booking_id/);
    const uploads = cloud.uploads;
    expect(await h.uploader.flushOnce()).toEqual({ sent: 0, acknowledged: 0, rejected: 0 });
    expect(cloud.uploads).toBe(uploads);
  });

  it('the background loop retries with backoff until the cloud is back', async () => {
    cloud.down = true;
    for (let i = 0; i < 30; i++) doorEvent();
    h.uploader.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(outboxDepth(h.database.db).pending).toBe(30);
    cloud.down = false;
    const until = Date.now() + 5_000;
    while (outboxDepth(h.database.db).pending > 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    expect(outboxDepth(h.database.db).pending).toBe(0);
    expect(cloud.acceptedEvents.size).toBe(30);
  });
});
