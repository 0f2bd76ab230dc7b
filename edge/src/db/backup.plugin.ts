import fp from 'fastify-plugin';
import cron, { type ScheduledTask } from 'node-cron';
import { backupDatabase } from './backup.js';
import type { EdgeDatabase } from './database.js';

export interface BackupPluginOptions {
  database: EdgeDatabase;
  dir: string;
  keep: number;
  cron: string;
}

/**
 * The nightly online backup, scheduled on ready and stopped on close (docs/architecture.md, every timer
 * belongs to a plugin).
 */
export const backupPlugin = fp<BackupPluginOptions>(
  async (app, options) => {
    let task: ScheduledTask | null = null;
    let running: Promise<void> | null = null;
    const backup = async () => {
      try {
        const file = await backupDatabase(options.database, options.dir, options.keep);
        app.log.info({ file }, 'nightly backup written');
      } catch (error) {
        app.log.error({ err: error }, 'nightly backup failed');
      }
    };
    app.addHook('onReady', async () => {
      task = cron.schedule(
        options.cron,
        () => {
          running = backup().finally(() => {
            running = null;
          });
          return running;
        },
        { name: 'edge-backup', noOverlap: true },
      );
    });
    // Stop the schedule, then let a backup under way finish: the database closes after this hook.
    app.addHook('onClose', async () => {
      await task?.destroy();
      await running;
    });
  },
  { name: 'edge-backup' },
);
