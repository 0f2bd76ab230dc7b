import {
  SettledWalkInDueSchema,
  SettleWalkInDueBodySchema,
  WalkInBodySchema,
  WalkInDueParamsSchema,
  WalkInDuesSchema,
  WalkInPaymentOfferSchema,
  WalkInPaymentParamsSchema,
} from '@clubos/shared/api/edge-lan';
import { TerminalPaymentSchema } from '@clubos/shared/api/terminal.schemas';
import { badRequest } from '@clubos/shared/errors';
import { parseInstant } from '@clubos/shared/time';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, allow } from '../auth/auth.plugin.js';
import type { WalkInDuesService } from './walk-in-dues.service.js';
import type { WalkInPaymentService } from './walk-in-payment.service.js';

/**
 * Walk-ins paid at the venue: how a walk-in pays and its reader payment (kiosk and staff), and the
 * console's list of what walk-ins sold offline owe, settled in cash or on the reader (staff).
 */
export const walkInPaymentRoutes: FastifyPluginAsyncTypebox<{
  walkInPayments: WalkInPaymentService;
  dues: WalkInDuesService;
}> = async (app, { walkInPayments, dues }) => {
  app.post(
    '/walk-ins/payments',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { body: WalkInBodySchema, response: { 201: WalkInPaymentOfferSchema } },
    },
    async (request, reply) => {
      const body = request.body;
      const offer = await walkInPayments.offer({
        simulator_id: body.simulator_id,
        start: parseInstant(body.start_time, 'start_time'),
        duration_minutes: body.duration,
        customer: body.customer ?? {},
        sold_by: actorOf(request),
      });
      return reply.code(201).send(offer);
    },
  );

  app.get(
    '/walk-ins/payments/:id',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { params: WalkInPaymentParamsSchema, response: { 200: TerminalPaymentSchema } },
    },
    async (request) => walkInPayments.payment(request.params.id),
  );

  app.post(
    '/walk-ins/payments/:id/cancel',
    {
      preHandler: allow('kiosk', 'staff'),
      schema: { params: WalkInPaymentParamsSchema, response: { 200: TerminalPaymentSchema } },
    },
    async (request) => walkInPayments.cancel(request.params.id),
  );

  app.get(
    '/walk-ins/dues',
    { preHandler: allow('staff'), schema: { response: { 200: WalkInDuesSchema } } },
    async () => ({ dues: dues.owed() }),
  );

  app.post(
    '/walk-ins/dues/:booking_id/card',
    {
      preHandler: allow('staff'),
      schema: { params: WalkInDueParamsSchema, response: { 201: TerminalPaymentSchema } },
    },
    async (request, reply) => reply.code(201).send(await dues.startCard(request.params.booking_id)),
  );

  app.post(
    '/walk-ins/dues/:booking_id/settle',
    {
      preHandler: allow('staff'),
      schema: {
        params: WalkInDueParamsSchema,
        body: SettleWalkInDueBodySchema,
        response: { 200: SettledWalkInDueSchema },
      },
    },
    async (request) => {
      const { method, payment_id } = request.body;
      if (method === 'card' && payment_id === undefined)
        throw badRequest('payment_id', 'a card settlement names the reader payment that succeeded');
      return dues.settle(request.params.booking_id, method, payment_id, actorOf(request));
    },
  );
};
