import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { RequestRecorder } from '../http/request-recorder.js';
import { defineApi, pathOf } from './stripe.api.js';
import { registerCheckoutRoutes } from './stripe.checkout.routes.js';
import type { SimContext } from './stripe.context.js';
import { StripeControl } from './stripe.control.js';
import { CONTROL_PREFIX, registerControlRoutes } from './stripe.control.routes.js';
import { registerCustomerRoutes } from './stripe.customers.routes.js';
import { authenticationError, invalidRequest, StripeApiError, unrecognizedUrl } from './stripe.errors.js';
import { EventBus } from './stripe.events.js';
import { type FaultEffect, StripeFaults } from './stripe.faults.js';
import { registerHostedPages } from './stripe.hosted-page.js';
import { DEFAULT_KEY_TTL_MS, IdempotencyStore } from './stripe.idempotency.js';
import { registerPaymentRoutes } from './stripe.payments.routes.js';
import { buildServices } from './stripe.services.js';
import { randomToken, StripeStore } from './stripe.store.js';
import { registerTerminalRoutes } from './stripe.terminal.routes.js';
import { DEFAULT_WEBHOOK_SETTINGS, WebhookDispatcher, type WebhookSettings } from './stripe.webhooks.js';

/**
 * An in-memory Stripe test-mode account behind the API the official `stripe` SDK calls
 * (Stripe's public API reference; what is modelled: ./README.md). Point the SDK at it with
 * `new Stripe(apiKey, sim.sdkConfig)` — `{host, port, protocol: 'http'}`.
 */
export interface StripeSimulatorOptions {
  /** The secret key clients send as `Authorization: Bearer …`. Default `sk_test_clubos_simulator`. */
  apiKey?: string;
  port?: number;
  host?: string;
  /** Where people reach the hosted pages (Checkout `url`, 3-D Secure), if not the listening address. */
  publicUrl?: string;
  /** Base clock in epoch ms; `control.advanceClock` moves the simulated time on from it. */
  clock?: () => number;
  /** The account's API version, stamped on events. */
  apiVersion?: string;
  webhooks?: Partial<WebhookSettings>;
  idempotencyTtlMs?: number;
  /** Real time before a refund on the refund-failure test card turns failed. Default 200 ms. */
  refundFailureDelayMs?: number;
  /** How often due sessions and authorisations are expired without a request. Default 1000 ms. */
  sweepIntervalMs?: number;
  logger?: FastifyBaseLogger | boolean;
}

export interface StripeSimulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (API under /v1, pages under /c/pay and /3ds). */
  url: string;
  apiKey: string;
  /** The stripe-node options that reach this simulator: `new Stripe(apiKey, sim.sdkConfig)`. */
  sdkConfig: { host: string; port: number; protocol: 'http' };
  store: StripeStore;
  control: StripeControl;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'sk_test_clubos_simulator';
export const DEFAULT_API_VERSION = '2026-11-18.endive';
const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

const isApi = (url: string) => url.startsWith('/v1/');
const isControl = (url: string) => url === CONTROL_PREFIX || url.startsWith(`${CONTROL_PREFIX}/`);

function presentedKey(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value] = authorization.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value ?? '';
  if (scheme?.toLowerCase() === 'basic')
    return (
      Buffer.from(value ?? '', 'base64')
        .toString('utf8')
        .split(':')[0] ?? ''
    );
  return authorization;
}

