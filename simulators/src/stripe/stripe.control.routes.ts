import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import type { StripeControl } from './stripe.control.js';
import { StripeFaultSchema } from './stripe.faults.js';
import type { StripeStore } from './stripe.store.js';

/** The control API over HTTP, for the demo and for tests in another process. Not part of Stripe. */
export const CONTROL_PREFIX = '/__control';

function body<S extends TSchema>(schema: S, value: unknown, label: string): Static<S> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  throw new RangeError(`${label}: ${first?.path || '(body)'} ${first?.message ?? 'is invalid'}`);
}

const Strict = { additionalProperties: false } as const;
const EndpointSchema = Type.Object(
  {
    url: Type.String({ minLength: 1 }),
    events: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    secret: Type.Optional(Type.String({ minLength: 7 })),
    api_version: Type.Optional(Type.String({ minLength: 1 })),
  },
  Strict,
);
const BehaviourSchema = Type.Object(
  {
    hold: Type.Optional(Type.Boolean()),
    duplicate: Type.Optional(Type.Boolean()),
    drop: Type.Optional(Type.Boolean()),
    delay_ms: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  Strict,
);
const TimingsSchema = Type.Object(
  {
    retry_delays_ms: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }))),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  Strict,
);
const ReleaseSchema = Type.Object(
  { order: Type.Optional(Type.Union([Type.Literal('fifo'), Type.Literal('reverse')])) },
  Strict,
);
const PaySchema = Type.Object(
  {
    number: Type.String({ minLength: 1 }),
    email: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
  },
  Strict,
);
const AuthSchema = Type.Object(
  { result: Type.Union([Type.Literal('approve'), Type.Literal('deny')]) },
  Strict,
);
const ReaderStatusSchema = Type.Object(
  { status: Type.Union([Type.Literal('online'), Type.Literal('offline')]) },
  Strict,
);
const CountSchema = Type.Object({ count: Type.Optional(Type.Integer({ minimum: 1 })) }, Strict);
const ClockSchema = Type.Object({ seconds: Type.Integer({ minimum: 0 }) }, Strict);

export function registerControlRoutes(
  app: FastifyInstance,
  control: StripeControl,
  store: StripeStore,
): void {
  const p = CONTROL_PREFIX;
  app.get(`${p}/faults`, async () => ({ faults: control.faults() }));
  app.post(`${p}/faults`, async (request, reply) => {
    control.fault(body(StripeFaultSchema, request.body, 'fault'));
    return reply.code(201).send({ faults: control.faults() });
  });
  app.delete(`${p}/faults`, async (_request, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });

  app.post(`${p}/webhook_endpoints`, async (request, reply) => {
    const b = body(EndpointSchema, request.body, 'webhook endpoint');
    const { endpoint, secret } = control.addWebhookEndpoint({
      url: b.url,
      events: b.events,
      secret: b.secret,
      apiVersion: b.api_version,
    });
    return reply.code(201).send({ ...endpoint, secret });
  });
  app.post<{ Params: { id: string } }>(`${p}/webhook_endpoints/:id/roll_secret`, async (request) => {
    store.webhookEndpoints.require(request.params.id);
    return { secret: control.rollWebhookSecret(request.params.id) };
  });
  app.get(`${p}/webhooks`, async () => ({ behaviour: control.webhookBehaviour() }));
  app.post(`${p}/webhooks`, async (request) => {
    const b = body(BehaviourSchema, request.body, 'webhook behaviour');
    return {
      behaviour: control.webhookBehaviour({
        hold: b.hold,
        duplicate: b.duplicate,
        drop: b.drop,
        delayMs: b.delay_ms,
      }),
    };
  });
  app.post(`${p}/webhooks/timings`, async (request, reply) => {
    const b = body(TimingsSchema, request.body, 'webhook timings');
    control.setWebhookTimings({ retryDelaysMs: b.retry_delays_ms, timeoutMs: b.timeout_ms });
    return reply.code(204).send();
  });
  app.post(`${p}/webhooks/release`, async (request) => {
    const b = body(ReleaseSchema, request.body ?? {}, 'release');
    return { released: await control.releaseWebhooks(b.order) };
  });
  app.get<{ Querystring: { event_id?: string; event_type?: string; flush?: string } }>(
    `${p}/webhooks/deliveries`,
    async (request) => {
      if (request.query.flush === 'true') await control.flushWebhooks();
      return {
        deliveries: control.webhookDeliveries({
          event_id: request.query.event_id,
          event_type: request.query.event_type,
        }),
      };
    },
  );

  app.post<{ Params: { id: string } }>(`${p}/checkout/sessions/:id/pay`, async (request) => {
    const b = body(PaySchema, request.body, 'card');
    return control.payCheckoutSession(request.params.id, b);
  });
  app.post<{ Params: { id: string } }>(`${p}/three_d_secure/:id`, async (request, reply) => {
    control.authenticate(
      request.params.id,
      body(AuthSchema, request.body, '3-D Secure').result === 'approve',
    );
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>(`${p}/terminal/readers/:id/status`, async (request) =>
    control.setReaderStatus(
      request.params.id,
      body(ReaderStatusSchema, request.body, 'reader status').status,
    ),
  );
  app.post<{ Params: { id: string } }>(`${p}/terminal/readers/:id/timeout`, async (request, reply) => {
    control.timeoutReaderCommands(request.params.id, body(CountSchema, request.body ?? {}, 'timeout').count);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>(`${p}/terminal/readers/:id/customer_cancel`, async (request) =>
    control.customerCancelsOnReader(request.params.id),
  );

  app.post(`${p}/clock/advance`, async (request) => ({
    now: control.advanceClock(body(ClockSchema, request.body, 'clock').seconds),
  }));
  app.get(`${p}/requests`, async () => ({ requests: control.requests() }));
  app.delete(`${p}/requests`, async (_request, reply) => {
    control.clearRequests();
    return reply.code(204).send();
  });
  app.post(`${p}/reset`, async (_request, reply) => {
    control.reset();
    return reply.code(204).send();
  });
}
