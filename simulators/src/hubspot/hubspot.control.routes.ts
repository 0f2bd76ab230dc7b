import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parseBody } from './hubspot.body.js';
import type { HubspotControl, HubspotState } from './hubspot.control.js';
import { HubspotFaultSchema } from './hubspot.faults.js';
import { resolveObjectType } from './hubspot.property-catalog.js';

/** The control API over HTTP, for the demo and for tests in another process. Not part of HubSpot. */
export const CONTROL_PREFIX = '/__control';

const Positive = Type.Integer({ minimum: 1 });
const RateLimitsSchema = Type.Object(
  {
    tenSecondlyMax: Type.Optional(Positive),
    intervalMs: Type.Optional(Positive),
    dailyMax: Type.Optional(Positive),
    searchPerSecond: Type.Optional(Positive),
  },
  { additionalProperties: false },
);
const CountSchema = Type.Object({ count: Type.Integer({ minimum: 0 }) });
const LagSchema = Type.Object({ ms: Type.Integer({ minimum: 0 }) });

export function registerControlRoutes(
  app: FastifyInstance,
  state: HubspotState,
  control: HubspotControl,
): void {
  const p = CONTROL_PREFIX;
  app.get<{ Params: { objectType: string } }>(`${p}/objects/:objectType`, async (request) => ({
    results: state.objects(resolveObjectType(request.params.objectType)),
  }));
  app.get(`${p}/associations`, async () => ({ results: state.associations() }));
  app.get(`${p}/requests`, async () => ({ results: state.requests() }));
  app.delete(`${p}/requests`, async (_request, reply) => {
    control.clearRequests();
    return reply.code(204).send();
  });
  app.get(`${p}/rate-limits`, async () => control.rateLimits());
  app.put(`${p}/rate-limits`, async (request) =>
    control.setRateLimits(parseBody(RateLimitsSchema, request.body, 'rate limits')),
  );
  app.post(`${p}/rate-limits/reset`, async (_request, reply) => {
    control.resetRateLimitCounters();
    return reply.code(204).send();
  });
  app.post(`${p}/rate-limits/daily-used`, async (request, reply) => {
    control.useDailyRequests(parseBody(CountSchema, request.body, 'daily used').count);
    return reply.code(204).send();
  });
  app.get(`${p}/search-lag`, async () => ({ ms: control.searchLag() }));
  app.put(`${p}/search-lag`, async (request) => {
    control.setSearchLag(parseBody(LagSchema, request.body, 'search lag').ms);
    return { ms: control.searchLag() };
  });
  app.get(`${p}/faults`, async () => ({ results: control.faults() }));
  app.post(`${p}/faults`, async (request, reply) => {
    control.fault(parseBody(HubspotFaultSchema, request.body, 'fault'));
    return reply.code(201).send({ results: control.faults() });
  });
  app.delete(`${p}/faults`, async (_request, reply) => {
    control.clearFaults();
    return reply.code(204).send();
  });
  app.post(`${p}/reset`, async (_request, reply) => {
    control.reset();
    return reply.code(204).send();
  });
}
