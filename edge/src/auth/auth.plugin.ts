import { DomainError } from '@clubos/shared/errors';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthService, Principal } from './auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Resolves the caller on every request; routes then say who may call them with `allow(...)`. */
export const authPlugin = fp<{ auth: AuthService }>(
  async (app, { auth }) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      request.principal = auth.authenticate(request.headers.authorization);
    });
  },
  { name: 'edge-auth' },
);

type Who = 'kiosk' | 'staff' | 'manager';

/** A preHandler admitting the listed kinds of caller (a manager is also staff). */
export function allow(...who: Who[]): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const p = request.principal;
    if (p === null) {
      throw new DomainError('UNAUTHORIZED', "sign in (staff) or present this kiosk's device key");
    }
    const ok =
      (p.kind === 'kiosk' && who.includes('kiosk')) ||
      (p.kind === 'staff' && (who.includes('staff') || (who.includes('manager') && p.role === 'manager')));
    if (!ok)
      throw new DomainError(
        'FORBIDDEN',
        `${p.kind === 'kiosk' ? 'a kiosk' : `staff role ${p.role}`} may not do this`,
      );
  };
}

export function actorOf(request: FastifyRequest): string {
  const p = request.principal;
  if (p === null) return 'anonymous';
  return p.kind === 'kiosk' ? `kiosk:${p.id}` : `staff:${p.username}`;
}
