import { DomainError } from '@clubos/shared/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthRepository } from './auth.repository.js';
import type { Principal, UserPrincipal, UserRole } from './principal.js';
import { type AccessTokenClaims, sha256Hex, type TokenService } from './token.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null for anonymous requests. */
    principal: Principal | null;
    /** The caller's account must choose a new password before using the rest of the API. */
    passwordChangeRequired: boolean;
  }
}

/** The routes a user who must change their password may still call (method + route pattern). */
const PASSWORD_CHANGE_EXEMPT = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/password',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
]);

export const PASSWORD_CHANGE_MESSAGE =
  'Choose a new password before using the API: POST /api/v1/auth/password with ' +
  'current_password and new_password (then use the tokens it returns)';

function exempt(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  if (url === undefined || !url.startsWith('/api/')) return !request.url.startsWith('/api/');
  return PASSWORD_CHANGE_EXEMPT.has(`${request.method} ${url}`);
}

/**
 * Reads `Authorization` on every request: `Bearer <jwt>` for users, `Edge <key>` for an edge node
 * (role `system`). A present but bad credential is a 401 even on public routes, so a client
 * never silently acts as anonymous. The token only proves who the caller is: rights and token
 * generation are read on every request, so an admin's change or a password change applies to the
 * next request, not at token expiry (cloud/src/auth/README.md; docs/performance.md, "Rights read
 * per request").
 */
export const authPlugin = fp<{ tokens: TokenService; repo: AuthRepository }>(
  async (app: FastifyInstance, opts) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('passwordChangeRequired', false);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (!header) return;
      const [scheme, value] = header.split(' ', 2);
      if (!value)
        throw new DomainError(
          'INVALID_TOKEN',
          'Authorization header must be "Bearer <token>" or "Edge <key>"',
        );
      if (scheme?.toLowerCase() === 'bearer') {
        const principal = await currentPrincipal(opts.repo, opts.tokens.readAccessClaims(value));
        request.principal = principal.user;
        request.passwordChangeRequired = principal.mustChangePassword;
        if (principal.mustChangePassword && !exempt(request)) {
          throw new DomainError('PASSWORD_CHANGE_REQUIRED', PASSWORD_CHANGE_MESSAGE);
        }
        return;
      }
      if (scheme?.toLowerCase() === 'edge') {
        const edge = await opts.repo.findActiveEdgeByKeyHash(sha256Hex(value));
        if (!edge) throw new DomainError('INVALID_TOKEN', 'Edge key is unknown or revoked');
        request.principal = { kind: 'edge', role: 'system', edgeId: edge.id, facilityId: edge.facilityId };
        return;
      }
      throw new DomainError('INVALID_TOKEN', `Unsupported authorization scheme ${scheme}`);
    });
  },
);

export const TOKEN_REVOKED_MESSAGE =
  'This access token was issued before the password of the account was changed (or before it ' +
  'was deactivated) and no longer works: sign in again';

/**
 * The token's user with the rights the account has now; 401 once it is deactivated or gone, or
 * once the token's generation is behind the account's (a password change since it was issued).
 */
async function currentPrincipal(
  repo: AuthRepository,
  claimed: AccessTokenClaims,
): Promise<{ user: UserPrincipal; mustChangePassword: boolean }> {
  const rights = await repo.rightsOf(claimed.user.userId);
  if (!rights) throw new DomainError('INVALID_TOKEN', 'This account no longer exists');
  if (rights.disabledAt) throw new DomainError('INVALID_TOKEN', 'This account is deactivated');
  if (claimed.generation !== rights.tokenGeneration) {
    throw new DomainError('TOKEN_REVOKED', TOKEN_REVOKED_MESSAGE);
  }
  const role = rights.role as UserRole;
  return {
    user: {
      kind: 'user',
      role,
      userId: claimed.user.userId,
      email: rights.email,
      customerId: rights.customerId,
      facilityIds: role === 'staff' ? rights.facilityIds : [],
    },
    mustChangePassword: rights.mustChangePassword,
  };
}
