import { BookingIdParamsSchema, StandardErrors } from '@clubos/shared/api';
import { ReceiptListSchema, ReceiptParamsSchema } from '@clubos/shared/api/receipts.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { renderReceiptPage } from './receipt.page.js';

const tags = ['bookings', 'payments'];
// The receipt email's link carries a signed token for that receipt (no login, no manage token).
const ReceiptLinkQuery = Type.Object(
  { token: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
const ManageHeaders = Type.Object({ 'x-manage-token': Type.Optional(Type.String({ maxLength: 2000 })) });

/** Receipts of a booking's payments and refunds: a list, and a printable page each. */
export const receiptsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { receipts } = app.services;

  app.get(
    '/bookings/:id/receipts',
    {
      schema: {
        tags,
        summary: "A booking's receipts (its customer, its venue's staff, or a guest with X-Manage-Token)",
        params: BookingIdParamsSchema,
        headers: ManageHeaders,
        response: { 200: ReceiptListSchema, ...StandardErrors },
      },
    },
    async (request) => ({
      receipts: await receipts.list(
        { principal: request.principal, manageToken: request.headers['x-manage-token'] },
        request.params.id,
      ),
    }),
  );

  app.get(
    '/bookings/:id/receipts/:receipt_id',
    {
      schema: {
        tags,
        summary: 'One receipt as a printable HTML page',
        params: ReceiptParamsSchema,
        headers: ManageHeaders,
        querystring: ReceiptLinkQuery,
        response: { 200: Type.String({ description: 'text/html' }), ...StandardErrors },
      },
    },
    async (request, reply) => {
      const page = await receipts.page(
        {
          principal: request.principal,
          manageToken: request.headers['x-manage-token'],
          linkToken: request.query.token,
        },
        request.params.id,
        request.params.receipt_id,
      );
      return reply.type('text/html; charset=utf-8').send(renderReceiptPage(page));
    },
  );
};
