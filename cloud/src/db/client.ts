import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { CLOUD_DIR } from '../cloud-paths.js';
import { bindNamedStatements } from '../common/named-statement.js';
import { poolConfig } from './host-list.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The database handle every repository takes: the same type on PGlite and on PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What a repository write method accepts: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Queries queued for a pool connection now (load shedding reads it; PGlite has no pool: 0). */
  waiting(): number;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = join(CLOUD_DIR, 'drizzle');

/** The advisory lock key around the migrator ("clubos-migrate" as one 64-bit number). */
export const MIGRATION_LOCK_KEY = 7_342_110_583_265_102n;

/**
 * Runs the migrator while holding a session advisory lock on a connection of its own: when several
 * instances start together, one migrates and the others wait, then find every migration applied.
 */
async function migrateOnce(pool: pg.Pool, migrate: () => Promise<void>): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migrate();
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    lock.release();
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; absent → PGlite. */
  url?: string | undefined;
  /** PGlite data folder; absent → in memory. */
  dataDir?: string | undefined;
  /**
   * A PGlite data folder dumped with `dumpDataDir()` to start from instead of an empty cluster
   * (tests use a migrated template to skip initdb). The migrations still run afterwards, so a
   * stale dump cannot give a wrong schema.
   */
  loadDataDir?: Blob | undefined;
  poolSize?: number;
  warn?: (message: string) => void;
}

/**
 * Opens PostgreSQL (a `pg` pool) or embedded PGlite and applies the committed migrations, so the
 * same schema and the same code run on both.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    // A list of hosts with target_session_attrs=read-write follows a promoted replica (host-list.ts).
    const pool = new pg.Pool({ ...poolConfig(options.url), max: options.poolSize ?? 20 });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema });
    try {
      await migrateOnce(pool, () => migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER }));
    } catch (error) {
      await pool.end();
      throw error;
    }
    bindNamedStatements(db, pool);
    // A transaction's statements run on its own connection. Drizzle keeps that connection private,
    // so the transaction is opened here, on a client this module checked out, and bound to it.
    const onClient = new WeakMap<pg.PoolClient, typeof db>();
    db.transaction = async (run, config) => {
      const client = await pool.connect();
      try {
        let bound = onClient.get(client);
        if (bound === undefined) {
          bound = drizzlePg(client, { schema }) as unknown as typeof db;
          onClient.set(client, bound);
        }
        return await bound.transaction((tx) => {
          bindNamedStatements(tx, client);
          return run(tx);
        }, config);
      } finally {
        client.release();
      }
    };
    return {
      db: db as unknown as Database,
      kind: 'postgres',
      waiting: () => pool.waitingCount,
      close: () => pool.end(),
    };
  }

  options.warn?.(
    'Running on embedded PGlite (no DATABASE_URL): PGlite runs PostgreSQL with fsync off, fine for ' +
      'trying the system and for tests, NOT for production. Set DATABASE_URL to use PostgreSQL.',
  );
  const client = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { btree_gist },
  });
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Database, kind: 'pglite', waiting: () => 0, close: () => client.close() };
}
