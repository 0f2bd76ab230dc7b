import type { ChangeRow } from '@clubos/shared/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialIssuer } from '../bookings/credential.issuer.js';
import type { Database } from '../db/client.js';
import type { FacilityRepository } from '../facilities/facility.repository.js';
import { age, DAY_MS, range, recordingLog } from '../testing/change-log.js';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import { bookAsGuest, type FacilityFixture, openVenue, type Tokens, utcSlot } from '../testing/facility.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';
import { ChangeLogCompactor } from './change-log.compaction.js';
import type { ChangeLogRepository } from './change-log.repository.js';
import type { EdgeFeedRepository } from './edge-feed.repository.js';
import { EdgeFeedService } from './edge-feed.service.js';
import type { FacilityFeed } from './facility-feed.js';
import type { WalkInIngest } from './walk-in.ingest.js';

/** What an edge is answered around the low-water mark, through the real routes. */
describe.each(testDatabases())('edge feed after compaction on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let admin: string;
  let key: string;

  beforeAll(async () => {
    let u: Tokens;
    ({ t, f, u } = await openVenue(kind));
    admin = u.admin;
    ({ key } = await registerEdge(t, admin, f.facilityId));
  }, 120_000);
  afterAll(async () => t?.close());

  const edge = (url: string) => asEdge(t, key, 'GET', url);
  const sell = async (bay: number, hour: number) => {
    const res = await bookAsGuest(t, f.bayIds[bay], utcSlot(2, hour), 'e@x.co');
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  it('resumes an up-to-date edge, sends the snapshot answer to one behind the mark, and the snapshot has every booking', async () => {
    const sold = [await sell(0, 8), await sell(1, 8), await sell(0, 10)];
    const cancel = await t.request({
      method: 'POST',
      url: `/api/v1/bookings/${sold[1]}/cancel`,
      token: admin,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const late = [await sell(1, 12), await sell(0, 14)];
    const { lastSeq: head } = await t.app.services.changeLog.cursor(f.facilityId);
    const mark = head - 2; // the two last sales stay young
    await age(t, f.facilityId, range(1, mark), 8);
    expect((await edge('/api/v1/edge/changes?after=0&limit=1')).json().next_after).toBe(1);
    const { log, messages } = recordingLog();
    const compactor = new ChangeLogCompactor(t.app.db, log, { retentionMs: 7 * DAY_MS });
    expect(await compactor.runOnce()).toEqual([expect.objectContaining({ through: mark })]);
    // The operator learns which edge will have to reload.
    expect(messages).toContainEqual({
      msg: expect.stringContaining('behind the low-water mark'),
      obj: expect.objectContaining({
        compactedThrough: mark,
        edges: [expect.objectContaining({ name: 'Front desk PC', last_pulled_seq: 1 })],
      }),
    });

    // Up to date: nothing to do, no snapshot.
    const current = await edge(`/api/v1/edge/changes?after=${head}`);
    expect(current.json()).toMatchObject({ changes: [], head, next_after: head, snapshot_required: false });
    // Exactly at the mark: the rest of the log, gap-free.
    const atMark = (await edge(`/api/v1/edge/changes?after=${mark}`)).json();
    expect(atMark.snapshot_required).toBe(false);
    expect(atMark.changes.map((c: ChangeRow) => [c.seq, c.entity_id])).toEqual([
      [mark + 1, late[0]],
      [mark + 2, late[1]],
    ]);
    // Behind the mark: told so explicitly, with no changes (long-poll too, at once).
    for (const url of [
      `/api/v1/edge/changes?after=${mark - 1}`,
      '/api/v1/edge/changes?after=0&wait_ms=5000',
    ]) {
      const behind = await edge(url);
      expect(behind.statusCode, behind.body).toBe(200);
      expect(behind.json()).toMatchObject({ changes: [], head, next_after: head, snapshot_required: true });
    }

    // The re-bootstrap: the snapshot reflects the head and holds every booking of the facility.
    const snap = (await edge('/api/v1/edge/snapshot')).json();
    expect(snap.seq).toBe(head);
    const items = snap.items as { entity: string; entity_id: string; data: { status?: string } }[];
    const bookings = new Map(items.filter((i) => i.entity === 'booking').map((i) => [i.entity_id, i]));
    for (const id of [sold[0]!, sold[2]!, ...late]) expect(bookings.get(id)?.data.status).toBe('confirmed');
    expect(items.some((i) => i.entity === 'revocation' && i.entity_id === sold[1])).toBe(true);
    // …and the feed goes on from there.
    const after = await sell(1, 16);
    const next = (await edge(`/api/v1/edge/changes?after=${snap.seq}`)).json();
    expect(next.snapshot_required).toBe(false);
    expect(next.changes.map((c: ChangeRow) => c.entity_id)).toEqual([after]);
  });
});

describe('the changes answer when a compaction commits between its reads', () => {
  const edge = { kind: 'edge' as const, role: 'system' as const, edgeId: 'e1', facilityId: 'f1' };
  const row = (seq: number): ChangeRow => ({
    seq,
    facility_id: '7f000000-0000-4000-8000-000000000001',
    entity: 'bay',
    op: 'upsert',
    entity_id: `bay-${seq}`,
    data: {},
    created_at: new Date().toISOString(),
  });

  function service(cursors: { lastSeq: number; compactedThrough: number }[], rows: ChangeRow[]) {
    const log = {
      cursor: async () => cursors.shift() ?? cursors.at(-1),
      after: async () => rows,
    } as unknown as ChangeLogRepository;
    const repo = { touchEdge: async () => undefined } as unknown as EdgeFeedRepository;
    return new EdgeFeedService(
      {} as Database,
      repo,
      log,
      {} as FacilityRepository,
      {} as CredentialIssuer,
      {} as WalkInIngest,
      {} as FacilityFeed,
    );
  }

  it('answers snapshot_required instead of skipping the entries that vanished', async () => {
    // The cursor read saw no compaction; by the entries read, 1…10 were gone.
    const feed = service(
      [
        { lastSeq: 12, compactedThrough: 0 },
        { lastSeq: 12, compactedThrough: 10 },
      ],
      [row(11), row(12)],
    );
    expect(await feed.changes(edge, 4, 100)).toMatchObject({
      changes: [],
      snapshot_required: true,
      head: 12,
      next_after: 12,
    });
  });

  it('passes a batch that follows the cursor', async () => {
    const feed = service([{ lastSeq: 12, compactedThrough: 4 }], [row(5), row(6)]);
    expect(await feed.changes(edge, 4, 2)).toMatchObject({
      snapshot_required: false,
      next_after: 6,
      head: 12,
    });
  });
});