export function buildStripeApp(options: StripeSimulatorOptions = {}) {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  if (!apiKey.startsWith('sk_test_'))
    throw new Error('Stripe simulator: apiKey must be a test secret key (sk_test_…)');
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const baseClock = options.clock ?? Date.now;
  const offset = { ms: 0 };
  const nowMs = () => baseClock() + offset.ms;
  const timers = new Set<NodeJS.Timeout>();
  const sleepers = new Set<() => void>();
  const hanging = new Set<Socket>();
  let publicUrl = options.publicUrl ?? '';

  const store = new StripeStore();
  const webhooks = new WebhookDispatcher(
    store,
    { ...DEFAULT_WEBHOOK_SETTINGS, ...options.webhooks },
    nowMs,
    apiVersion,
  );
  const events = new EventBus(store, webhooks, () => Math.floor(nowMs() / 1000), apiVersion);
  const ctx: SimContext = {
    store,
    events,
    nowMs,
    now: () => Math.floor(nowMs() / 1000),
    baseUrl: () => publicUrl,
    later(ms, work) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        events.within({ id: null, idempotency_key: null }, work);
      }, ms);
      timer.unref();
      timers.add(timer);
    },
  };
  const services = buildServices(ctx, webhooks, options.refundFailureDelayMs ?? 200);
  const faults = new StripeFaults();
  const recorder = new RequestRecorder();
  const idempotency = new IdempotencyStore(nowMs, options.idempotencyTtlMs ?? DEFAULT_KEY_TTL_MS);
  const control = new StripeControl(services, faults, recorder, idempotency, offset);
  const effects = new WeakMap<FastifyRequest, FaultEffect>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  const app = Fastify(
    typeof options.logger === 'object'
      ? { loggerInstance: options.logger }
      : { logger: options.logger ?? false },
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, String(body)),
  );
  recorder.install(app, (url) => !isApi(url));

  app.addHook('onRequest', async (request, reply) => {
    if (!isApi(request.url)) return;
    reply.header('request-id', `req_${randomToken(14)}`);
    const version = request.headers['stripe-version'];
    reply.header('stripe-version', typeof version === 'string' && version ? version : apiVersion);
    const effect = faults.next(request.method, pathOf(request.url));
    if (effect.before === 'down' || effect.before === 'timeout') {
      reply.hijack();
      if (effect.before === 'down') request.raw.socket.destroy();
      else {
        // No answer at all: the client's own timeout decides; close() releases the socket.
        const socket = request.raw.socket;
        hanging.add(socket);
        socket.once('close', () => hanging.delete(socket));
      }
      return reply;
    }
    if (effect.before) throw effect.before;
    const key = presentedKey(request.headers.authorization);
    if (key !== apiKey) throw authenticationError(key);
    if (typeof version === 'string' && version && !VERSION_PATTERN.test(version))
      throw invalidRequest(`Invalid Stripe API version: ${version}`);
    effects.set(request, effect);
    services.sweep();
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof StripeApiError)
      return reply.code(error.statusCode).headers(error.headers).send(error.body());
    if (error instanceof RangeError && isControl(request.url))
      return reply.code(400).send({ error: { type: 'invalid_request_error', message: error.message } });
    const status =
      typeof (error as { statusCode?: unknown }).statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
    if (status < 500) {
      // Fastify's own 4xx (unsupported content type, body too large, bad JSON on the control API).
      return reply.code(400).send({
        error: { type: 'invalid_request_error', message: `Invalid request: ${(error as Error).message}` },
      });
    }
    request.log.error({ err: error }, 'Stripe simulator: unexpected error');
    return reply.code(500).send({ error: { type: 'api_error', message: 'An unknown error occurred' } });
  });
  app.setNotFoundHandler((request, reply) => {
    if (isApi(request.url)) throw unrecognizedUrl(request.method, pathOf(request.url));
    return reply.code(404).type('text/plain').send('Not found');
  });

  const route = defineApi(app, { store, events, idempotency, effects, sleep });
  registerPaymentRoutes(route, services);
  registerCustomerRoutes(route, services);
  registerCheckoutRoutes(route, services);
  registerTerminalRoutes(route, services);
  registerHostedPages(app, services);
  registerControlRoutes(app, control, store);

  const sweeper = setInterval(() => services.sweep(), options.sweepIntervalMs ?? 1000);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    for (const timer of timers) clearTimeout(timer);
    for (const wake of [...sleepers]) wake();
    for (const socket of hanging) socket.destroy();
    webhooks.close();
  });
  return {
    app,
    store,
    control,
    apiKey,
    setPublicUrl(url: string) {
      publicUrl = url.replace(/\/$/, '');
    },
  };
}

export async function startStripeSimulator(options: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  const built = buildStripeApp(options);
  const host = options.host ?? '127.0.0.1';
  await built.app.listen({ port: options.port ?? 0, host });
  const address = built.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('Stripe simulator: no TCP address');
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${address.port}`;
  built.setPublicUrl(options.publicUrl ?? url);
  return {
    url,
    apiKey: built.apiKey,
    sdkConfig: { host, port: address.port, protocol: 'http' },
    store: built.store,
    control: built.control,
    app: built.app,
    close: () => built.app.close(),
  };
}
