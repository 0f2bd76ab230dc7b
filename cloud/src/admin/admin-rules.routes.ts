import { StandardErrors } from '@clubos/shared/api';
import {
  AdminAvailabilityRuleListSchema,
  AdminAvailabilityRuleSchema,
  AdminClosureListSchema,
  AdminPricingRuleListSchema,
  AdminPricingRuleSchema,
  AvailabilityRulesQuerySchema,
  ClosuresQuerySchema,
  ClosureWriteResponseSchema,
  CreateAvailabilityRuleBodySchema,
  CreateClosureBodySchema,
  CreatePricingRuleBodySchema,
  DeletedResponseSchema,
  FacilityFilterQuerySchema,
  IdParamsSchema,
  UpdateAvailabilityRuleBodySchema,
  UpdateClosureBodySchema,
  UpdatePricingRuleBodySchema,
} from '@clubos/shared/api/admin.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';
import { createIdempotently, IdempotencyHeaders } from './idempotent-create.js';

const tags = ['admin'];
const staffOrAdmin = requireRole('staff', 'admin');
const errors = { ...StandardErrors, 409: StandardErrors[400] };
const deleted = (id: string) => ({ id, deleted: true as const });

/** Opening hours (availability rules), pricing rules and closures, for staff and admins. */
export const adminRulesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.adminRules;
  const route = { preHandler: staffOrAdmin };

  // Availability rules
  app.get(
    '/admin/availability-rules',
    {
      ...route,
      schema: {
        tags,
        summary:
          'Opening hours of one bay (simulator_id), one facility, or every facility the caller manages',
        querystring: AvailabilityRulesQuerySchema,
        response: { 200: AdminAvailabilityRuleListSchema, ...errors },
      },
    },
    async (request) => ({ rules: await service.listAvailabilityRules(principalOf(request), request.query) }),
  );
  app.post(
    '/admin/availability-rules',
    {
      ...route,
      schema: {
        tags,
        summary: 'Add opening hours to a bay (end_time <= start_time runs past midnight)',
        headers: IdempotencyHeaders,
        body: CreateAvailabilityRuleBodySchema,
        response: { 201: AdminAvailabilityRuleSchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) =>
        service.createAvailabilityRule(principalOf(request), request.body, recorder),
      ),
  );
  app.patch(
    '/admin/availability-rules/:id',
    {
      ...route,
      schema: {
        tags,
        summary: 'Change opening hours',
        params: IdParamsSchema,
        body: UpdateAvailabilityRuleBodySchema,
        response: { 200: AdminAvailabilityRuleSchema, ...errors },
      },
    },
    async (request) => service.updateAvailabilityRule(principalOf(request), request.params.id, request.body),
  );
  app.delete(
    '/admin/availability-rules/:id',
    {
      ...route,
      schema: {
        tags,
        summary: 'Remove opening hours',
        params: IdParamsSchema,
        response: { 200: DeletedResponseSchema, ...errors },
      },
    },
    async (request) => {
      await service.deleteAvailabilityRule(principalOf(request), request.params.id);
      return deleted(request.params.id);
    },
  );

  // Pricing rules
  app.get(
    '/admin/pricing-rules',
    {
      ...route,
      schema: {
        tags,
        summary: 'Pricing rules of one facility or every facility the caller manages',
        querystring: FacilityFilterQuerySchema,
        response: { 200: AdminPricingRuleListSchema, ...errors },
      },
    },
    async (request) => ({
      rules: await service.listPricingRules(principalOf(request), request.query.facility_id),
    }),
  );
  app.post(
    '/admin/pricing-rules',
    {
      ...route,
      schema: {
        tags,
        summary: 'Add a pricing rule (checked by the pricing engine before it is stored)',
        headers: IdempotencyHeaders,
        body: CreatePricingRuleBodySchema,
        response: { 201: AdminPricingRuleSchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) =>
        service.createPricingRule(principalOf(request), request.body, recorder),
      ),
  );
  app.patch(
    '/admin/pricing-rules/:id',
    {
      ...route,
      schema: {
        tags,
        summary: 'Change a pricing rule',
        params: IdParamsSchema,
        body: UpdatePricingRuleBodySchema,
        response: { 200: AdminPricingRuleSchema, ...errors },
      },
    },
    async (request) => service.updatePricingRule(principalOf(request), request.params.id, request.body),
  );
  app.delete(
    '/admin/pricing-rules/:id',
    {
      ...route,
      schema: {
        tags,
        summary: 'Remove a pricing rule',
        params: IdParamsSchema,
        response: { 200: DeletedResponseSchema, ...errors },
      },
    },
    async (request) => {
      await service.deletePricingRule(principalOf(request), request.params.id);
      return deleted(request.params.id);
    },
  );

  // Closures
  app.get(
    '/admin/closures',
    {
      ...route,
      schema: {
        tags,
        summary: 'Closures and maintenance blocks overlapping [from, to)',
        querystring: ClosuresQuerySchema,
        response: { 200: AdminClosureListSchema, ...errors },
      },
    },
    async (request) => ({ closures: await service.listClosures(principalOf(request), request.query) }),
  );
  app.post(
    '/admin/closures',
    {
      ...route,
      schema: {
        tags,
        summary: 'Close a facility (no simulator_id) or block one bay; lists the bookings it overlaps',
        headers: IdempotencyHeaders,
        body: CreateClosureBodySchema,
        response: { 201: ClosureWriteResponseSchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) =>
        service.createClosure(principalOf(request), request.body, recorder),
      ),
  );
  app.patch(
    '/admin/closures/:id',
    {
      ...route,
      schema: {
        tags,
        summary: 'Change a closure',
        params: IdParamsSchema,
        body: UpdateClosureBodySchema,
        response: { 200: ClosureWriteResponseSchema, ...errors },
      },
    },
    async (request) => service.updateClosure(principalOf(request), request.params.id, request.body),
  );
  app.delete(
    '/admin/closures/:id',
    {
      ...route,
      schema: {
        tags,
        summary: 'Remove a closure',
        params: IdParamsSchema,
        response: { 200: DeletedResponseSchema, ...errors },
      },
    },
    async (request) => {
      await service.deleteClosure(principalOf(request), request.params.id);
      return deleted(request.params.id);
    },
  );
};
