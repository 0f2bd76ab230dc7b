import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.js';
import { backupDatabase, listBackups } from './backup.js';
import { RestoreError, restoreDatabase, verifyEdgeDatabase } from './restore.js';

/**
 * The operator's backup and restore of the edge database, run by deploy/backup/edge-backup.sh and
 * edge-restore.sh (and the clubos-edge-backup timer) with the edge's own environment file:
 *
 *   node --import tsx edge/src/db/backup.cli.ts backup  [--dir DIR] [--keep N]
 *   node --import tsx edge/src/db/backup.cli.ts restore BACKUP_FILE
 *
 * Exit 0 on success; 1 with what to do next on failure; 2 on bad usage; 78 on a bad configuration.
 */

const USAGE =
  'usage: backup.cli.ts backup [--dir DIR] [--keep N]\n       backup.cli.ts restore BACKUP_FILE\n';

let prefix = 'edge-backup';
const say = (line: string) => process.stdout.write(`[${prefix}] ${line}\n`);

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

async function backup(args: string[]): Promise<void> {
  const config = loadConfig(process.env);
  const dir = path.resolve(option(args, '--dir') ?? config.backupDir);
  const keepText = option(args, '--keep');
  if (args.length > 0) throw new UsageError(`unexpected argument ${args[0]}`);
  const keep = keepText === undefined ? config.backupKeep : Number(keepText);
  if (!Number.isInteger(keep) || keep < 1) throw new UsageError('--keep must be a whole number ≥ 1');
  if (!existsSync(config.databaseFile)) {
    throw new RestoreError(
      `the edge database ${config.databaseFile} does not exist`,
      'check EDGE_DATA_DIR / EDGE_DB_FILE in the environment file (/etc/clubos/edge.env)',
    );
  }
  say(`online backup of ${config.databaseFile} into ${dir} (keeping ${keep})`);
  // Its own connection, no migrations: the running edge keeps writing while SQLite's backup API copies.
  const sqlite = new Database(config.databaseFile, { fileMustExist: true, timeout: 10_000 });
  let file: string;
  try {
    file = await backupDatabase({ sqlite }, dir, keep);
  } finally {
    sqlite.close();
  }
  const summary = verifyEdgeDatabase(file);
  say(`wrote ${file}: integrity ok, ${summary.bookings} bookings, ${summary.customers} customers`);
  say(`backups kept in ${dir}: ${(await listBackups(dir)).length}`);
}

function restore(args: string[]): void {
  const [file, ...rest] = args;
  if (file === undefined || rest.length > 0) throw new UsageError('restore takes exactly one BACKUP_FILE');
  const config = loadConfig(process.env);
  restoreDatabase({ backupFile: path.resolve(file), databaseFile: config.databaseFile, say });
  say('done: start the edge again (sudo systemctl start clubos-edge); it syncs from the cloud from there');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'restore') prefix = 'edge-restore';
  try {
    if (command === 'backup') await backup(args);
    else if (command === 'restore') restore(args);
    else throw new UsageError(command === undefined ? 'no command' : `unknown command ${command}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`[${prefix}] ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(
        `[${prefix}] ${error.message}\n[${prefix}] next: fix it in the environment file (/etc/clubos/edge.env)\n`,
      );
      return 78;
    }
    const hint =
      error instanceof RestoreError
        ? error.hint
        : 'read the error above; the live database was not changed unless a line above says so';
    process.stderr.write(`[${prefix}] FAILED: ${(error as Error).message}\n[${prefix}] next: ${hint}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
