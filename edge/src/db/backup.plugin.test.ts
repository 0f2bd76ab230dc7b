import path from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/sync-harness.js';
import { listBackups } from './backup.js';
import { backupPlugin } from './backup.plugin.js';
import { openDatabase } from './database.js';

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

describe('backupPlugin', () => {
  it('runs the scheduled backup while the server is up, keeps N copies, and stops on close', async () => {
    const tmp = tempDir();
    dirs.push(tmp);
    const database = openDatabase(path.join(tmp.dir, 'edge.sqlite'));
    const dir = path.join(tmp.dir, 'backups');
    const app = Fastify({ logger: false });
    // Every second (node-cron's optional seconds field), so the test sees it run.
    await app.register(backupPlugin, { database, dir, keep: 2, cron: '* * * * * *' });
    expect(await listBackups(dir)).toEqual([]); // nothing before ready
    await app.ready();
    const until = Date.now() + 10_000;
    while ((await listBackups(dir)).length < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_200)); // at least one more run, which prunes
    await app.close();
    const kept = await listBackups(dir);
    expect(kept.length).toBe(2);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await listBackups(dir)).toEqual(kept); // no timer left behind
    database.close();
  });
});
