import type { RateCountersRepository } from './rate-counters.repository.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A `@fastify/rate-limit` store on the shared counters, so a limit holds across instances: N
 * instances behind a balancer allow the limit once, not N times. Each route limits on its own key.
 */
export function sharedRateLimitStore(counters: RateCountersRepository, now: () => number = Date.now) {
  return class SharedRateLimitStore {
    constructor(
      _options?: unknown,
      readonly prefix = 'rl:',
    ) {}

    incr(key: string, callback: Callback, timeWindow = 60_000): void {
      const at = now();
      counters.hit(`${this.prefix}${key}`, timeWindow, new Date(at)).then(
        (row) => callback(null, { current: row.count, ttl: Math.max(0, row.expiresAt.getTime() - at) }),
        (error: Error) => callback(error),
      );
    }

    // The plugin passes the route's merged options, `routeInfo` among them (its typings omit it).
    child(routeOptions: object): SharedRateLimitStore {
      const info = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      const method = String(info?.method ?? '');
      const url = String(info?.url ?? '');
      return new SharedRateLimitStore(undefined, `rl:${method}${url}:`);
    }
  };
}
