import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { executeNamed } from './named-statement.js';

describe.each(testDatabases())('named statements on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('answers like execute, and PostgreSQL keeps the statement prepared on the connection', async () => {
    await t.app.db.transaction(async (tx) => {
      const query = (n: number) => sql`SELECT ${n}::int + 1 AS answer`;
      const first = await executeNamed<{ answer: number }>(tx, query(1));
      const second = await executeNamed<{ answer: number }>(tx, query(41));
      expect([first.rows[0]!.answer, second.rows[0]!.answer]).toEqual([2, 42]);
      if (kind === 'postgres') {
        const prepared = (await tx.execute(
          sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'`,
        )) as unknown as { rows: { n: number }[] };
        // One statement for both calls: parsed and planned once.
        expect(prepared.rows[0]!.n).toBe(1);
      }
    });
  });

  it('gives instants, dates and intervals as drizzle execute does, in and out of a transaction', async () => {
    const query = sql`SELECT ${'2025-03-01T10:00:00Z'}::timestamptz AS at, ${'2025-03-01'}::date AS day,
      interval '90 minutes' AS span, ARRAY[${'2025-03-01T10:00:00Z'}::timestamptz] AS ats, 7::int AS n`;
    const plain = (await t.app.db.execute(query)) as unknown as { rows: unknown[] };
    expect((await executeNamed(t.app.db, query)).rows).toEqual(plain.rows);
    await t.app.db.transaction(async (tx) => {
      expect((await executeNamed(tx, query)).rows).toEqual(plain.rows);
    });
  });

  it('runs through the driver with a name on PostgreSQL (public pg API), plainly on PGlite', async () => {
    const client = (t.app.db as unknown as { $client: pg.Pool }).$client;
    const query = vi.spyOn(client, 'query');
    try {
      const answer = await executeNamed<{ n: number }>(t.app.db, sql`SELECT ${5}::int AS n`);
      expect(answer.rows).toEqual([{ n: 5 }]);
      const configs = query.mock.calls.map((call) => call[0] as unknown);
      if (kind === 'postgres') {
        expect(configs).toContainEqual(
          expect.objectContaining({
            name: expect.stringMatching(/^s_[0-9a-f]{24}$/),
            text: 'SELECT $1::int AS n',
          }),
        );
      } else {
        expect(configs.some((c) => typeof c === 'object' && c !== null && 'name' in c)).toBe(false);
      }
    } finally {
      query.mockRestore();
    }
  });
});
