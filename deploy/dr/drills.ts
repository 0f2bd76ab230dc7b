import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FailoverResult, failoverDrill } from './failover-drill.js';
import { type PitrResult, pitrDrill } from './pitr-drill.js';

/**
 * Runs the drills at their recorded length and writes their figures to
 * `bench/failover-and-restore.md`: `npx tsx deploy/dr/drills.ts [failover] [pitr]` (both when
 * none is named). Real PostgreSQL 15 servers in temp folders on free ports, always removed.
 */
const OUT = process.env.DRILL_OUT ?? path.join(import.meta.dirname, '../../bench/failover-and-restore.md');
const which = process.argv.slice(2).filter((a) => a !== '--');
const wanted = (name: string) => which.length === 0 || which.includes(name);
const log = (line: string) => console.log(`[drill] ${line}`);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

const failovers: (FailoverResult & { load: string })[] = [];
if (wanted('failover')) {
  for (const synchronous of [true, false]) {
    const result = await failoverDrill({ beforeMs: 10_000, afterMs: 5_000, writers: 8, synchronous, log });
    log(JSON.stringify(result));
    failovers.push({ ...result, load: load() });
  }
}
let pitr: (PitrResult & { load: string }) | undefined;
if (wanted('pitr')) {
  const result = await pitrDrill({ beforeMs: 15_000, afterMs: 15_000, archiveTimeoutSeconds: 60, log });
  log(JSON.stringify(result));
  pitr = { ...result, load: load() };
}

const s = (n: number) => `${n.toFixed(2)} s`;
const lines = [
  '# Failover and restore drills: last run',
  '',
  `Written by \`deploy/dr/drills.ts\` on ${new Date().toISOString().slice(0, 16)} UTC, ${os.cpus().length} cores shared with`,
  "other engineers' test runs (load average 1 / 5 / 15 min per row). Procedures: `deploy/RUNBOOK.md`.",
  '',
];
if (failovers.length > 0) {
  lines.push(
    '## Promotion: primary killed, replica promoted, cloud not restarted',
    '',
    '8 writers booking distinct slots through one cloud instance whose `DATABASE_URL` lists',
    '`replica,primary?target_session_attrs=read-write`; after 10 s the primary is stopped with',
    '`pg_ctl stop -m immediate` (a crash) and the replica promoted with `pg_ctl promote`.',
    '',
    '| replication | bookings/s before | acknowledged | acknowledged but lost | failed requests | promote | stop → first new booking | longest gap between bookings | load average |',
    '|---|---|---|---|---|---|---|---|---|',
    ...failovers.map(
      (f) =>
        `| ${f.synchronous ? 'synchronous' : 'asynchronous'} | ${f.bookingsPerSecondBefore} | ${f.acknowledged} | **${f.lost}** | ${f.failedRequests} | ${s(f.promoteSeconds)} | **${s(f.stopToFirstWriteSeconds)}** | ${s(f.unavailableSeconds)} | ${f.load} |`,
    ),
    '',
  );
}
if (pitr) {
  lines.push(
    '## Point-in-time restore with pgBackRest',
    '',
    `WAL archived by \`archive-push\` (\`archive_timeout = ${pitr.archiveTimeoutSeconds}\`), one full backup, writes every ~0.1 s; at`,
    'the chosen instant every row is deleted (the mistake), writes go on, `pgbackrest check` brings the archive up',
    'to date, writes go on, then the primary is killed and its folder deleted. Each restore goes into a new folder',
    'and counts until the server accepts writes.',
    '',
    '| | figure |',
    '|---|---|',
    `| full backup (near-empty cluster) | ${s(pitr.backupSeconds)} |`,
    `| restore to the instant (RTO) | **${s(pitr.targetRestoreSeconds)}** |`,
    `| rows before the instant missing / rows after it present | ${pitr.targetMissing} / ${pitr.targetExtra} (of ${pitr.rowsBeforeTarget}) |`,
    `| instant → last restored commit (RPO of a restore to a moment) | **${s(pitr.targetRpoSeconds)}** |`,
    `| primary lost: restore to the archive's end (RTO) | **${s(pitr.latestRestoreSeconds)}** |`,
    `| primary lost: last acknowledged write → last restored one (RPO) | **${s(pitr.crashRpoSeconds)}** (${pitr.crashRowsLost} rows, all after the last archived segment; bounded by archive_timeout) |`,
    `| load average | ${pitr.load} |`,
    '',
  );
}
writeFileSync(OUT, lines.join('\n'));
log(`written ${OUT}`);
