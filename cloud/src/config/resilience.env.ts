import { EnvInt } from '@clubos/shared/config';
import type { Static, TObject } from '@sinclair/typebox';

/** Load shedding and circuit breakers (src/cluster/load-shedding.plugin.ts, src/common/circuit-breaker.ts). */
export const RESILIENCE_ENV = {
  SHED_MAX_EVENT_LOOP_DELAY_MS: EnvInt(100, 0, 60_000),
  SHED_MAX_HEAP_MB: EnvInt(0, 0, 1_000_000),
  SHED_MAX_DB_WAITING: EnvInt(200, 0, 1_000_000),
  SHED_RETRY_AFTER_SECONDS: EnvInt(2, 1, 3_600),
  BREAKER_FAILURES: EnvInt(5, 1, 1_000),
  BREAKER_OPEN_MS: EnvInt(30_000, 100, 3_600_000),
};

export interface ResilienceConfig {
  /** `SHED_MAX_EVENT_LOOP_DELAY_MS`: mean event-loop delay past which requests get 503 (0 = off). */
  maxEventLoopDelayMs: number;
  /** `SHED_MAX_HEAP_MB`: heap in use past which requests get 503 (0 = off). */
  maxHeapMb: number;
  /** `SHED_MAX_DB_WAITING`: queries queued for a pool connection past which requests get 503 (0 = off). */
  maxDbWaiting: number;
  /** `SHED_RETRY_AFTER_SECONDS`: the Retry-After of a shed request. */
  retryAfterSeconds: number;
  /** `BREAKER_FAILURES`: failed calls (at least half the calls of the last 10 s) that open a breaker. */
  breakerFailures: number;
  /** `BREAKER_OPEN_MS`: how long an open breaker fails calls fast before it lets one through. */
  breakerOpenMs: number;
}

export function resilienceConfig(env: Static<TObject<typeof RESILIENCE_ENV>>): ResilienceConfig {
  return {
    maxEventLoopDelayMs: env.SHED_MAX_EVENT_LOOP_DELAY_MS,
    maxHeapMb: env.SHED_MAX_HEAP_MB,
    maxDbWaiting: env.SHED_MAX_DB_WAITING,
    retryAfterSeconds: env.SHED_RETRY_AFTER_SECONDS,
    breakerFailures: env.BREAKER_FAILURES,
    breakerOpenMs: env.BREAKER_OPEN_MS,
  };
}
