import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../edge/src/db/database.js';
import { verifyEdgeDatabase } from '../../edge/src/db/restore.js';
import { FakeCloud } from '../../edge/src/testing/fake-cloud.js';
import { seedFacility } from '../../edge/src/testing/seed-facility.js';
import { type EdgeProcess, startEdge, waitFor } from '../support/edge-process.js';
import { runScript, writtenFile } from '../support/run-script.js';

/** Bookings and customers of an edge database file, every column, in id order. */
function rows(file: string): { bookings: unknown[]; customers: unknown[] } {
  const database = openDatabase(file);
  try {
    return {
      bookings: database.sqlite.prepare('SELECT * FROM bookings ORDER BY id').all(),
      customers: database.sqlite.prepare('SELECT * FROM customers ORDER BY id').all(),
    };
  } finally {
    database.close();
  }
}

/** Bookings in the live database, read while the edge runs; 0 until the edge has created it. */
function bookingCount(file: string): number {
  try {
    return verifyEdgeDatabase(file).bookings;
  } catch {
    return 0;
  }
}

describe('edge-backup.sh and edge-restore.sh on a real edge', () => {
  const cloud = new FakeCloud();
  let dir: string;
  let envFile: string;
  let dbFile: string;
  let backupDir: string;
  let edge: EdgeProcess | null = null;
  const env = () => ({ EDGE_ENV_FILE: envFile });
  const bookingIds: string[] = [];
  const hour = 3_600_000;
  const base = Math.ceil(Date.now() / hour) * hour + 24 * hour;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'clubos-edge-backup-'));
    dbFile = path.join(dir, 'data', 'edge.sqlite');
    backupDir = path.join(dir, 'data', 'backups');
    const { bayIds } = seedFacility(cloud, { bays: 2 });
    for (let i = 0; i < 4; i++) {
      const customerId = randomUUID();
      cloud.put('customer', customerId, {
        id: customerId,
        email: `player${i}@example.com`,
        first_name: `Player ${i}`,
      });
      const id = cloud.sell(bayIds[i % 2]!, base + i * hour, 60, {
        customer_id: customerId,
        customer: { email: `player${i}@example.com`, first_name: `Player ${i}` },
      });
      bookingIds.push(id!);
    }
    const url = await cloud.listen();
    envFile = path.join(dir, 'edge.env');
    writeFileSync(
      envFile,
      [
        `EDGE_DATA_DIR=${path.join(dir, 'data')}`,
        'EDGE_DB_FILE=edge.sqlite',
        'EDGE_BACKUP_DIR=backups',
        'EDGE_BACKUP_KEEP=5',
        'EDGE_BACKUP_CRON="30 3 * * *"',
        'HOST=127.0.0.1',
        'PORT=0',
        'MQTT_PORT=0',
        'LOG_LEVEL=warn',
        `CLOUD_URL=${url}`,
        `EDGE_KEY=${cloud.issueKey()}`,
        `FACILITY_ID=${cloud.facilityId}`,
        'SYNC_LONG_POLL_MS=1000',
        // A `$` must reach the edge as it is (Node's env file, like systemd's, expands nothing).
        'EDGE_STAFF_USERNAME=staff',
        'EDGE_STAFF_PASSWORD=pa$$word-long',
        '',
      ].join('\n'),
    );
    edge = startEdge(envFile);
    await waitFor(
      () => bookingCount(dbFile) === 4,
      () => `the edge never had the 4 bookings:\n${edge?.output()}`,
    );
  });

  afterAll(async () => {
    await edge?.stop();
    await cloud.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up the running edge, refuses to restore under it, and restores once it is stopped', {
    timeout: 120_000,
  }, async () => {
    // 1. Online backup while the edge runs and syncs.
    const backup = await runScript('edge-backup.sh', [], env());
    expect(backup.code, backup.stderr + backup.stdout).toBe(0);
    const file = writtenFile(backup);
    expect(path.dirname(file)).toBe(backupDir);
    expect(backup.stdout).toContain('integrity ok, 4 bookings');
    const copy = path.join(dir, 'expected.sqlite');
    copyFileSync(file, copy);
    const expected = rows(copy);
    expect(expected.bookings).toHaveLength(4);
    expect(expected.customers).toHaveLength(4);

    // 2. The edge moves on: a cancellation and a new booking arrive after the backup.
    cloud.cancel(bookingIds[0]!);
    const later = cloud.sell(
      String((expected.bookings[1] as { simulator_id: string }).simulator_id),
      base + 10 * hour,
      60,
    );
    await waitFor(
      () => bookingCount(dbFile) === 5,
      () => `the edge never had the 5th booking:\n${edge?.output()}`,
    );

    // 3. A restore under the running edge is refused and changes nothing.
    const refused = await runScript('edge-restore.sh', [file], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is open in a running edge');
    expect(refused.stderr).toContain('next: stop the edge first');
    expect(readdirSync(path.dirname(dbFile)).filter((n) => n.includes('before-restore'))).toEqual([]);
    expect(bookingCount(dbFile)).toBe(5);

    // 4. Stopped (SIGTERM, as systemctl stop), the restore goes through and keeps the old file aside.
    expect(await edge?.stop()).toBe(0);
    const liveBefore = rows(dbFile);
    const restored = await runScript('edge-restore.sh', [file], env());
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(restored.stdout).toContain('restored');
    expect(rows(dbFile)).toEqual(expected);
    const aside = readdirSync(path.dirname(dbFile)).filter((n) =>
      /^edge\.sqlite\.before-restore-\d{8}T\d{6}Z$/.test(n),
    );
    expect(aside).toHaveLength(1);
    expect(rows(path.join(path.dirname(dbFile), aside[0]!))).toEqual(liveBefore);
    expect(readdirSync(path.dirname(dbFile)).filter((n) => n.includes('.restoring-'))).toEqual([]);

    // 5. The edge starts on the restored database and catches up from its restored cursor.
    edge = startEdge(envFile);
    await waitFor(
      () => {
        if (bookingCount(dbFile) !== 5) return false;
        const cancelled = rows(dbFile).bookings.find((b) => (b as { id: string }).id === bookingIds[0]);
        return (cancelled as { status?: string } | undefined)?.status === 'cancelled';
      },
      () => `the restored edge did not catch up (booking ${later}):\n${edge?.output()}`,
    );
  });

  it('refuses a damaged backup, a non-edge file and a running systemd unit, leaving the database as it is', async () => {
    await edge?.stop();
    const before = rows(dbFile);
    const good = writtenFile(await runScript('edge-backup.sh', ['--keep', '5'], env()));

    const damaged = path.join(dir, 'damaged.sqlite');
    copyFileSync(good, damaged);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 2);
    closeSync(fd);
    const corrupt = await runScript('edge-restore.sh', [damaged], env());
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain(`${damaged} fails PRAGMA integrity_check`);
    expect(corrupt.stderr).toContain('next: the file is damaged: choose an older backup');

    const notEdge = path.join(dir, 'other.sqlite');
    const scratch = openDatabase(notEdge);
    scratch.sqlite.exec('DROP TABLE bookings');
    scratch.close();
    const wrong = await runScript('edge-restore.sh', [notEdge], env());
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('is not an edge database (no table bookings)');

    // A stand-in systemctl that reports clubos-edge active: the script stops before touching anything.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      path.join(bin, 'systemctl'),
      '#!/bin/sh\n[ "$1 $2 $3" = "is-active --quiet clubos-edge" ]\n',
    );
    chmodSync(path.join(bin, 'systemctl'), 0o755);
    const active = await runScript('edge-restore.sh', [good], {
      ...env(),
      PATH: `${bin}:${process.env.PATH}`,
    });
    expect(active.code).toBe(1);
    expect(active.stderr).toContain('next: stop it first: sudo systemctl stop clubos-edge');

    const missing = await runScript('edge-restore.sh', [path.join(dir, 'nope.sqlite')], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');

    expect(rows(dbFile)).toEqual(before);
    expect(readdirSync(path.dirname(dbFile)).filter((n) => n.includes('.restoring-'))).toEqual([]);
    expect(existsSync(`${damaged}-wal`)).toBe(false);
  }, 90_000);
});
