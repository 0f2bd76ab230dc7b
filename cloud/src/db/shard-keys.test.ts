import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAtMigration, type SteppedDatabase } from '../testing/migration-steps.js';
import { testDatabases } from '../testing/test-app.js';

/*
 * docs/decisions/019-sharding-by-facility.md: every booking-scoped table is distributed by
 * facility under Citus, which needs facility_id in each of its primary, unique and exclusion keys
 * and in the foreign keys between them. Read from the catalog, so a new key that forgets it fails.
 */

const BOOKING_SCOPED = [
  'bookings',
  'access_tokens',
  'waitlist_entries',
  'payments',
  'refunds',
  'refund_outbox',
  'refund_overrides',
  'no_show_fees',
  'walk_in_dues',
  'notification_messages',
  'notification_reads',
  'change_log',
];

const PREVIOUS = '0017_walk-in-card-policy';

interface Key {
  table: string;
  name: string;
  kind: string;
  first: string;
}

/** Primary, unique and exclusion constraints, unique indexes, and foreign keys between the tables: their first column. */
const KEYS = `
  SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype::text AS kind, a.attname AS first
  FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
  WHERE c.contype IN ('p', 'u', 'x', 'f') AND c.connamespace = 'public'::regnamespace
  UNION ALL
  SELECT i.indrelid::regclass::text, ci.relname, 'i', a.attname
  FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
  WHERE i.indisunique AND ci.relnamespace = 'public'::regnamespace
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`;

async function keysOf(db: SteppedDatabase): Promise<Key[]> {
  const fks = await db.query<{ name: string; target: string }>(
    `SELECT conname AS name, confrelid::regclass::text AS target FROM pg_constraint WHERE contype = 'f'`,
  );
  const foreignTargets = new Map(fks.map((f) => [f.name, f.target]));
  return (await db.query<Key>(KEYS)).filter(
    (k) =>
      BOOKING_SCOPED.includes(k.table) &&
      // A foreign key counts when it joins two booking-scoped tables (co-located shards).
      (k.kind !== 'f' || BOOKING_SCOPED.includes(foreignTargets.get(k.name) ?? '')),
  );
}

describe.each(testDatabases())('sharding-ready keys on %s', (kind) => {
  let db: SteppedDatabase;
  let ids: Record<string, string>;

  beforeAll(async () => {
    db = await databaseAtMigration(kind, PREVIOUS);
    ids = await seedAtPrevious(db);
    await db.migrateToLatest();
  }, 180_000);
  afterAll(async () => db?.close());

  it('leads every booking-scoped primary, unique, exclusion and foreign key with facility_id', async () => {
    const keys = await keysOf(db);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => k.first !== 'facility_id')).toEqual([]);
    const overlap = keys.find((k) => k.name === 'booking_no_overlap');
    expect(overlap).toMatchObject({ kind: 'x', first: 'facility_id' });
    const tablesWithPrimaryKey = new Set(keys.filter((k) => k.kind === 'p').map((k) => k.table));
    expect([...tablesWithPrimaryKey].sort()).toEqual([...BOOKING_SCOPED].sort());
  });

  it('gives every booking-scoped table a NOT NULL facility_id', async () => {
    const columns = await db.query<{ table: string; nullable: string }>(
      `SELECT table_name AS table, is_nullable AS nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND column_name = 'facility_id'`,
    );
    const notNull = columns.filter((c) => c.nullable === 'NO').map((c) => c.table);
    for (const table of BOOKING_SCOPED) expect(notNull, table).toContain(table);
  });

  it("backfills the new facility_id columns from the booking's rows", async () => {
    const backfilled = await db.query<{ table: string; facility_id: string }>(`
      SELECT 'access_tokens' AS table, facility_id::text FROM access_tokens
      UNION ALL SELECT 'refunds', facility_id::text FROM refunds
      UNION ALL SELECT 'refund_outbox', facility_id::text FROM refund_outbox
      UNION ALL SELECT 'refund_overrides', facility_id::text FROM refund_overrides
      UNION ALL SELECT 'notification_reads', facility_id::text FROM notification_reads`);
    expect(backfilled.map((r) => r.table).sort()).toEqual(
      ['access_tokens', 'notification_reads', 'refund_outbox', 'refund_overrides', 'refunds'].sort(),
    );
    for (const row of backfilled) expect(row.facility_id, row.table).toBe(ids.facility);
  });

  it('still refuses an overlapping booking on the bay and finds a booking by id alone', async () => {
    await expect(
      db.query(
        `INSERT INTO bookings (facility_id, simulator_id, start_time, end_time, blocked_until, duration, reference_code)
         VALUES ($1, $2, '2030-01-01T10:30:00Z', '2030-01-01T11:30:00Z', '2030-01-01T11:30:00Z', 60, 'OVERLP')`,
        [ids.facility, ids.bay],
      ),
    ).rejects.toMatchObject({ code: '23P01' });
    const found = await db.query<{ reference_code: string }>(
      'SELECT reference_code FROM bookings WHERE id = $1',
      [ids.booking],
    );
    expect(found).toEqual([{ reference_code: 'SHARD2' }]);
  });

  it("clears only a waitlist offer's booking when the offered hold is deleted; its tokens go with it", async () => {
    await db.query('DELETE FROM bookings WHERE id = $1', [ids.booking]);
    const [entry] = await db.query<{ facility_id: string; offer_booking_id: string | null }>(
      'SELECT facility_id::text, offer_booking_id::text FROM waitlist_entries WHERE id = $1',
      [ids.waitlist],
    );
    expect(entry).toEqual({ facility_id: ids.facility, offer_booking_id: null });
    expect(await db.query('SELECT id FROM access_tokens')).toEqual([]);
  });
});

