import {
  AuthUserSchema,
  ChangePasswordBodySchema,
  CreateUserBodySchema,
  LoginBodySchema,
  ManagedUserSchema,
  OkResponseSchema,
  RefreshBodySchema,
  RegisterBodySchema,
  StandardErrors,
  TokenResponseSchema,
  UpdateUserBodySchema,
  UserIdParamsSchema,
} from '@clubos/shared/api';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { perMinute } from '../common/rate-limit.js';
import { requireRole, userPrincipalOf } from './access.js';

const tags = ['auth'];

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = app.services.auth;
  const loginLimit = perMinute(app.config.rateLimit.loginPerMinute);

  app.post(
    '/auth/register',
    {
      config: loginLimit,
      schema: {
        tags,
        summary: 'Create a customer account (bookings made as a guest are added later by a claim)',
        body: RegisterBodySchema,
        response: { 201: TokenResponseSchema, ...StandardErrors, 409: StandardErrors[400] },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const tokens = await auth.registerCustomer({
        email: body.email,
        password: body.password,
        firstName: body.first_name ?? null,
        lastName: body.last_name ?? null,
        phone: body.phone ?? null,
      });
      return reply.status(201).send(tokens);
    },
  );

  app.post(
    '/auth/login',
    {
      config: loginLimit,
      schema: {
        tags,
        summary: 'Log in with email and password',
        body: LoginBodySchema,
        response: { 200: TokenResponseSchema, ...StandardErrors },
      },
    },
    async (request) => auth.login(request.body.email, request.body.password),
  );

  app.post(
    '/auth/refresh',
    {
      config: loginLimit,
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new pair (the old one stops working)',
        body: RefreshBodySchema,
        response: { 200: TokenResponseSchema, ...StandardErrors },
      },
    },
    async (request) => auth.refresh(request.body.refresh_token),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'Revoke a refresh token and its family',
        body: RefreshBodySchema,
        response: { 200: OkResponseSchema, ...StandardErrors },
      },
    },
    async (request) => {
      await auth.logout(request.body.refresh_token);
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      preHandler: requireRole('customer', 'staff', 'admin'),
      schema: { tags, summary: 'The logged-in user', response: { 200: AuthUserSchema, ...StandardErrors } },
    },
    async (request) => {
      const p = userPrincipalOf(request);
      return {
        id: p.userId,
        email: p.email,
        role: p.role,
        customer_id: p.customerId,
        facility_ids: p.facilityIds,
        must_change_password: request.passwordChangeRequired,
      };
    },
  );

  app.post(
    '/auth/password',
    {
      preHandler: requireRole('customer', 'staff', 'admin'),
      schema: {
        tags,
        summary:
          'Change one’s own password (also clears “must change password”); signs out every other ' +
          'session and returns a fresh token pair',
        body: ChangePasswordBodySchema,
        response: { 200: TokenResponseSchema, ...StandardErrors },
      },
    },
    async (request) =>
      auth.changePassword(userPrincipalOf(request), request.body.current_password, request.body.new_password),
  );

  app.post(
    '/auth/users',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags,
        summary: 'Admin: create a customer, staff (with facility_ids) or admin account',
        body: CreateUserBodySchema,
        response: { 201: AuthUserSchema, ...StandardErrors, 409: StandardErrors[400] },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const user = await auth.createUser({
        email: body.email,
        password: body.password,
        role: body.role,
        facilityIds: body.facility_ids ?? [],
        mustChangePassword: body.must_change_password ?? false,
      });
      const p = await auth.principalOf(user);
      return reply.status(201).send({
        id: p.userId,
        email: p.email,
        role: p.role,
        customer_id: p.customerId,
        facility_ids: p.facilityIds,
        must_change_password: user.mustChangePassword,
      });
    },
  );

  app.patch(
    '/auth/users/:id',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags,
        summary:
          'Admin: change a staff/admin account’s role, facilities (replaced) or `active`; applies to ' +
          'that user’s next request',
        params: UserIdParamsSchema,
        body: UpdateUserBodySchema,
        response: { 200: ManagedUserSchema, ...StandardErrors },
      },
    },
    async (request) => auth.users.update(userPrincipalOf(request), request.params.id, request.body),
  );
};
