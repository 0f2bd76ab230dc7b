import {
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** A restore step that cannot go on; `hint` tells the operator what to do next. */
export class RestoreError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'RestoreError';
  }
}

/** Tables a database must have to be an edge database (the replica and the edge's own audit). */
const REQUIRED_TABLES = ['bookings', 'customers', 'facility', 'audit_log', 'outbox', '__drizzle_migrations'];

export interface DatabaseSummary {
  bookings: number;
  customers: number;
}

/**
 * True when another connection has the database open (the edge process keeps its one connection
 * open for its whole life): an exclusive-mode transaction cannot start while any WAL reader holds
 * its shared lock. A database that does not exist is not in use.
 */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const probe = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    probe.close();
  }
}

/** `PRAGMA integrity_check` and the edge's tables; throws a RestoreError naming what is wrong. */
export function verifyEdgeDatabase(file: string, label = file): DatabaseSummary {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { fileMustExist: true, timeout: 5_000 });
  } catch (error) {
    throw new RestoreError(
      `${label} cannot be opened as SQLite (${(error as Error).message})`,
      'choose another backup file (ls -l the backup folder: the nightly ones are edge-<time>-NNN.sqlite)',
    );
  }
  try {
    let problems: string[];
    try {
      problems = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map(
        (row) => row.integrity_check,
      );
    } catch (error) {
      problems = [(error as Error).message];
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new RestoreError(
        `${label} fails PRAGMA integrity_check: ${problems.slice(0, 5).join('; ')}`,
        'the file is damaged: choose an older backup',
      );
    }
    const tables = new Set(
      (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((name) => !tables.has(name));
    if (missing.length > 0) {
      throw new RestoreError(
        `${label} is not an edge database (no table ${missing.join(', ')})`,
        'choose a backup written by the edge (edge-backup.sh or the nightly backup)',
      );
    }
    const count = (table: string) =>
      (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { bookings: count('bookings'), customers: count('customers') };
  } finally {
    sqlite.close();
  }
}

export interface RestoreOptions {
  /** The backup to restore. */
  backupFile: string;
  /** The edge's live database (EDGE_DB_FILE). */
  databaseFile: string;
  at?: Date;
  /** Progress lines for the operator. */
  say?: (line: string) => void;
}

export interface RestoreResult extends DatabaseSummary {
  /** Where the replaced database (and its -wal/-shm) was moved; empty when there was none. */
  setAside: string[];
}

function fsyncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function assertStopped(databaseFile: string): void {
  if (databaseInUse(databaseFile)) {
    throw new RestoreError(
      `${databaseFile} is open in a running edge`,
      'stop the edge first (sudo systemctl stop clubos-edge), then run the restore again',
    );
  }
}

/**
 * Replaces the edge's database with a backup: refuses while the edge has it open, checks the backup
 * (integrity and tables) on a copy beside the live file, moves the old database and its WAL aside as
 * `<file>.before-restore-<time>`, and renames the checked copy into place (atomic on one file system).
 */
export function restoreDatabase(options: RestoreOptions): RestoreResult {
  const say = options.say ?? (() => {});
  const { backupFile, databaseFile } = options;
  const stamp = (options.at ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  if (!existsSync(backupFile)) {
    throw new RestoreError(`backup ${backupFile} does not exist`, 'give the path of an existing backup file');
  }
  say(`checking that the edge is stopped (${databaseFile} not open)`);
  assertStopped(databaseFile);

  const staging = `${databaseFile}.restoring-${stamp}`;
  say(`copying ${backupFile} to ${staging} and running PRAGMA integrity_check`);
  copyFileSync(backupFile, staging);
  let summary: DatabaseSummary;
  try {
    summary = verifyEdgeDatabase(staging, backupFile);
    fsyncPath(staging);
  } catch (error) {
    rmSync(staging, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(`${staging}${suffix}`, { force: true });
    throw error;
  }
  say(`backup is sound: ${summary.bookings} bookings, ${summary.customers} customers`);

  assertStopped(databaseFile);
  const setAside: string[] = [];
  const owner = existsSync(databaseFile) ? statSync(databaseFile) : statSync(path.dirname(databaseFile));
  const aside = `${databaseFile}.before-restore-${stamp}`;
  // The -wal may hold committed rows of a crashed edge: it moves with its database so the pair stays
  // openable as one (SQLite finds `<name>-wal` beside `<name>`).
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(`${databaseFile}${suffix}`)) continue;
    renameSync(`${databaseFile}${suffix}`, `${aside}${suffix}`);
    setAside.push(`${aside}${suffix}`);
  }
  if (setAside.length > 0) say(`moved the current database aside: ${setAside.join(', ')}`);
  renameSync(staging, databaseFile);
  if (process.getuid?.() === 0) chownSync(databaseFile, owner.uid, owner.gid);
  fsyncPath(path.dirname(databaseFile));
  const installed = verifyEdgeDatabase(databaseFile);
  say(`restored ${databaseFile}: ${installed.bookings} bookings, ${installed.customers} customers`);
  return { ...installed, setAside };
}
