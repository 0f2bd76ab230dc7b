import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase, listBackups } from './backup.js';
import { openDatabase } from './database.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'edge-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('applies the committed migrations, in WAL with synchronous=FULL', () => {
    const database = openDatabase(path.join(tempDir(), 'edge.sqlite'));
    const tables = database.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining(['bookings', 'outbox', 'sync_state', 'audit_log', 'devices']),
    );
    expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL
    expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    database.close();
  });

  it('re-opening an existing file does not re-run migrations or lose rows', () => {
    const file = path.join(tempDir(), 'edge.sqlite');
    const first = openDatabase(file);
    first.sqlite.prepare("INSERT INTO audit_log (at, kind) VALUES (1, 'test')").run();
    first.close();
    const second = openDatabase(file);
    expect(second.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    second.close();
  });

  it('immediate() rolls everything back when the function throws', () => {
    const database = openDatabase(':memory:');
    expect(() =>
      database.immediate(() => {
        database.sqlite.prepare("INSERT INTO audit_log (at, kind) VALUES (1, 'a')").run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(database.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    database.close();
  });
});

describe('backupDatabase', () => {
  it('writes a consistent copy and keeps only the newest N', async () => {
    const dir = tempDir();
    const database = openDatabase(path.join(dir, 'edge.sqlite'));
    database.sqlite.prepare("INSERT INTO audit_log (at, kind) VALUES (1, 'before-backup')").run();
    const backups = path.join(dir, 'backups');
    const at = new Date('2026-11-25T03:30:00Z');
    const made: string[] = [];
    for (let i = 0; i < 4; i++)
      made.push(await backupDatabase(database, backups, 2, new Date(at.getTime() + i)));
    // Same-second backups get distinct names instead of overwriting each other.
    expect(new Set(made).size).toBe(4);
    const kept = await listBackups(backups);
    expect(kept).toEqual(made.slice(2).map((f) => path.basename(f)));
    const copy = new Database(made[3]!, { readonly: true });
    expect(copy.prepare('SELECT kind FROM audit_log').all()).toEqual([{ kind: 'before-backup' }]);
    copy.close();
    database.close();
  });
});
