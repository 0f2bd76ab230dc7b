import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerAssociationRoutes } from './hubspot.associations.routes.js';
import { HubspotControl, HubspotState, RequestLog } from './hubspot.control.js';
import { CONTROL_PREFIX, registerControlRoutes } from './hubspot.control.routes.js';
import { HubspotApiError, hubspotErrorBody, unauthorized } from './hubspot.errors.js';
import { HubspotFaults } from './hubspot.faults.js';
import { registerObjectRoutes } from './hubspot.objects.routes.js';
import { registerPropertyRoutes } from './hubspot.properties.routes.js';
import { HubspotRateLimiter, type RateLimitSettings } from './hubspot.rate-limiter.js';
import { HubspotStore } from './hubspot.store.js';

/**
 * An in-memory stand-in for HubSpot's CRM v3 API, faithful where `@hubspot/api-client` and our
 * outbox depend on it (see HubSpot's public API reference): Bearer private-app token, JSON on every
 * answer, 201 on creates, HubSpot's error envelope, rate limits and an eventually consistent search.
 */
export interface HubspotSimulatorOptions {
  /** The private-app token clients must send as `Authorization: Bearer …`. */
  accessToken: string;
  port?: number;
  host?: string;
  rateLimits?: Partial<RateLimitSettings>;
  /** How long a write takes to become visible to search (HubSpot: seconds). Default 1000 ms. */
  searchLagMs?: number;
  /** Clock for limits, timestamps and search lag; tests may pass a fake one. */
  clock?: () => number;
  logger?: FastifyBaseLogger | boolean;
}

export interface HubspotSimulator {
  /** Base URL without a trailing slash, as the SDK's `basePath` wants it. */
  url: string;
  state: HubspotState;
  control: HubspotControl;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const DEFAULT_SEARCH_LAG_MS = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isControl(url: string): boolean {
  return url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`);
}

export function buildHubspotApp(options: HubspotSimulatorOptions): Omit<HubspotSimulator, 'url' | 'close'> {
  if (!options.accessToken) throw new Error('HubSpot simulator: accessToken must be a non-empty string');
  const clock = options.clock ?? Date.now;
  const store = new HubspotStore(clock, options.searchLagMs ?? DEFAULT_SEARCH_LAG_MS);
  const limiter = new HubspotRateLimiter(options.rateLimits ?? {}, clock);
  const faults = new HubspotFaults();
  const log = new RequestLog();
  const state = new HubspotState(store, log);
  const control = new HubspotControl(store, limiter, faults, log);
  const app = Fastify(
    typeof options.logger === 'object'
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false },
  );

  app.addHook('onRequest', async (request, reply) => {
    if (isControl(request.url)) return;
    const effect = faults.next();
    if (effect.delayMs > 0) await sleep(effect.delayMs);
    if (effect.action === 'down') {
      // Unreachable HubSpot: the client sees a reset connection, not an HTTP answer.
      log.push({
        at: clock(),
        method: request.method,
        path: request.url.split('?')[0] ?? '',
        query: {},
        body: undefined,
        status: 0,
      });
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (effect.action) throw effect.action;
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) throw unauthorized();
    const isSearch = request.method === 'POST' && /\/search\/?(\?|$)/.test(request.url);
    const admission = limiter.admit(isSearch);
    reply.headers(admission.headers);
    if (admission.error) throw admission.error;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (isControl(request.url)) return;
    log.push({
      at: clock(),
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: { ...(request.query as Record<string, unknown>) },
      body: request.body,
      status: reply.statusCode,
    });
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HubspotApiError) {
      return reply.code(error.statusCode).headers(error.headers).send(error.body());
    }
    if (error instanceof RangeError) {
      return reply.code(400).send(hubspotErrorBody('VALIDATION_ERROR', error.message));
    }
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
    if (status < 500) {
      // Fastify's own 4xx (malformed JSON, unsupported media type, body too large).
      return reply
        .code(status)
        .send(hubspotErrorBody('VALIDATION_ERROR', `Invalid input: ${(error as Error).message}`));
    }
    request.log.error({ err: error }, 'HubSpot simulator: unexpected error');
    return reply.code(500).send(hubspotErrorBody('INTERNAL_ERROR', 'internal error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        hubspotErrorBody('OBJECT_NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`),
      ),
  );

  registerObjectRoutes(app, store);
  registerPropertyRoutes(app, store);
  registerAssociationRoutes(app, store);
  registerControlRoutes(app, state, control);
  return { app, state, control };
}

export async function startHubspotSimulator(options: HubspotSimulatorOptions): Promise<HubspotSimulator> {
  const built = buildHubspotApp(options);
  const host = options.host ?? '127.0.0.1';
  await built.app.listen({ port: options.port ?? 0, host });
  const address = built.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('HubSpot simulator: no TCP address');
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    ...built,
    url: `http://${urlHost}:${address.port}`,
    close: () => built.app.close(),
  };
}
