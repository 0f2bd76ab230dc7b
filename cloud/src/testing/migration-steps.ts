import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from '../db/client.js';
import { createTestDatabase, type TestDatabaseKind } from './test-app.js';

/*
 * A database migrated only up to a chosen migration, to seed rows the way the previous schema
 * held them and then apply the next migration on top (a migration must apply to a database that
 * has data, not only to an empty one).
 */

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** A copy of the migrations folder whose journal stops at `tag` (inclusive). */
async function foldersUpTo(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clubos-migrations-'));
  await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as Journal;
  const last = journal.entries.findIndex((e) => e.tag === tag);
  if (last < 0) throw new Error(`no migration ${tag} in ${MIGRATIONS_FOLDER}`);
  const kept = journal.entries.slice(0, last + 1);
  await writeFile(journalFile, JSON.stringify({ ...journal, entries: kept }));
  const keptFiles = new Set(kept.map((e) => `${e.tag}.sql`));
  for (const name of await readdir(dir)) {
    if (name.endsWith('.sql') && !keptFiles.has(name)) await rm(path.join(dir, name));
  }
  return dir;
}

export interface SteppedDatabase {
  /** Runs SQL (several statements allowed when it has no parameters). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Applies every committed migration not applied yet. */
  migrateToLatest(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database of `kind` with the migrations up to `tag` applied. */
export async function databaseAtMigration(kind: TestDatabaseKind, tag: string): Promise<SteppedDatabase> {
  const partial = await foldersUpTo(tag);
  try {
    if (kind === 'pglite') {
      const client = await PGlite.create({ extensions: { btree_gist } });
      const db = drizzlePglite(client);
      await migratePglite(db, { migrationsFolder: partial });
      return {
        query: async <T>(text: string, params?: unknown[]) =>
          params
            ? (await client.query<T>(text, params)).rows
            : ((await client.exec(text)).at(-1)?.rows as T[]),
        migrateToLatest: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
        close: () => client.close(),
      };
    }
    const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_migration');
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const db = drizzlePg(pool);
    await migratePg(db, { migrationsFolder: partial });
    return {
      query: async <T>(text: string, params?: unknown[]) => {
        // Several statements without parameters answer one result each: the last one is wanted.
        const result = (await pool.query(text, params)) as pg.QueryResult | pg.QueryResult[];
        return (Array.isArray(result) ? result.at(-1)?.rows : result.rows) as T[];
      },
      migrateToLatest: () => migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: async () => {
        await pool.end();
        await drop?.();
      },
    };
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}