/** One of each row the migration rewrites, written as migration 0017's schema holds them. */
async function seedAtPrevious(db: SteppedDatabase): Promise<Record<string, string>> {
  const one = async (text: string, params: unknown[] = []) =>
    (await db.query<{ id: string }>(`${text} RETURNING id::text`, params))[0]!.id;
  const facility = await one(`INSERT INTO facilities (name) VALUES ('Shard Golf')`);
  const bay = await one(`INSERT INTO simulators (facility_id, name) VALUES ($1, 'Bay 1')`, [facility]);
  const customer = await one(`INSERT INTO customers (email) VALUES ('shard@example.com')`);
  const staff = await one(
    `INSERT INTO users (email, password_hash, role) VALUES ('staff@example.com', 'x', 'staff')`,
  );
  const booking = await one(
    `INSERT INTO bookings (facility_id, simulator_id, customer_id, start_time, end_time, blocked_until,
       duration, status, reference_code)
     VALUES ($1, $2, $3, '2030-01-01T10:00:00Z', '2030-01-01T11:00:00Z', '2030-01-01T11:00:00Z', 60,
       'pending', 'SHARD2')`,
    [facility, bay, customer],
  );
  await one(
    `INSERT INTO access_tokens (booking_id, token, type, valid_from, valid_until)
     VALUES ($1, '123456', 'pin', '2030-01-01T09:45:00Z', '2030-01-01T11:00:00Z')`,
    [booking],
  );
  const payment = await one(
    `INSERT INTO payments (booking_id, facility_id, kind, provider, amount_cents, currency, status)
     VALUES ($1, $2, 'online', 'stripe', 4000, 'usd', 'succeeded')`,
    [booking, facility],
  );
  const refund = await one(
    `INSERT INTO refunds (payment_id, booking_id, seq, amount_cents, reason, actor)
     VALUES ($1, $2, 1, 1000, 'cancelled', 'system')`,
    [payment, booking],
  );
  await db.query('INSERT INTO refund_outbox (refund_id, booking_id) VALUES ($1, $2)', [refund, booking]);
  await one(
    `INSERT INTO refund_overrides (booking_id, actor_user_id, policy_cents, amount_cents, reason)
     VALUES ($1, $2, 0, 1000, 'goodwill')`,
    [booking, staff],
  );
  const message = await db.query<{ id: number }>(
    `INSERT INTO notification_messages (booking_id, facility_id, kind, version)
     VALUES ($1, $2, 'confirmation', 1) RETURNING id`,
    [booking, facility],
  );
  await db.query('INSERT INTO notification_reads (message_id) VALUES ($1)', [message[0]!.id]);
  const waitlist = await one(
    `INSERT INTO waitlist_entries (facility_id, customer_id, start_time, duration, status, offer_booking_id)
     VALUES ($1, $2, '2030-01-01T10:00:00Z', 60, 'offered', $3)`,
    [facility, customer, booking],
  );
  return { facility, bay, booking, waitlist };
}
