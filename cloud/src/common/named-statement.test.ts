import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
