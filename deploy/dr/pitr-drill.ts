import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  appendConf,
  type Cluster,
  cluster,
  createPrimary,
  freePort,
  giveToServer,
  pgCommand,
  serverFolder,
} from './pg-cluster.js';

/**
 * The point-in-time restore drill (deploy/RUNBOOK.md): a primary archiving its WAL continuously
 * with pgBackRest (`archive_command = pgbackrest archive-push`, `archive_timeout`), a full backup,
 * then writes; at a chosen instant an operator's mistake (every row deleted), more writes, the
 * archive brought up to date (`pgbackrest check`), more writes, and the primary is lost (killed, its folder deleted). Two restores from the repository into new folders:
 * to the chosen instant (the mistake undone) and to the end of the archive (the crash).
 */
export interface PitrOptions {
  /** Writing before the chosen instant; after it, and again after the archive check until the primary is lost. */
  beforeMs: number;
  afterMs: number;
  /** Seconds after which a partly filled WAL segment is archived anyway: the crash's worst RPO. */
  archiveTimeoutSeconds: number;
  log?: (line: string) => void;
}

export interface PitrResult {
  archiveTimeoutSeconds: number;
  backupSeconds: number;
  rowsBeforeTarget: number;
  /** Restore to the chosen instant. */
  targetRestoreSeconds: number;
  /** Rows committed before the instant that the restore lacks (must be 0), and rows after it it has. */
  targetMissing: number;
  targetExtra: number;
  /** Instant → last restored commit before it: what a restore to a chosen moment gives up. */
  targetRpoSeconds: number;
  /** Restore to the end of the archive after the primary's loss. */
  latestRestoreSeconds: number;
  /** Last acknowledged write on the lost primary → last write the restore has. */
  crashRpoSeconds: number;
  crashRowsLost: number;
  /** Rows written when the archive was last brought up to date (`pgbackrest check`). */
  rowsArchived: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PGBACKREST = process.env.PGBACKREST ?? '/usr/bin/pgbackrest';

export async function pitrDrill(options: PitrOptions): Promise<PitrResult> {
  const log = options.log ?? (() => {});
  const repoDir = serverFolder('clubos-pgbackrest-');
  const conf = path.join(repoDir, 'pgbackrest.conf');
  const backrest = (args: string[]) =>
    pgCommand(PGBACKREST, [`--config=${conf}`, '--stanza=drill', ...args], 600_000);
  const clusters: Cluster[] = [];
  try {
    const primary = await createPrimary({
      settings: {
        archive_mode: 'on',
        archive_command: `'${PGBACKREST} --config=${conf} --stanza=drill archive-push %p'`,
        archive_timeout: String(options.archiveTimeoutSeconds),
      },
    });
    clusters.push(primary);
    writeFileSync(
      conf,
      [
        '[global]',
        `repo1-path=${repoDir}/repo`,
        `log-path=${repoDir}`,
        `lock-path=${repoDir}`,
        'log-level-console=warn',
        'log-level-file=info',
        'start-fast=y',
        'compress-type=lz4',
        '[drill]',
        `pg1-path=${primary.dir}/data`,
        `pg1-port=${primary.port}`,
        `pg1-socket-path=${primary.dir}`,
        'pg1-user=postgres',
        '',
      ].join('\n'),
    );
    await backrest(['stanza-create']);
    await primary.psql(
      'CREATE TABLE drill_writes (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())',
    );
    const backupStarted = Date.now();
    await backrest(['--type=full', 'backup']);
    const backupSeconds = (Date.now() - backupStarted) / 1000;
    log(`full backup in ${backupSeconds.toFixed(1)} s`);

    // Writes, each acknowledged with its commit time as the server stamped it (a psql per write:
    // deploy/ has no driver of its own, and a write every ~0.1 s is plenty for the drill).
    const acked: { id: number; at: string }[] = [];
    const utc = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;
    const writeFor = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const row = await primary.psql(
          `INSERT INTO drill_writes DEFAULT VALUES RETURNING id || ' ' || ${utc('at')}`,
        );
        const [id, ...at] = row.split(' ');
        acked.push({ id: Number(id), at: at.join(' ') });
        await sleep(20);
      }
    };
    await writeFor(options.beforeMs);
    const target = await primary.psql(`SELECT ${utc('clock_timestamp()')}`);
    const rowsBeforeTarget = acked.length;
    await primary.psql('DELETE FROM drill_writes');
    log(`chosen instant ${target} UTC after ${rowsBeforeTarget} rows; every row deleted`);
    await writeFor(options.afterMs);
    // The operator's first step before restoring to an instant: `pgbackrest check` switches to a
    // new WAL segment and waits until the one holding the instant is in the repository.
    await backrest(['check']);
    const rowsArchived = acked.length;
    await writeFor(options.afterMs);
    await primary.stop('immediate');
    rmSync(path.join(primary.dir, 'data'), { recursive: true, force: true });
    log(`primary lost after ${acked.length} rows`);

