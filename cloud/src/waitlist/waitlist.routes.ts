import { BookingSchema, StandardErrors } from '@clubos/shared/api';
import {
  JoinWaitlistBodySchema,
  ListWaitlistQuerySchema,
  WaitlistEntrySchema,
  WaitlistIdParamsSchema,
  WaitlistListSchema,
} from '@clubos/shared/api/waitlist.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createIdempotently, IdempotencyHeaders } from '../admin/idempotent-create.js';
import { principalOf, requireRole } from '../auth/index.js';
import type { PeriodicJob } from '../cluster/periodic-work.js';
import type { WaitlistService } from './waitlist.service.js';

const tags = ['waitlist'];
const errors = {
  ...StandardErrors,
  409: StandardErrors[400],
  410: StandardErrors[400],
  422: StandardErrors[400],
};
/** Lapsed offers are passed on within this long even when nobody calls the API. */
const SWEEP_INTERVAL_MS = 30_000;

/**
 * The waitlist API, the listener that offers cancelled time to the line, and the timer that
 * expires lapsed offers. The timer and the listener belong to this plugin: started on ready,
 * stopped on close, and in-flight offers are awaited before the database closes.
 */
export const waitlistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { waitlist: service, bookingEvents } = app.services;

  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>, what: string) => {
    const p = work
      .catch((err) => app.log.error({ err }, `waitlist: ${what} failed`))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const onCancelled = (row: Parameters<WaitlistService['onFreed']>[0]) =>
    track(service.onFreed(row), 'offering freed time');
  let sweep: PeriodicJob | undefined;
  app.addHook('onReady', async () => {
    bookingEvents.on('cancelled', onCancelled);
    sweep = app.services.periodicWork.every('waitlist-sweep', SWEEP_INTERVAL_MS, () => service.sweep());
  });
  app.addHook('onClose', async () => {
    bookingEvents.off('cancelled', onCancelled);
    await sweep?.stop();
    await Promise.all([...inFlight]);
  });

  app.post(
    '/waitlist',
    {
      preHandler: requireRole('customer'),
      schema: {
        tags,
        summary: 'Wait for a taken slot on one bay (simulator_id) or any bay of a facility (facility_id)',
        description:
          'When a booking overlapping it is cancelled, the first in line gets a 15-minute offer: a hold on the ' +
          'slot. Accept it (POST /waitlist/{id}/accept) to book; if it lapses or is declined, the next one gets it.',
        headers: IdempotencyHeaders,
        body: JoinWaitlistBodySchema,
        response: { 201: WaitlistEntrySchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) =>
        service.join(principalOf(request), request.body, recorder),
      ),
  );

  app.get(
    '/waitlist',
    {
      preHandler: requireRole('customer', 'staff', 'admin'),
      schema: {
        tags,
        summary: "Customers: their own entries; staff and admins: a facility's line",
        querystring: ListWaitlistQuerySchema,
        response: { 200: WaitlistListSchema, ...errors },
      },
    },
    async (request) => ({ entries: await service.list(principalOf(request), request.query) }),
  );

  app.delete(
    '/waitlist/:id',
    {
      preHandler: requireRole('customer', 'staff', 'admin'),
      schema: {
        tags,
        summary: 'Leave the waitlist (an open offer passes to the next in line)',
        params: WaitlistIdParamsSchema,
        response: { 200: WaitlistEntrySchema, ...errors },
      },
    },
    async (request) => service.leave(principalOf(request), request.params.id),
  );

  app.post(
    '/waitlist/:id/accept',
    {
      preHandler: requireRole('customer'),
      schema: {
        tags,
        summary: 'Accept an offer: the held slot becomes a confirmed booking',
        headers: IdempotencyHeaders,
        params: WaitlistIdParamsSchema,
        response: { 201: BookingSchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) =>
        service.accept(principalOf(request), request.params.id, Date.now(), recorder),
      ),
  );

  app.post(
    '/waitlist/:id/decline',
    {
      preHandler: requireRole('customer'),
      schema: {
        tags,
        summary: 'Decline an offer: the slot goes to the next in line',
        params: WaitlistIdParamsSchema,
        response: { 200: WaitlistEntrySchema, ...errors },
      },
    },
    async (request) => service.decline(principalOf(request), request.params.id),
  );
};
