import type { FastifyContextConfig } from 'fastify';

/**
 * Route config for @fastify/rate-limit (registered with `global: false`, so only routes that use
 * this are limited: login and booking creation). When rate limiting is disabled in the config the
 * plugin is not registered and this config is inert.
 */
export function perMinute(max: number): FastifyContextConfig {
  return { rateLimit: { max, timeWindow: '1 minute' } } as FastifyContextConfig;
}
