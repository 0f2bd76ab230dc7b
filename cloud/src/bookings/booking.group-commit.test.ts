import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IdempotencyRecorder } from '../common/idempotency.js';
import { sqlState } from '../db/errors.js';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { BookingRepository } from './booking.repository.js';
import { BookingWriter, type PlannedBooking, SlotTakenError, type WriteRequest } from './booking.writer.js';

/**
 * Group commit (booking.write-batch.ts): writes to one facility that arrive together share one
 * statement, yet each request gets the answer it would have had alone, and nothing is partial.
 */
describe.each(testDatabases())('booking group commit on %s', (kind) => {
  let t: TestApp;
  let f: FacilityFixture;
  let repo: BookingRepository;
  let writer: BookingWriter;

  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await createFacility(t, { bays: 4 });
    repo = new BookingRepository(t.app.db);
    const s = t.app.services;
    writer = new BookingWriter(t.app.db, repo, s.changeLog, s.credentials);
  });
  afterAll(async () => t?.close());

  const plan = async (bay: number, day: number, hour: number): Promise<PlannedBooking> => {
    const simulatorId = f.bayIds[bay]!;
    const start = Date.parse(utcSlot(day, hour));
    const checked = await t.app.services.availability.check(simulatorId, start, 60);
    if (!checked.check.ok) throw new Error(`fixture slot not free: ${checked.check.message}`);
    return {
      facility: checked.input.facility,
      simulatorId,
      bayDoorId: checked.bay.unifi_door_id,
      start,
      end: start + 3_600_000,
      duration: 60,
      bufferMinutes: 0,
      quote: checked.check.quote,
    };
  };

  const request = (
    items: PlannedBooking[],
    customerId: string | null = null,
    recorder?: IdempotencyRecorder,
  ): WriteRequest<string[]> => ({
    items,
    customerId,
    createdBy: null,
    source: 'web',
    type: items.length > 1 ? 'group' : 'single',
    seriesId: null,
    recurrenceRule: null,
    metadata: {},
    recorder,
    respond: (rows) => rows.map((r) => r.id),
  });

  const recorder = (key: string): IdempotencyRecorder => ({
    record: async () => undefined,
    entry: (body) => ({ scope: 'test', key, requestHash: 'h', statusCode: 201, response: body }),
  });

  /** What the database holds for these bookings: rows, QR/PIN tokens, outbox and feed entries. */
  const stored = async (ids: string[]) => {
    const count = async (query: ReturnType<typeof sql>) =>
      Number(((await t.app.db.execute(query)) as unknown as { rows: { n: number | string }[] }).rows[0]!.n);
    const list = sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const texts = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    return {
      bookings: await count(sql`SELECT count(*) AS n FROM bookings WHERE id IN (${list})`),
      tokens: await count(sql`SELECT count(*) AS n FROM access_tokens WHERE booking_id IN (${list})`),
      outbox: await count(sql`SELECT count(*) AS n FROM hubspot_outbox WHERE aggregate_id IN (${list})`),
      feed: await count(sql`SELECT count(*) AS n FROM change_log WHERE entity_id IN (${texts})`),
    };
  };

  const settled = <T>(work: Promise<T>) =>
    work.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );

  it('writes bookings that arrive together in one statement, each complete', async () => {
    const items = await Promise.all([plan(0, 3, 9), plan(1, 3, 9), plan(2, 3, 10)]);
    const customer = await repo.upsertCustomer(t.app.db, { email: 'batch-totals@example.com' });
    const writeAll = vi.spyOn(writer, 'insertBuilt');
    try {
      const answers = await Promise.all([
        writer.write(request([items[0]!], customer)),
        writer.write(request([items[1]!], customer)),
        writer.write(request([items[2]!])),
      ]);
      expect(writeAll).toHaveBeenCalledTimes(1);
      expect(writeAll.mock.calls[0]![1].flatMap((b) => b.rows)).toHaveLength(3);
      const ids = answers.flat();
      expect(answers.map((a) => a.length)).toEqual([1, 1, 1]);
      expect(await stored(ids)).toEqual({ bookings: 3, tokens: 6, outbox: 3, feed: 3 });
    } finally {
      writeAll.mockRestore();
    }
    // Two bookings of one customer in one statement both count.
    const totals = (await t.app.db.execute(
      sql`SELECT total_bookings, total_spent_cents FROM customers WHERE id = ${customer}::uuid`,
    )) as unknown as { rows: { total_bookings: number; total_spent_cents: number }[] };
    expect(totals.rows[0]).toEqual({
      total_bookings: 2,
      total_spent_cents: items[0]!.quote.total_cents + items[1]!.quote.total_cents,
    });
  });

  it("signs a waiting request while the facility's previous statement is still in the database", async () => {
    const first = await plan(0, 30, 10);
    const second = await plan(1, 30, 10);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = writer.insertBuilt.bind(writer);
    let statements = 0;
    const writeAll = vi.spyOn(writer, 'insertBuilt').mockImplementation(async (...args) => {
      statements++;
      if (statements === 1) await held;
      return original(...args);
    });
    const issue = vi.spyOn(t.app.services.credentials, 'issue');
    try {
      const one = writer.write(request([first]));
      await vi.waitFor(() => expect(statements).toBe(1));
      const two = writer.write(request([second]));
      // The first statement has not returned, yet the second booking's QR token is already signed:
      // only the statement waits its turn.
      expect(issue).toHaveBeenCalledTimes(2);
      expect(statements).toBe(1);
      release();
      const [a, b] = await Promise.all([one, two]);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(await stored([...a, ...b])).toEqual({ bookings: 2, tokens: 4, outbox: 2, feed: 2 });
      expect(statements).toBe(2);
    } finally {
      release();
      writeAll.mockRestore();
      issue.mockRestore();
    }
  });

  it('a booking whose slot was taken since its check gets its 409; the others in its batch are written', async () => {
    const [taken, free1, free2] = await Promise.all([plan(0, 4, 9), plan(1, 4, 9), plan(2, 4, 9)]);
    const first = await writer.write(request([taken!]));
    const writeAll = vi.spyOn(writer, 'insertBuilt');
    try {
      const answers = await Promise.all([
        settled(writer.write(request([free1!]))),
        settled(writer.write(request([taken!]))),
        settled(writer.write(request([free2!]))),
      ]);
      // Tried together first (the database refused), then one by one.
      expect(writeAll.mock.calls[0]![1].flatMap((b) => b.rows)).toHaveLength(3);
      expect(answers[1]!.ok).toBe(false);
      expect((answers[1] as { error: unknown }).error).toBeInstanceOf(SlotTakenError);
      const written = [answers[0]!, answers[2]!].map((a) => {
        if (!a.ok) throw a.error;
        return a.value[0]!;
      });
      expect(await stored(written)).toEqual({ bookings: 2, tokens: 4, outbox: 2, feed: 2 });
      expect(await stored(first)).toEqual({ bookings: 1, tokens: 2, outbox: 1, feed: 1 });
    } finally {
      writeAll.mockRestore();
    }
  });

  it('never writes a group partially when it shares a batch with a booking of one of its bays', async () => {
    const [a, b, c] = await Promise.all([plan(0, 5, 9), plan(1, 5, 9), plan(2, 5, 9)]);
    const writeAll = vi.spyOn(writer, 'insertBuilt');
    const answers = await Promise.all([
      settled(writer.write(request([b!]))),
      // The group wants bays 0 and 1 at the same time: bay 1 is the single booking's.
      settled(writer.write(request([a!, b!]))),
      settled(writer.write(request([c!]))),
    ]);
    // The clash was seen before the database: the two others shared a statement, the group came after.
    expect(writeAll.mock.calls.map((call) => call[1].flatMap((b) => b.rows).length)).toEqual([2, 2]);
    writeAll.mockRestore();
    expect(answers.map((x) => x.ok)).toEqual([true, false, true]);
    expect((answers[1] as { error: unknown }).error).toBeInstanceOf(SlotTakenError);
    const onBay0 = (await repo.list({ facilityId: f.facilityId, limit: 100 })).filter(
      (r) => r.simulatorId === f.bayIds[0] && r.startTime.getTime() === a!.start,
    );
    expect(onBay0).toHaveLength(0);
  });

  it('two requests with one idempotency key in a batch: the first is written, the twin fails on the key', async () => {
    const [a, b, c] = await Promise.all([plan(0, 6, 9), plan(1, 6, 9), plan(2, 6, 9)]);
    const writeAll = vi.spyOn(writer, 'insertBuilt');
    const answers = await Promise.all([
      settled(writer.write(request([a!], null, recorder('twin')))),
      settled(writer.write(request([b!], null, recorder('twin')))),
      settled(writer.write(request([c!]))),
    ]);
    expect(writeAll.mock.calls.map((call) => call[1].flatMap((b) => b.rows).length)).toEqual([2, 1]);
    writeAll.mockRestore();
    expect(answers[2]!.ok).toBe(true);
    expect(answers[0]!.ok).toBe(true);
    expect(answers[1]!.ok).toBe(false);
    expect(sqlState((answers[1] as { error: unknown }).error)).toBe('23505');
    const record = (await t.app.db.execute(
      sql`SELECT response FROM idempotency_keys WHERE scope = 'test' AND key = 'twin'`,
    )) as unknown as { rows: { response: unknown }[] };
    expect(record.rows).toHaveLength(1);
    expect(record.rows[0]!.response).toEqual((answers[0] as { value: string[] }).value);
  });
});
