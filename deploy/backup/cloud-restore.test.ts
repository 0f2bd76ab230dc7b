import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cloud/src/app.js';
import { testConfig } from '../../cloud/src/config.js';
import { createFacility, utcSlot } from '../../cloud/src/testing/facility.js';
import { createTestApp, type TestApp } from '../../cloud/src/testing/test-app.js';
import { runScript, writtenFile } from '../support/run-script.js';

// The restore is exercised on a real PostgreSQL server, with the real pg_dump / pg_restore: CI has
// one at this address (as the cloud suites use with TEST_DATABASE_URL), and so must a developer.
process.env.TEST_DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const execFileAsync = promisify(execFile);

async function psql(url: string, ...queries: string[]): Promise<string> {
  const args = [
    '-X',
    '-A',
    '-t',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-d',
    url,
    ...queries.flatMap((q) => ['-c', q]),
  ];
  const { stdout } = await execFileAsync('psql', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** Every row of every table (the cloud's and drizzle's migration record), as JSON, in a stable order. */
async function contents(url: string): Promise<Record<string, unknown[]>> {
  const tables = (
    await psql(
      url,
      "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )
  ).split('\n');
  // One line per table: jsonb prints without the line breaks json_agg puts between rows.
  const lines = (
    await psql(
      url,
      ...tables.map((t) => `SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r::text), '[]') FROM ${t} r`),
    )
  ).split('\n');
  expect(lines).toHaveLength(tables.length);
  return Object.fromEntries(tables.map((t, i) => [t, JSON.parse(lines[i]!) as unknown[]]));
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('cloud-backup.sh and cloud-restore.sh on PostgreSQL', () => {
  let source: TestApp;
  let dir: string;
  let sourceUrl: string;
  const restoredName = `clubos_restore_${randomBytes(6).toString('hex')}`;
  let restoredUrl: string;
  const bookingIds: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'clubos-cloud-backup-'));
    source = await createTestApp('postgres');
    sourceUrl = source.config.databaseUrl!;
    restoredUrl = databaseUrl(sourceUrl, restoredName);
    const facility = await createFacility(source, { bays: 2, name: 'Restore Golf' });
    const register = await source.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'member@example.com', password: 'member-pass-1', first_name: 'Morgan' },
    });
    expect(register.statusCode, register.body).toBe(201);
    const member = register.json().access_token as string;
    for (const [i, bay] of facility.bayIds.entries()) {
      for (const hour of [10, 12]) {
        const res = await source.request({
          method: 'POST',
          url: '/api/v1/bookings',
          ...(hour === 12 ? { token: member } : {}),
          payload: {
            simulator_id: bay,
            start_time: utcSlot(3 + i, hour),
            duration: 60,
            ...(hour === 10
              ? { customer: { email: `guest${i}@example.com`, first_name: `Guest ${i}` } }
              : {}),
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        bookingIds.push(res.json().id as string);
      }
    }
    const cancel = await source.request({
      method: 'POST',
      url: `/api/v1/bookings/${bookingIds[1]}/cancel`,
      token: member,
      payload: { reason: 'Rain check' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
  });

  afterAll(async () => {
    if (sourceUrl) await psql(sourceUrl, `DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
    await source?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('restores a backup into a new database with identical bookings and customers, usable by the cloud', {
    timeout: 120_000,
  }, async () => {
    const before = await contents(sourceUrl);
    expect(before['public.bookings']).toHaveLength(4);
    expect(before['public.customers']?.length).toBeGreaterThanOrEqual(3);
    expect(before['drizzle.__drizzle_migrations']?.length).toBeGreaterThanOrEqual(3);

    const backup = await runScript('cloud-backup.sh', ['--keep', '3', sourceUrl, dir], {
      PG_DUMP: 'env pg_dump',
      PG_RESTORE: 'env pg_restore',
      PSQL: 'env psql',
    });
    expect(backup.code, backup.stderr).toBe(0);
    const dump = writtenFile(backup);
    expect(path.dirname(dump)).toBe(dir);

    // Client commands given as the compose setup gives them (a command with arguments, the dump on stdin).
    const restore = await runScript('cloud-restore.sh', ['--create', dump, restoredUrl], {
      PG_RESTORE: 'env pg_restore',
      PSQL: 'env psql',
    });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stderr).toContain('4 bookings');

    // The cloud starts on the restored database (its migrations are recorded there, so none re-run),
    // the administrator logs in with the same password, and the bookings read back the same.
    const restored = await buildApp({
      config: testConfig({
        databaseUrl: restoredUrl,
        jwtSecret: source.config.jwtSecret,
        accessSigningKey: source.config.accessSigningKey,
      }),
    });
    try {
      expect(await contents(restoredUrl)).toEqual(before);
      const login = await restored.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: source.config.adminEmail, password: source.config.adminPassword },
      });
      expect(login.statusCode, login.body).toBe(200);
      const token = login.json().access_token as string;
      for (const id of bookingIds) {
        const [inSource, inRestored] = await Promise.all(
          [source.app, restored].map((app) =>
            app.inject({
              method: 'GET',
              url: `/api/v1/bookings/${id}`,
              headers: { authorization: `Bearer ${token}` },
            }),
          ),
        );
        expect(inRestored?.statusCode, inRestored?.body).toBe(200);
        expect(inRestored?.json()).toEqual(inSource?.json());
      }
    } finally {
      await restored.close();
    }
  });

  it('never restores over data: an existing database is refused, with what to do next', {
    timeout: 90_000,
  }, async () => {
    const backup = await runScript('cloud-backup.sh', [sourceUrl, dir]);
    expect(backup.code, backup.stderr).toBe(0);
    const dump = writtenFile(backup);
    const before = await contents(sourceUrl);

    const intoSource = await runScript('cloud-restore.sh', [dump, sourceUrl]);
    expect(intoSource.code).toBe(1);
    expect(intoSource.stderr).toMatch(/FAILED: database \w+ already has \d+ tables/);
    expect(intoSource.stderr).toContain('next: restore into a new database');

    const createExisting = await runScript('cloud-restore.sh', ['--create', dump, sourceUrl]);
    expect(createExisting.code).toBe(1);
    expect(createExisting.stderr).toContain('already exists');
    expect(await contents(sourceUrl)).toEqual(before);
  });

  it('fails with a next step on a file that is not a dump and on an unreachable server', async () => {
    const notADump = path.join(dir, 'notes.dump');
    rmSync(notADump, { force: true });
    writeFileSync(notADump, 'not a dump');
    const restore = await runScript('cloud-restore.sh', [
      '--create',
      notADump,
      databaseUrl(sourceUrl, 'clubos_never'),
    ]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('is not a readable pg_dump archive');

    const backup = await runScript('cloud-backup.sh', ['postgres://nobody:secret@127.0.0.1:1/clubos', dir]);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('next: check the URL');
    expect(backup.stderr).not.toContain('secret');
  });

  it('keeps only the newest N dumps', { timeout: 90_000 }, async () => {
    const keepDir = path.join(dir, 'keep');
    const written: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await runScript('cloud-backup.sh', ['--keep', '2', sourceUrl, keepDir]);
      expect(res.code, res.stderr).toBe(0);
      written.push(path.basename(writtenFile(res)));
      await new Promise((r) => setTimeout(r, 1_100)); // names carry the second
    }
    expect(readdirSync(keepDir).sort()).toEqual(written.slice(1));
  });
});
