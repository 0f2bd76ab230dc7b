import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { EDGE_DIR } from '../edge-paths.js';
import * as schema from './schema.js';

export type Drizzle = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * The edge's one SQLite connection: the process is the only writer (docs/decisions/002-no-double-booking.md),
 * so every write goes through this handle and better-sqlite3 serialises them.
 */
export interface EdgeDatabase {
  readonly sqlite: Database.Database;
  readonly db: Drizzle;
  /**
   * Runs `fn` inside `BEGIN IMMEDIATE … COMMIT`. `fn` must be synchronous: better-sqlite3 cannot hold
   * a transaction across an await (docs/architecture.md, SQLite transactions are short), so network work goes
   * before or after.
   */
  immediate<T>(fn: () => T): T;
  close(): void;
}

const MIGRATIONS = path.join(EDGE_DIR, 'drizzle');

export function openDatabase(file: string): EdgeDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // WAL lets the LAN API read while the sync writes; FULL because a venue loses power and an
  // acknowledged walk-in, check-in or audit row must survive it (docs/decisions/015-durability.md).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return {
    sqlite,
    db,
    immediate: <T>(fn: () => T): T => sqlite.transaction(fn).immediate(),
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
