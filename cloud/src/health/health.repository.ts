import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, MIGRATIONS_FOLDER } from '../db/client.js';

/** How many migrations this build ships (drizzle's journal), read once. */
const SHIPPED_MIGRATIONS: number = (
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
).entries.length;

export class HealthRepository {
  constructor(private readonly db: Database) {}

  async ping(): Promise<boolean> {
    try {
      await this.db.execute(sql`select 1`);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * True when the database has at least every migration this build ships (a newer build's extra
   * migrations are fine: they only add). False while the database is unreachable.
   */
  async migrationsApplied(): Promise<boolean> {
    try {
      const result = (await this.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )) as unknown as { rows: { n: number }[] };
      return (result.rows[0]?.n ?? 0) >= SHIPPED_MIGRATIONS;
    } catch {
      return false;
    }
  }
}
