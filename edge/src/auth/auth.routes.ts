import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { allow } from './auth.plugin.js';
import type { AuthService } from './auth.service.js';

const Login = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
const Session = Type.Object({ token: Type.String(), expires_at: Type.String() });
const NewKiosk = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const KioskKey = Type.Object({ id: Type.String(), key: Type.String() });

/** Staff sign-in and per-kiosk device keys (a manager issues and revokes them). */
export const authRoutes: FastifyPluginAsync<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/auth/login', { schema: { body: Login, response: { 200: Session } } }, async (request) => {
    const { username, password } = request.body as { username: string; password: string };
    const session = await auth.login(username, password);
    return { token: session.token, expires_at: new Date(session.expires_at).toISOString() };
  });

  app.post('/auth/logout', { preHandler: allow('staff') }, async (request, reply) => {
    auth.logout((request.headers.authorization ?? '').slice('Bearer '.length));
    return reply.code(204).send();
  });

  app.post(
    '/kiosks',
    { preHandler: allow('manager'), schema: { body: NewKiosk, response: { 201: KioskKey } } },
    async (request, reply) => reply.code(201).send(auth.createKiosk((request.body as { name: string }).name)),
  );

  app.delete(
    '/kiosks/:id',
    {
      preHandler: allow('manager'),
      schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    },
    async (request, reply) => {
      auth.revokeKiosk((request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
};
