import { hostname } from 'node:os';
import { EnvInt, EnvOptional } from '@clubos/shared/config';
import type { Static, TObject } from '@sinclair/typebox';

/** Several instances on one PostgreSQL (src/cluster/). */
export const CLUSTER_ENV = {
  INSTANCE_ID: EnvOptional({
    pattern: '^[A-Za-z0-9._-]{1,40}$',
    description: 'letters, digits, . _ - (≤ 40)',
  }),
  LEADER_RETRY_MS: EnvInt(2_000, 100, 60_000),
  DRAIN_MS: EnvInt(5_000, 0, 120_000),
};

export interface ClusterConfig {
  /** `INSTANCE_ID`: names this instance in logs, /health and pg_stat_activity (default host-pid). */
  instanceId: string;
  /** `LEADER_RETRY_MS`: how often a follower tries the periodic-work lease; bounds a leader's replacement. */
  leaderRetryMs: number;
  /** `DRAIN_MS`: after SIGTERM, how long /health answers 503 (so the balancer stops sending) before closing. */
  drainMs: number;
  /** Live pushes' fallback poll of change-log heads (ms); undefined → each stream's own default. */
  livePollMs?: number;
}

export function clusterConfig(env: Static<TObject<typeof CLUSTER_ENV>>): ClusterConfig {
  return {
    instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    leaderRetryMs: env.LEADER_RETRY_MS,
    drainMs: env.DRAIN_MS,
  };
}
