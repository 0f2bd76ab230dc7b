import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PeriodicJob } from '../cluster/periodic-work.js';
import { ChangeLogCompactionTimer, ChangeLogCompactor } from './change-log.compaction.js';

const HOUR_MS = 3_600_000;

/**
 * The change-log compaction timer (docs/architecture.md: every timer belongs to a plugin), configured by
 * `CHANGE_LOG_RETENTION_HOURS` and `CHANGE_LOG_COMPACTION_INTERVAL_MS` (0: off, logged once). It
 * starts when the app is ready and stops (waiting for a pass in progress) on close.
 */
export const changeLogCompactionPlugin = fp(
  async (app: FastifyInstance) => {
    const { retentionHours, compactionIntervalMs } = app.config.changeLog;
    if (compactionIntervalMs <= 0) {
      app.log.info('change log compaction disabled (CHANGE_LOG_COMPACTION_INTERVAL_MS=0)');
      return;
    }
    const log = app.log.child({ module: 'change-log-compaction' });
    const compactor = new ChangeLogCompactor(app.db, log, { retentionMs: retentionHours * HOUR_MS });
    const timer = new ChangeLogCompactionTimer(compactor, compactionIntervalMs, log);
    // The deployment's one lease holder compacts; the timer keeps passes from overlapping and logs failures.
    let job: PeriodicJob | undefined;
    app.addHook('onReady', async () => {
      job = app.services.periodicWork.every('change-log-compaction', compactionIntervalMs, () =>
        timer.tick(),
      );
    });
    app.addHook('preClose', async () => {
      await job?.stop();
      await timer.stop();
    });
  },
  { name: 'change-log-compaction' },
);