    const restore = async (recovery: string[]) => {
      const dir = serverFolder('clubos-pg-restored-');
      const port = await freePort();
      const data = path.join(dir, 'data');
      const started = Date.now();
      mkdirSync(data, { mode: 0o700 });
      giveToServer(data);
      await backrest([`--pg1-path=${data}`, ...recovery, 'restore']);
      // Its own port and socket; no archiving into the repository the other restore reads.
      appendConf(data, { port: String(port), unix_socket_directories: `'${dir}'`, archive_mode: 'off' });
      const restored = cluster(dir, port);
      clusters.push(restored);
      await restored.start();
      while ((await restored.psql('SELECT pg_is_in_recovery()')) === 't') await sleep(100);
      const seconds = (Date.now() - started) / 1000;
      const rows = (
        await restored.psql("SELECT id || ' ' || (at AT TIME ZONE 'UTC') FROM drill_writes ORDER BY id")
      )
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [id, ...at] = line.split(' ');
          return { id: Number(id), at: at.join(' ') };
        });
      return { seconds, rows };
    };

    const toTarget = await restore(['--type=time', `--target=${target}+00`, '--target-action=promote']);
    log(`restored to the instant in ${toTarget.seconds.toFixed(1)} s: ${toTarget.rows.length} rows`);
    const wanted = new Set(acked.slice(0, rowsBeforeTarget).map((a) => a.id));
    const got = new Set(toTarget.rows.map((r) => r.id));
    const lastBefore = toTarget.rows.at(-1);
    const latest = await restore(['--type=default']);
    log(`restored to the end of the archive in ${latest.seconds.toFixed(1)} s: ${latest.rows.length} rows`);
    const lastAcked = acked.at(-1)!;
    const latestIds = new Set(latest.rows.map((r) => r.id));
    // The newest write the restore kept (the rows before the instant were deleted on purpose).
    const lastKept = acked
      .slice(rowsBeforeTarget)
      .reverse()
      .find((a) => latestIds.has(a.id));
    const seconds = (a: string, b: string) =>
      (Date.parse(`${b}Z`.replace(' ', 'T')) - Date.parse(`${a}Z`.replace(' ', 'T'))) / 1000;
    return {
      archiveTimeoutSeconds: options.archiveTimeoutSeconds,
      backupSeconds,
      rowsBeforeTarget,
      targetRestoreSeconds: toTarget.seconds,
      targetMissing: [...wanted].filter((id) => !got.has(id)).length,
      targetExtra: [...got].filter((id) => !wanted.has(id)).length,
      targetRpoSeconds: lastBefore ? seconds(lastBefore.at, target) : Number.POSITIVE_INFINITY,
      latestRestoreSeconds: latest.seconds,
      // Rows after the mistake's DELETE that the restore has; the rows before it were deleted on purpose.
      crashRowsLost: acked.slice(rowsBeforeTarget).filter((a) => !latestIds.has(a.id)).length,
      rowsArchived,
      crashRpoSeconds: seconds(lastKept?.at ?? target, lastAcked.at),
    };
  } finally {
    for (const c of clusters) await c.destroy();
    rmSync(repoDir, { recursive: true, force: true });
  }
}
