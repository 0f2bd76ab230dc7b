import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { snapshot } from './stripe.context.js';
import { apiError, invalidRequest, StripeApiError } from './stripe.errors.js';
import type { EventBus } from './stripe.events.js';
import type { FaultEffect } from './stripe.faults.js';
import { parseStripeForm } from './stripe.form.js';
import { IdempotencyStore } from './stripe.idempotency.js';
import { type Fields, LIST, validateParams } from './stripe.params.js';
import { type Collection, paginate, type StripeStore } from './stripe.store.js';

/**
 * One Stripe API endpoint = parameter fields + a synchronous handler. The wrapper does what every
 * endpoint shares: parse the form/query, validate (a 400 here is not stored), claim the
 * Idempotency-Key on POST (replaying a stored reply, 400 on other parameters, 409 while running),
 * run the handler with its events attributed to this request, expand `expand[]` paths, store the
 * reply under the key, and apply the request's during/after faults (slow, lost reply).
 */
export interface ApiDeps {
  store: StripeStore;
  events: EventBus;
  idempotency: IdempotencyStore;
  /** Fault effects decided when the request arrived (see the simulator's onRequest hook). */
  effects: WeakMap<FastifyRequest, FaultEffect>;
  sleep(ms: number): Promise<void>;
}

type Method = 'GET' | 'POST' | 'DELETE';
// Handlers receive validated parameters; each declares the shape it reads.
// biome-ignore lint/suspicious/noExplicitAny: the parameter shape is per endpoint, checked by `fields`.
export type Handler = (params: any, path: Record<string, string>) => unknown;

export const pathOf = (url: string): string => url.split('?')[0] ?? url;
const queryOf = (url: string): string => {
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
};

function expandPath(
  store: StripeStore,
  value: unknown,
  parts: string[],
  full: string,
  depth: number,
): unknown {
  const [head, ...rest] = parts;
  if (head === undefined || value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record.object === 'list' && head === 'data' && Array.isArray(record.data)) {
    record.data = record.data.map((item) => expandPath(store, item, rest, full, depth));
    return record;
  }
  if (depth >= 4)
    throw invalidRequest(`You cannot expand more than 4 levels of a property (${full}).`, 'expand');
  if (record.object === 'checkout.session' && head === 'line_items') {
    const data = store.lineItems.get(record.id as string) ?? [];
    record.line_items = {
      object: 'list',
      data: snapshot(data),
      has_more: false,
      url: `/v1/checkout/sessions/${record.id}/line_items`,
    };
    return record;
  }
  if (!(head in record)) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
  const current = record[head];
  if (typeof current === 'string') {
    const found = store.find(current);
    if (!found) throw invalidRequest(`This property cannot be expanded (${full}).`, 'expand');
    record[head] = snapshot(found);
  }
  record[head] = expandPath(store, record[head], rest, full, depth + 1);
  return record;
}

export function expand(store: StripeStore, value: unknown, paths: string[]): unknown {
  let out = value;
  for (const path of paths) out = expandPath(store, out, path.split('.'), path, 0);
  return out;
}

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}

export function defineApi(app: FastifyInstance, deps: ApiDeps) {
  return function route(
    method: Method,
    url: string,
    fields: Fields,
    handler: Handler,
    options: { list?: boolean } = {},
  ): void {
    app.route({
      method,
      url,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        if (request.body !== undefined && typeof request.body !== 'string')
          throw invalidRequest(
            'Invalid request: the Stripe API takes application/x-www-form-urlencoded parameters.',
          );
        const raw = parseStripeForm(
          method === 'POST' ? ((request.body as string | undefined) ?? '') : queryOf(request.url),
        );
        const params = validateParams<{ expand?: string[] | null }>(
          options.list ? { ...LIST, ...fields } : fields,
          raw,
        );
        const key = method === 'POST' ? header(request, 'idempotency-key') : null;
        const requestId = String(reply.getHeader('request-id'));
        if (key !== null) {
          IdempotencyStore.checkKey(key);
          reply.header('idempotency-key', key);
          const admission = deps.idempotency.begin(key, method, pathOf(request.url), raw);
          if (admission.kind === 'replay') {
            return reply
              .code(admission.reply.status)
              .headers({ 'idempotent-replayed': 'true', 'original-request': admission.reply.requestId })
              .send(admission.reply.body);
          }
        }
        const effect = deps.effects.get(request);
        if (effect && effect.delayMs > 0) await deps.sleep(effect.delayMs);
        let status = 200;
        let body: unknown;
        try {
          const result = deps.events.within({ id: requestId, idempotency_key: key }, () =>
            handler(params, request.params as Record<string, string>),
          );
          body = expand(deps.store, snapshot(result), params.expand ?? []);
        } catch (error) {
          const known = error instanceof StripeApiError ? error : null;
          if (!known) request.log.error({ err: error }, 'Stripe simulator: unexpected error');
          const failure = known ?? apiError();
          status = failure.statusCode;
          body = failure.body();
          reply.headers(failure.headers);
        }
        if (key !== null) deps.idempotency.finish(key, { status, body, requestId });
        if (effect?.lostReply) {
          // The work is done and stored; the client never hears back.
          reply.hijack();
          request.raw.socket.destroy();
          return reply;
        }
        return reply.code(status).send(body);
      },
    });
  };
}

export type RouteFn = ReturnType<typeof defineApi>;

/**
 * `GET url`: a page of `collection`, narrowed to the items whose field equals each filter sent
 * (Stripe's list filters are equality on the field of the same name).
 */
export function listRoute<T extends { id: string; created?: number }>(
  route: RouteFn,
  url: string,
  collection: Collection<T>,
  filters: Fields = {},
): void {
  const names = Object.keys(filters);
  route(
    'GET',
    url,
    filters,
    (p: Record<string, unknown>) =>
      paginate(collection, p, url, (item) =>
        names.every((name) => !p[name] || (item as Record<string, unknown>)[name] === p[name]),
      ),
    { list: true },
  );
}
