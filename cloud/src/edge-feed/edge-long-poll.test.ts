import type { ChangeRow } from '@clubos/shared/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asEdge, registerEdge } from '../testing/edge-node.js';
import { bookAsGuest, type FacilityFixture, openVenue, type Tokens, utcSlot } from '../testing/facility.js';
import { type TestApp, testDatabases } from '../testing/test-app.js';

/** `GET /edge/changes?wait_ms=` waits on this instance's appends instead of polling the database. */
describe.each(testDatabases())('edge long-poll on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let key: string;

  beforeAll(async () => {
    let u: Tokens;
    ({ t, f, u } = await openVenue(kind, { facility: { bays: 1 } }));
    ({ key } = await registerEdge(t, u.admin, f.facilityId));
  }, 120_000);
  afterAll(async () => t?.close());

  const poll = (after: number, waitMs: number) =>
    asEdge(t, key, 'GET', `/api/v1/edge/changes?after=${after}&wait_ms=${waitMs}`);
  const head = async () => (await poll(0, 0)).json().head as number;

  it('wakes on a booking made while it waits and hands it over', async () => {
    const from = await head();
    const waiting = poll(from, 20_000);
    await new Promise((r) => setTimeout(r, 100));
    const sold = await bookAsGuest(t, f.bayIds[0], utcSlot(2, 9), 'lp@x.co');
    expect(sold.statusCode, sold.body).toBe(201);
    const answer = (await waiting).json();
    expect(answer.changes.map((c: ChangeRow) => c.entity_id)).toContain(sold.json().id);
  });

  it('reads the log about once a second while nothing happens, not four times', async () => {
    const from = await head();
    const reads = vi.spyOn(t.app.services.changeLog, 'cursor');
    try {
      const answer = await poll(from, 2_000);
      expect(answer.json()).toMatchObject({ changes: [], next_after: from, snapshot_required: false });
      // First read, one re-check per second, the last one at the deadline: at most 4 (was 9 at 250 ms).
      expect(reads.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      reads.mockRestore();
    }
  });
});
