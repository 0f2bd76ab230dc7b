import type { FastifyInstance } from 'fastify';
import { authorize, envelope, paging, type UnifiContext } from './unifi.context.js';
import { invalid, notFound } from './unifi.state.js';
import { type LogTopic, UnifiApiError } from './unifi.types.js';

const TOPICS = [
  'all',
  'door_openings',
  'critical',
  'updates',
  'device_events',
  'admin_activity',
  'visitor',
] as const;
const WEBHOOK_EVENTS = [
  'access.doorbell.incoming',
  'access.doorbell.completed',
  'access.doorbell.incoming.REN',
  'access.device.dps_status',
  'access.door.unlock',
  'access.device.emergency_status',
  'access.unlock_schedule.activate',
  'access.unlock_schedule.deactivate',
  'access.temporary_unlock.start',
  'access.temporary_unlock.end',
  'access.visitor.status.changed',
];

function optionalSeconds(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw invalid(`${name}: must be Unix seconds`);
  return value;
}

function webhookInput(raw: unknown) {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof body.name !== 'string' || !body.name) throw invalid('name: required');
  if (typeof body.endpoint !== 'string' || !/^https?:\/\//.test(body.endpoint))
    throw invalid('endpoint: must be an http(s) URL');
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0) throw invalid('events: must be a non-empty array');
  for (const event of events) {
    if (!WEBHOOK_EVENTS.includes(String(event))) throw invalid(`events: unknown event "${String(event)}"`);
  }
  const headers = body.headers;
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) {
    throw invalid('headers: must be an object of strings');
  }
  return {
    name: body.name,
    endpoint: body.endpoint,
    events: events.map(String),
    headers: headers as Record<string, string>,
  };
}

export function registerSystemRoutes(app: FastifyInstance, ctx: UnifiContext): void {
  const { state, webhooks } = ctx;

  app.post<{ Querystring: Record<string, unknown> }>('/system/logs', async (request) => {
    authorize(ctx, request, 'view:system_log');
    const { pageNum, pageSize } = paging(request.query);
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    const topic = body.topic;
    if (typeof topic !== 'string' || !(TOPICS as readonly string[]).includes(topic)) {
      throw invalid(`topic: required, one of ${TOPICS.join(', ')}`);
    }
    const since = optionalSeconds(body, 'since');
    const until = optionalSeconds(body, 'until');
    const actorId = typeof body.actor_id === 'string' ? body.actor_id : undefined;
    const hits = state.logs
      .filter(({ topics }) => topic === 'all' || topics.includes(topic as LogTopic))
      .map(({ entry }) => entry)
      .filter((e) => since === undefined || e._source.event.published >= since * 1000)
      .filter((e) => until === undefined || e._source.event.published <= until * 1000)
      .filter((e) => actorId === undefined || e._source.actor.id === actorId)
      .reverse(); // newest first, as the controller lists them
    const page = hits.slice((pageNum - 1) * pageSize, pageNum * pageSize);
    return envelope(
      { hits: page, page: pageNum, total: hits.length },
      { page_num: pageNum, page_size: pageSize, total: hits.length },
    );
  });

  app.get('/webhooks/endpoints', async (request) => {
    authorize(ctx, request, 'view:webhook');
    return envelope([...webhooks.endpoints.values()]);
  });

  app.post('/webhooks/endpoints', async (request) => {
    authorize(ctx, request, 'edit:webhook');
    const input = webhookInput(request.body);
    const duplicate = [...webhooks.endpoints.values()].some((e) => e.endpoint === input.endpoint);
    if (duplicate)
      throw new UnifiApiError(400, 'CODE_DEVICE_WEBHOOK_ENDPOINT_DUPLICATED', 'endpoint: already registered');
    return envelope(webhooks.register(input));
  });

  app.put<{ Params: { id: string } }>('/webhooks/endpoints/:id', async (request) => {
    authorize(ctx, request, 'edit:webhook');
    const current = webhooks.endpoints.get(request.params.id);
    if (!current) throw notFound('Webhook endpoint', request.params.id);
    const input = webhookInput(request.body);
    Object.assign(current, { ...input, headers: { ...(input.headers ?? {}) } });
    return envelope(current);
  });

  app.delete<{ Params: { id: string } }>('/webhooks/endpoints/:id', async (request) => {
    authorize(ctx, request, 'edit:webhook');
    if (!webhooks.endpoints.delete(request.params.id)) throw notFound('Webhook endpoint', request.params.id);
    return envelope(null);
  });
}
