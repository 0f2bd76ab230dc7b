import type { FastifyBaseLogger } from 'fastify';
import type { CloudConfig } from '../config.js';
import { LeaderLease } from './leader-lease.js';
import { PeriodicWork } from './periodic-work.js';

/**
 * The leader lease and the periodic work behind it, for the composition root: one instance of a
 * deployment runs the periodic work (docs/decisions/012-several-cloud-instances.md).
 */
export function buildCluster(
  config: CloudConfig,
  log: FastifyBaseLogger,
): { leaderLease: LeaderLease; periodicWork: PeriodicWork } {
  const leaderLease = new LeaderLease({
    url: config.databaseUrl,
    instanceId: config.cluster.instanceId,
    retryMs: config.cluster.leaderRetryMs,
    onError: (error) => log.warn({ err: error }, 'leader lease: connection failed (not leading)'),
  });
  const periodicWork = new PeriodicWork(leaderLease, (job, error) =>
    log.error({ err: error, job }, 'periodic work failed (the next tick tries again)'),
  );
  return { leaderLease, periodicWork };
}
