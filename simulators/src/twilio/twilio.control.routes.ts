import type { FastifyInstance } from 'fastify';
import type { FaultSpec } from '../http/fault-injector.js';
import type { TwilioControl } from './twilio.control.js';
import { parseTiming } from './twilio.lifecycle.js';
import type { MessageDirection } from './twilio.message.js';

/** The control API over HTTP, for the demo and for tests in another process. Not part of Twilio. */
export const CONTROL_PREFIX = '/__control';

type Body = Record<string, unknown> | undefined;

function text(body: Body, name: string, required: boolean): string | undefined {
  const value = body?.[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') throw new RangeError(`${name}: a string is required`);
  return value;
}

const DIRECTIONS = new Set(['outbound-api', 'outbound-reply', 'inbound']);

export function registerControlRoutes(app: FastifyInstance, control: TwilioControl): void {
  const p = CONTROL_PREFIX;
  app.get<{ Querystring: Record<string, string | undefined> }>(`${p}/messages`, async (request) => {
    const { to, from, direction } = request.query;
    if (direction !== undefined && !DIRECTIONS.has(direction))
      throw new RangeError('direction: outbound-api, outbound-reply or inbound');
    return { messages: control.messages({ to, from, direction: direction as MessageDirection | undefined }) };
  });
  app.get<{ Params: { sid: string } }>(`${p}/messages/:sid`, async (request, reply) => {
    const message = control.message(request.params.sid);
    return message ? message : reply.code(404).send({ message: `no message ${request.params.sid}` });
  });
  app.get(`${p}/requests`, async () => ({ requests: control.requests() }));
  app.delete(`${p}/requests`, async (_request, reply) => {
    control.clearRequests();
    return reply.code(204).send();
  });
  app.get<{ Querystring: { kind?: string } }>(`${p}/webhooks`, async (request) => {
    const kind = request.query.kind;
    if (kind !== undefined && kind !== 'status_callback' && kind !== 'inbound')
      throw new RangeError('kind: status_callback or inbound');
    return { deliveries: control.webhookDeliveries(kind) };
  });
  app.post(`${p}/settle`, async (_request, reply) => {
    await control.settled();
    return reply.code(204).send();
  });
  app.post<{ Body: Body }>(`${p}/inbound`, async (request) => {
    const media = request.body?.media_urls;
    if (media !== undefined && (!Array.isArray(media) || media.some((u) => typeof u !== 'string')))
      throw new RangeError('media_urls: an array of URLs');
    return control.inbound({
      from: text(request.body, 'from', true) as string,
      to: text(request.body, 'to', true) as string,
      body: text(request.body, 'body', true) as string,
      mediaUrls: media as string[] | undefined,
    });
  });
  app.get(`${p}/outcomes`, async () => ({ outcomes: control.outcomes() }));
  app.put<{ Params: { number: string }; Body: Body }>(`${p}/outcomes/:number`, async (request) => ({
    number: request.params.number,
    outcome: control.setOutcome(request.params.number, request.body?.outcome as string),
  }));
  app.delete<{ Params: { number: string } }>(`${p}/outcomes/:number`, async (request, reply) => {
    control.clearOutcome(request.params.number);
    return reply.code(204).send();
  });
  app.get(`${p}/timing`, async () => ({ timing: control.timing() }));
  app.put<{ Body: Body }>(`${p}/timing`, async (request) => {
    control.setTiming(parseTiming(request.body?.timing));
    return { timing: control.timing() };
  });
  app.post<{ Body: Body }>(`${p}/advance`, async (request) => ({
    moved: control.advance(text(request.body, 'sid', false)),
  }));
  app.get(`${p}/numbers`, async () => ({ numbers: control.numbers() }));
  app.put<{ Params: { number: string }; Body: Body }>(`${p}/numbers/:number`, async (request) => {
    const smsUrl = request.body?.sms_url;
    if (smsUrl !== null && typeof smsUrl !== 'string') throw new RangeError('sms_url: a URL or null');
    control.setNumber({ number: request.params.number, smsUrl });
    return { numbers: control.numbers() };
  });
  app.get(`${p}/opt-outs`, async () => ({ opt_outs: control.optOuts() }));
  app.get(`${p}/limits`, async () => ({ max_concurrent_requests: control.maxConcurrentRequests() }));
  app.put<{ Body: Body }>(`${p}/limits`, async (request) => {
    control.setMaxConcurrentRequests(request.body?.max_concurrent_requests as number);
    return { max_concurrent_requests: control.maxConcurrentRequests() };
  });
  app.get(`${p}/faults`, async () => control.faults.snapshot());
  app.post<{ Body: FaultSpec }>(`${p}/faults`, async (request) => {
    control.faults.apply(request.body ?? {});
    return control.faults.snapshot();
  });
  app.post(`${p}/reset`, async (_request, reply) => {
    control.reset();
    return reply.code(204).send();
  });
}
