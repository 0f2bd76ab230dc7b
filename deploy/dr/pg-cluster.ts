import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Throwaway PostgreSQL clusters for the failover and restore drills: real `initdb`, `pg_ctl`,
 * `pg_basebackup` on free ports in temp folders. PostgreSQL refuses to run as root, so as root
 * every server command runs as the `postgres` user (the folders are given to it).
 */
const run = promisify(execFile);

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as `postgres` when this process is root. */
export async function pgCommand(program: string, args: string[], timeout = 120_000): Promise<string> {
  const file = program.includes('/') ? program : path.join(PG_BIN, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const { stdout } = await run(cmd, argv, { timeout, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A temp folder the server user owns (mode 0700, as initdb wants). */
export function serverFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** Hands a folder this process made to the server user (as root). */
export function giveToServer(dir: string): void {
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
}

let ids: { uid: number; gid: number } | undefined;
function postgresIds(): { uid: number; gid: number } {
  if (!ids) {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    if (!line) throw new Error('running as root needs a postgres user to run the PostgreSQL servers');
    const [, , uid, gid] = line.split(':');
    ids = { uid: Number(uid), gid: Number(gid) };
  }
  return ids;
}

export interface Cluster {
  dir: string;
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/<db>` */
  url(database?: string): string;
  start(): Promise<void>;
  /** `fast` waits for clients to leave; `immediate` is a crash (no shutdown checkpoint). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  promote(): Promise<void>;
  psql(sql: string, database?: string): Promise<string>;
  /** Stops the server if it runs and deletes its folder. */
  destroy(): Promise<void>;
}

/** A cluster whose data folder is `<dir>/data` (started or not). */
export function cluster(dir: string, port: number): Cluster {
  const data = path.join(dir, 'data');
  const self: Cluster = {
    dir,
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: async () => {
      await pgCommand('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    },
    stop: async (mode = 'fast') => {
      await pgCommand('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    promote: async () => {
      await pgCommand('pg_ctl', ['-D', data, '-w', 'promote']);
    },
    psql: async (sql, database = 'postgres') =>
      (
        await pgCommand('psql', [
          '-X',
          '-A',
          '-t',
          '-q',
          '-v',
          'ON_ERROR_STOP=1',
          '-d',
          self.url(database),
          '-c',
          sql,
        ])
      ).trim(),
    destroy: async () => {
      await pgCommand('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

export interface PrimaryOptions {
  /** Commits wait until the standby has flushed them (no acknowledged write lost at failover). */
  synchronous?: boolean;
  /** Settings appended to postgresql.conf (archive_command for pgBackRest, …). */
  settings?: Record<string, string>;
}

/** A new primary, started: trust auth on loopback, WAL for streaming replicas. */
export async function createPrimary(options: PrimaryOptions = {}): Promise<Cluster> {
  const dir = serverFolder('clubos-pg-primary-');
  const port = await freePort();
  const data = path.join(dir, 'data');
  await pgCommand('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-instructions',
  ]);
  const settings: Record<string, string> = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    wal_level: 'replica',
    max_wal_senders: '5',
    hot_standby: 'on',
    wal_keep_size: "'256MB'",
    shared_buffers: "'64MB'",
    ...(options.synchronous ? { synchronous_standby_names: "'*'", synchronous_commit: 'on' } : {}),
    ...options.settings,
  };
  appendConf(data, settings);
  const primary = cluster(dir, port);
  await primary.start();
  return primary;
}

/** A streaming replica of `primary` (`pg_basebackup -R`), started on its own port. */
export async function createReplica(primary: Cluster): Promise<Cluster> {
  const dir = serverFolder('clubos-pg-replica-');
  const port = await freePort();
  const data = path.join(dir, 'data');
  await pgCommand('pg_basebackup', [
    '-D',
    data,
    '-d',
    `host=127.0.0.1 port=${primary.port} user=postgres application_name=replica`,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  // pg_basebackup copies the primary's postgresql.conf. A promoted standby that kept
  // synchronous_standby_names = '*' would wait on every commit for a standby it does not have:
  // the cloud could never write again (the promotion drill's intermittent miss, decision 012).
  appendConf(data, {
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    synchronous_standby_names: "''",
  });
  const replica = cluster(dir, port);
  await replica.start();
  return replica;
}

export function appendConf(data: string, settings: Record<string, string>): void {
  const lines = Object.entries(settings).map(([k, v]) => `${k} = ${v}`);
  appendFileSync(path.join(data, 'postgresql.conf'), `\n# clubos drill\n${lines.join('\n')}\n`);
}
