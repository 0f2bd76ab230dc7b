import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

// Migration 0004: `users.token_generation` (auth.plugin.ts retires older access tokens) and an
// index on `users.customer_id` (guest checkout and sign-up ask whether a record has an account).
describe.each(testDatabases())('users after migration 0004 on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  }, 120_000);
  afterAll(async () => t?.close());

  it('has token_generation, not null and starting at 0', async () => {
    const columns = rowsOf(
      await t.app.db.execute(sql`
        SELECT is_nullable, column_default FROM information_schema.columns
        WHERE table_name = 'users' AND column_name = 'token_generation'`),
    );
    expect(columns).toEqual([{ is_nullable: 'NO', column_default: '0' }]);
  });

  it('indexes users by customer_id', async () => {
    const indexes = rowsOf(
      await t.app.db.execute(sql`
        SELECT indexdef FROM pg_indexes WHERE tablename = 'users' AND indexname = 'idx_users_customer'`),
    );
    expect(indexes).toHaveLength(1);
    expect(String(indexes[0]!.indexdef)).toMatch(/\(customer_id\)/);
  });
});
