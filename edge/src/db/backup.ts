import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { EdgeDatabase } from './database.js';

const PREFIX = 'edge-';
const SUFFIX = '.sqlite';

function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * Online backup through SQLite's backup API: consistent while the edge keeps writing, unlike a file
 * copy of a WAL database. Keeps the newest `keep` copies and returns the new file's path.
 */
export async function backupDatabase(
  database: Pick<EdgeDatabase, 'sqlite'>,
  dir: string,
  keep: number,
  at: Date = new Date(),
): Promise<string> {
  await mkdir(dir, { recursive: true });
  // Two backups in the same second (a manual one right after the nightly one) must not overwrite:
  // the zero-padded counter continues after the newest copy with that stamp, so names sort in
  // creation order and pruning always removes the oldest.
  const base = `${PREFIX}${stamp(at)}-`;
  const taken = (await listBackups(dir))
    .filter((n) => n.startsWith(base))
    .map((n) => Number(n.slice(base.length, -SUFFIX.length)));
  const n = taken.length === 0 ? 0 : Math.max(...taken) + 1;
  const target = path.join(dir, `${base}${String(n).padStart(3, '0')}${SUFFIX}`);
  await database.sqlite.backup(target);
  const all = await listBackups(dir);
  const stale = all.slice(0, Math.max(0, all.length - keep));
  await Promise.all(stale.map((name) => rm(path.join(dir, name), { force: true })));
  return target;
}

/** Backup file names, oldest first (the timestamp in the name sorts lexically). */
export async function listBackups(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX)).sort();
}
