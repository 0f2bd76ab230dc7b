import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../common/app-error.js';
import type { AuthRepository } from './auth.repository.js';
import type { Principal } from './principal.js';
import { sha256Hex, type TokenService } from './token.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null for anonymous requests. */
    principal: Principal | null;
  }
}

/**
 * Reads `Authorization` on every request: `Bearer <jwt>` for users, `Edge <key>` for an edge node
 * (role `system`). A present but bad credential is a 401 even on public routes, so a client
 * never silently acts as anonymous.
 */
export const authPlugin = fp<{ tokens: TokenService; repo: AuthRepository }>(
  async (app: FastifyInstance, opts) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (!header) return;
      const [scheme, value] = header.split(' ', 2);
      if (!value)
        throw new AppError('INVALID_TOKEN', 'Authorization header must be "Bearer <token>" or "Edge <key>"');
      if (scheme?.toLowerCase() === 'bearer') {
        request.principal = opts.tokens.readAccessToken(value);
        return;
      }
      if (scheme?.toLowerCase() === 'edge') {
        const edge = await opts.repo.findActiveEdgeByKeyHash(sha256Hex(value));
        if (!edge) throw new AppError('INVALID_TOKEN', 'Edge key is unknown or revoked');
        request.principal = { kind: 'edge', role: 'system', edgeId: edge.id, facilityId: edge.facilityId };
        return;
      }
      throw new AppError('INVALID_TOKEN', `Unsupported authorization scheme ${scheme}`);
    });
  },
);
