import {
  KioskIdParamsSchema,
  KioskKeySchema,
  NewKioskBodySchema,
  StaffLoginBodySchema,
  StaffSessionSchema,
} from '@clubos/shared/api/edge-lan';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allow } from './auth.plugin.js';
import type { AuthService } from './auth.service.js';

/** Staff sign-in and per-kiosk device keys (a manager issues and revokes them). */
export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/auth/login',
    { schema: { body: StaffLoginBodySchema, response: { 200: StaffSessionSchema } } },
    async (request) => {
      const session = await auth.login(request.body.username, request.body.password);
      return { token: session.token, expires_at: new Date(session.expires_at).toISOString() };
    },
  );

  app.post('/auth/logout', { preHandler: allow('staff') }, async (request, reply) => {
    auth.logout((request.headers.authorization ?? '').slice('Bearer '.length));
    return reply.code(204).send();
  });

  app.post(
    '/kiosks',
    { preHandler: allow('manager'), schema: { body: NewKioskBodySchema, response: { 201: KioskKeySchema } } },
    async (request, reply) => reply.code(201).send(auth.createKiosk(request.body.name)),
  );

  app.delete(
    '/kiosks/:id',
    { preHandler: allow('manager'), schema: { params: KioskIdParamsSchema } },
    async (request, reply) => {
      auth.revokeKiosk(request.params.id);
      return reply.code(204).send();
    },
  );
};
