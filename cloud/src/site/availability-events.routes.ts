import type { ServerResponse } from 'node:http';
import { notFound } from '@clubos/shared/errors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ChangeHeadWatcher } from './change-head.watcher.js';
import { AvailabilityEventsQuerySchema, SiteErrors } from './site.schemas.js';

export interface AvailabilityEventsOptions {
  /** How often each watched facility's change-log head is read (ms). */
  pollIntervalMs?: number;
  /** Comment lines that keep proxies from closing an idle stream (ms). */
  heartbeatMs?: number;
}

export interface AvailabilityEventsRouteOptions extends AvailabilityEventsOptions {
  watcher: ChangeHeadWatcher;
}

/**
 * `GET /api/v1/availability/events?facility_id=`: a Server-Sent Events stream that sends `change`
 * whenever the facility's change log moves (a booking, a cancellation, a hold, a rule or bay
 * edit…). The booking site refetches availability on each event, so a slot taken elsewhere
 * disappears without a reload. Every write already appends to the change log in its own
 * transaction, so this sees bookings from every channel (site, kiosk via edge, staff, API).
 */
export const availabilityEventsRoutes: FastifyPluginAsyncTypebox<AvailabilityEventsRouteOptions> = async (
  app,
  opts,
) => {
  const { facilityRepository } = app.services;
  const { watcher } = opts;
  const open = new Set<ServerResponse>();

  // Open streams never go idle, so the server would wait for them forever on close: end them first.
  app.addHook('preClose', async () => {
    watcher.close();
    for (const res of open) res.end();
    open.clear();
  });

  app.get(
    '/availability/events',
    {
      schema: {
        tags: ['availability'],
        summary: 'Server-Sent Events: `change` each time the facility’s bookings or rules change',
        security: [],
        querystring: AvailabilityEventsQuerySchema,
        response: { ...SiteErrors },
      },
    },
    async (request, reply) => {
      const facilityId = request.query.facility_id;
      if (!(await facilityRepository.findFacility(facilityId))) throw notFound('facility', facilityId);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) =>
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      // `retry` keeps reconnects quick after a deploy; `ready` tells the page to (re)load once.
      res.write('retry: 1000\n\n');
      send('ready', { facility_id: facilityId });
      open.add(res);

      const unsubscribe = watcher.subscribe(facilityId, (seq) =>
        send('change', { facility_id: facilityId, seq }),
      );
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), opts.heartbeatMs ?? 15_000);
      heartbeat.unref();
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
    },
  );
};
