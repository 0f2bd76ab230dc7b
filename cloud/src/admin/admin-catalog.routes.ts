import { StandardErrors } from '@clubos/shared/api';
import {
  AdminFacilityListSchema,
  AdminFacilitySchema,
  AdminSimulatorListSchema,
  AdminSimulatorSchema,
  CreateFacilityBodySchema,
  CreateSimulatorBodySchema,
  DeletedResponseSchema,
  FacilityFilterQuerySchema,
  IdParamsSchema,
  SimulatorUpdateResponseSchema,
  UpdateFacilityBodySchema,
  UpdateSimulatorBodySchema,
} from '@clubos/shared/api/admin.schemas';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, requireRole } from '../auth/index.js';
import { createIdempotently, IdempotencyHeaders } from './idempotent-create.js';

const tags = ['admin'];
const staffOrAdmin = requireRole('staff', 'admin');
const adminOnly = requireRole('admin');
const errors = { ...StandardErrors, 409: StandardErrors[400] };

/** Facilities and bays (the seed's simulators). */
export const adminCatalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.services.adminCatalog;

  app.get(
    '/admin/facilities',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'Facilities the caller manages',
        response: { 200: AdminFacilityListSchema, ...errors },
      },
    },
    async (request) => ({ facilities: await service.listFacilities(principalOf(request)) }),
  );

  app.get(
    '/admin/facilities/:id',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'One facility',
        params: IdParamsSchema,
        response: { 200: AdminFacilitySchema, ...errors },
      },
    },
    async (request) => service.getFacility(principalOf(request), request.params.id),
  );

  app.post(
    '/admin/facilities',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        summary: 'Admin: create a facility',
        headers: IdempotencyHeaders,
        body: CreateFacilityBodySchema,
        response: { 201: AdminFacilitySchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) => service.createFacility(request.body, recorder)),
  );

  app.patch(
    '/admin/facilities/:id',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'Update a facility (name, address, timezone, settings such as cancellation_policy)',
        params: IdParamsSchema,
        body: UpdateFacilityBodySchema,
        response: { 200: AdminFacilitySchema, ...errors },
      },
    },
    async (request) => service.updateFacility(principalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/admin/facilities/:id',
    {
      preHandler: adminOnly,
      schema: {
        tags,
        summary: 'Admin: delete a facility that has no bays, bookings or edge nodes',
        params: IdParamsSchema,
        response: { 200: DeletedResponseSchema, ...errors },
      },
    },
    async (request) => {
      await service.deleteFacility(request.params.id);
      return { id: request.params.id, deleted: true as const };
    },
  );

  app.get(
    '/admin/simulators',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'Bays of one facility (facility_id) or of every facility the caller manages',
        querystring: FacilityFilterQuerySchema,
        response: { 200: AdminSimulatorListSchema, ...errors },
      },
    },
    async (request) => ({
      simulators: await service.listSimulators(principalOf(request), request.query.facility_id),
    }),
  );

  app.get(
    '/admin/simulators/:id',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'One bay',
        params: IdParamsSchema,
        response: { 200: AdminSimulatorSchema, ...errors },
      },
    },
    async (request) => service.getSimulator(principalOf(request), request.params.id),
  );

  app.post(
    '/admin/simulators',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'Add a bay to a facility',
        headers: IdempotencyHeaders,
        body: CreateSimulatorBodySchema,
        response: { 201: AdminSimulatorSchema, ...errors },
      },
    },
    async (request, reply) =>
      createIdempotently(app, request, reply, (recorder) =>
        service.createSimulator(principalOf(request), request.body, recorder),
      ),
  );

  app.patch(
    '/admin/simulators/:id',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'Seed: maintenance (status, reason, maintenance_until), back to active, or edit the bay',
        description:
          'Answers with the bay and the active bookings the new state blocks (affected_bookings), so staff ' +
          'can contact those customers. Bookings are not cancelled automatically.',
        params: IdParamsSchema,
        body: UpdateSimulatorBodySchema,
        response: { 200: SimulatorUpdateResponseSchema, ...errors },
      },
    },
    async (request) => service.updateSimulator(principalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/admin/simulators/:id',
    {
      preHandler: staffOrAdmin,
      schema: {
        tags,
        summary: 'Retire a bay (status inactive): its bookings stay as history',
        params: IdParamsSchema,
        response: { 200: SimulatorUpdateResponseSchema, ...errors },
      },
    },
    async (request) => service.retireSimulator(principalOf(request), request.params.id),
  );
};
