import { DomainError } from '@clubos/shared/errors';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ResilienceConfig } from '../config.js';

export interface LoadSheddingOptions {
  settings: ResilienceConfig;
  /** Queries waiting for a pool connection now (`DatabaseHandle.waiting`). */
  dbWaiting: () => number;
}

/** How often the loop delay and heap are sampled (and the pool queue read): a spike is seen within it. */
export const SHED_SAMPLE_MS = 250;

/** Liveness is never shed: a busy process is alive, and restarting it would lose its work. */
const NEVER_SHED = new Set(['/health/live']);

/**
 * Sheds load with 503 OVERLOADED + Retry-After once the event loop lags, the heap grows or the
 * database pool queue builds past its threshold (decision 012, "Load shedding"): a refused request
 * costs microseconds, a queued one makes every request behind it late. Readiness (`/health`) is shed
 * too, so the balancer sends new work to the other instances until this one catches up.
 */
export const loadSheddingPlugin = fp<LoadSheddingOptions>(async (app: FastifyInstance, opts) => {
  const { settings, dbWaiting } = opts;
  const dbCheck = settings.maxDbWaiting > 0;
  await app.register(underPressure, {
    sampleInterval: SHED_SAMPLE_MS,
    maxEventLoopDelay: settings.maxEventLoopDelayMs,
    maxHeapUsedBytes: settings.maxHeapMb * 1024 * 1024,
    ...(dbCheck
      ? {
          healthCheck: async () => dbWaiting() <= settings.maxDbWaiting,
          healthCheckInterval: SHED_SAMPLE_MS,
        }
      : {}),
    pressureHandler: (request: FastifyRequest, reply: FastifyReply, type: string, value?: number) => {
      if (NEVER_SHED.has(request.url.split('?')[0]!)) return;
      reply.header('Retry-After', String(settings.retryAfterSeconds));
      const what =
        type === underPressure.TYPE_EVENT_LOOP_DELAY
          ? `event loop ${Number.isFinite(value) ? Math.round(value!) : 'over 1000'} ms behind`
          : type === underPressure.TYPE_HEAP_USED_BYTES
            ? `heap at ${Math.round((value ?? 0) / 1024 / 1024)} MB`
            : type === underPressure.TYPE_HEALTH_CHECK
              ? 'database connection queue full'
              : type;
      request.log.warn({ pressure: type, value }, 'request shed');
      return Promise.reject(
        new DomainError(
          'OVERLOADED',
          `This instance is overloaded (${what}); retry in ${settings.retryAfterSeconds} s`,
        ),
      );
    },
  });
});
