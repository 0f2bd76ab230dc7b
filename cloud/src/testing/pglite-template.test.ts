import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase } from '../db/client.js';
import { pgliteTemplate, templateFile } from './pglite-template.js';

const rowsOf = (result: unknown): unknown[] => (result as { rows: unknown[] }).rows;

const journal = JSON.parse(await readFile(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as {
  entries: unknown[];
};

describe('PGlite test template', () => {
  it('opens a database from a dump and still applies the migrations the dump lacks', async () => {
    // A dump of an unmigrated cluster with one marker table: a stale template.
    const stale = await PGlite.create({ extensions: { btree_gist } });
    await stale.exec('CREATE TABLE template_marker (id int)');
    const dump = await stale.dumpDataDir('none');
    await stale.close();

    const handle = await openDatabase({ loadDataDir: dump });
    try {
      const marker = await handle.db.execute(sql`SELECT to_regclass('template_marker')::text AS name`);
      expect(rowsOf(marker)[0]).toEqual({ name: 'template_marker' });
      const bookings = await handle.db.execute(sql`SELECT to_regclass('bookings')::text AS name`);
      expect(rowsOf(bookings)[0]).toEqual({ name: 'bookings' });
    } finally {
      await handle.close();
    }
  }, 180_000);

  it('builds the migrated dump once per process, caches it on disk and opens it fully migrated', async () => {
    const first = pgliteTemplate();
    expect(pgliteTemplate()).toBe(first);
    const dump = await first;
    expect((await readFile(await templateFile())).byteLength).toBe(dump.size);

    const handle = await openDatabase({ loadDataDir: dump });
    try {
      const applied = await handle.db.execute(
        sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
      );
      // The migrator found the journal current and applied nothing twice.
      expect(rowsOf(applied)[0]).toEqual({ n: journal.entries.length });
      const exclusion = await handle.db.execute(
        sql`SELECT conname FROM pg_constraint WHERE conname = 'booking_no_overlap'`,
      );
      expect(rowsOf(exclusion)).toHaveLength(1);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
