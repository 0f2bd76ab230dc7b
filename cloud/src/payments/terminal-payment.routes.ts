import { StandardErrors } from '@clubos/shared/api';
import { IdParamsSchema } from '@clubos/shared/api/admin.schemas';
import {
  BookingIdParamsSchema,
  PaymentIdParamsSchema,
  SettleDueBodySchema,
  StartTerminalPaymentBodySchema,
  TerminalPaymentSchema,
  TerminalReaderBodySchema,
  TerminalReaderResponseSchema,
  WalkInDueSchema,
} from '@clubos/shared/api/terminal.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { edgePrincipalOf, principalOf, requireRole } from '../auth/index.js';

const tags = ['payments'];
const edgeSecurity = [{ edge: [] }];

/**
 * Walk-ins paid at the venue: the facility's reader (admin), card payments on it driven by the
 * edge (`Authorization: Edge <key>`, the facility is the edge's), and settling walk-ins sold offline.
 */
export const terminalPaymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cards = app.services.terminalPayments;
  const dues = app.services.walkInDues;
  const edgeOnly = requireRole('system');
  const payment = { 200: TerminalPaymentSchema, ...StandardErrors };

  app.get(
    '/admin/facilities/:id/terminal-reader',
    {
      preHandler: requireRole('staff', 'admin'),
      schema: {
        tags,
        summary: 'The Stripe Terminal reader walk-ins are charged on (null: none)',
        params: IdParamsSchema,
        response: { 200: TerminalReaderResponseSchema, ...StandardErrors },
      },
    },
    async (request) => cards.readerFor(principalOf(request), request.params.id),
  );

  app.put(
    '/admin/facilities/:id/terminal-reader',
    {
      preHandler: requireRole('staff', 'admin'),
      schema: {
        tags,
        summary: "Set the facility's Stripe Terminal reader (checked at Stripe)",
        params: IdParamsSchema,
        body: TerminalReaderBodySchema,
        response: { 200: TerminalReaderResponseSchema, ...StandardErrors },
      },
    },
    async (request) => cards.setReader(principalOf(request), request.params.id, request.body.reader_id),
  );

  app.post(
    '/edge/terminal-payments',
    {
      preHandler: edgeOnly,
      schema: {
        tags,
        security: edgeSecurity,
        summary: "Charge a walk-in on the facility's reader: the reader asks for a card",
        body: StartTerminalPaymentBodySchema,
        response: { 201: TerminalPaymentSchema, ...StandardErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await cards.start(edgePrincipalOf(request).facilityId, request.body)),
  );

  app.get(
    '/edge/terminal-payments/:id',
    {
      preHandler: edgeOnly,
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'Where a reader payment stands (waiting, authorized, succeeded, declined, canceled)',
        params: PaymentIdParamsSchema,
        response: payment,
      },
    },
    async (request) => cards.status(edgePrincipalOf(request).facilityId, request.params.id),
  );

  app.post(
    '/edge/terminal-payments/:id/capture',
    {
      preHandler: edgeOnly,
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'The walk-in was sold: capture the authorised payment',
        params: PaymentIdParamsSchema,
        response: payment,
      },
    },
    async (request) => cards.capture(edgePrincipalOf(request).facilityId, request.params.id),
  );

  app.post(
    '/edge/terminal-payments/:id/cancel',
    {
      preHandler: edgeOnly,
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'The walk-in was not sold: stop the reader and release the payment',
        params: PaymentIdParamsSchema,
        response: payment,
      },
    },
    async (request) => cards.cancel(edgePrincipalOf(request).facilityId, request.params.id),
  );

  app.get(
    '/edge/walk-in-dues',
    {
      preHandler: edgeOnly,
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'Walk-ins sold offline that still owe their price',
        response: { 200: Type.Object({ dues: Type.Array(WalkInDueSchema) }), ...StandardErrors },
      },
    },
    async (request) => ({ dues: await dues.owed(edgePrincipalOf(request).facilityId) }),
  );

  app.post(
    '/edge/walk-in-dues/:booking_id/settle',
    {
      preHandler: edgeOnly,
      schema: {
        tags,
        security: edgeSecurity,
        summary: 'Settle a walk-in sold offline: cash taken at the desk, or a card payment that succeeded',
        params: BookingIdParamsSchema,
        body: SettleDueBodySchema,
        response: { 200: WalkInDueSchema, ...StandardErrors },
      },
    },
    async (request) =>
      dues.settle(edgePrincipalOf(request).facilityId, request.params.booking_id, request.body),
  );
};
