import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER } from '../db/client.js';

/*
 * A fresh PGlite costs initdb plus every migration: seconds per test app, tens of seconds on a
 * busy machine. Tests instead open each database from a dump of one migrated PGlite (`loadDataDir`),
 * which skips initdb. The dump is built once per process and kept in the OS temp folder under a
 * hash of the migrations and the PGlite version, so the next test process (vitest runs each file in
 * its own) reads it instead of building it. openDatabase still runs the migrator on top, a no-op
 * when the journal is current, so a stale dump can never give a wrong schema.
 */

const FILE_PREFIX = 'clubos-pglite-template-';

let template: Promise<Blob> | undefined;

/** The migrated PGlite dump every test database starts from (built at most once per process). */
export function pgliteTemplate(): Promise<Blob> {
  template ??= loadOrBuild().catch((error: unknown) => {
    template = undefined;
    throw error;
  });
  return template;
}

/** A fresh in-memory PGlite with every migration applied, dumped as an uncompressed tarball. */
export async function buildMigratedDump(): Promise<Blob> {
  const client = await PGlite.create({ extensions: { btree_gist } });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

/** The temp file a dump of the current migrations lives in; changes whenever a migration does. */
export async function templateFile(): Promise<string> {
  const hash = createHash('sha256');
  const pglitePackage = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  const { version } = JSON.parse(await readFile(pglitePackage, 'utf8')) as { version: string };
  hash.update(`pglite ${version}\n`);
  const folders = [MIGRATIONS_FOLDER, path.join(MIGRATIONS_FOLDER, 'meta')];
  for (const folder of folders) {
    for (const name of (await readdir(folder)).sort()) {
      if (!name.endsWith('.sql') && name !== '_journal.json') continue;
      hash.update(`${name}\n`);
      hash.update(await readFile(path.join(folder, name)));
    }
  }
  return path.join(tmpdir(), `${FILE_PREFIX}${hash.digest('hex').slice(0, 16)}.tar`);
}

async function loadOrBuild(): Promise<Blob> {
  const file = await templateFile();
  try {
    return new Blob([await readFile(file)]);
  } catch {
    // Not built yet (or unreadable): build it below.
  }
  const dump = await buildMigratedDump();
  // Write then rename, so a concurrent test process never reads half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
    await removeOtherTemplates(file);
  } catch {
    // The cache is only an optimisation: a read-only temp folder still gets the in-process dump.
    await rm(partial, { force: true });
  }
  return dump;
}

/** Dumps of older migrations are never read again. */
async function removeOtherTemplates(keep: string): Promise<void> {
  const folder = path.dirname(keep);
  for (const name of await readdir(folder)) {
    if (name.startsWith(FILE_PREFIX) && name.endsWith('.tar') && path.join(folder, name) !== keep) {
      await rm(path.join(folder, name), { force: true });
    }
  }
}
