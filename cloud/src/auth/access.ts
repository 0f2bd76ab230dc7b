import { DomainError, forbidden, unauthorized } from '@clubos/shared/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EdgePrincipal, Principal, Role, UserPrincipal } from './principal.js';

/**
 * Access checks, used by every feature. Routes gate by role with `requireRole` (a preHandler);
 * services check ownership with `assertFacilityAccess` / `assertCustomerAccess`.
 *
 *   app.get('/api/v1/x', { preHandler: requireRole('staff', 'admin') }, handler)
 *   const p = principalOf(request);   // 401 when anonymous
 */
export function requireRole(...roles: Role[]) {
  return async function roleGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const principal = request.principal;
    if (!principal) throw unauthorized();
    if (!roles.includes(principal.role)) {
      throw forbidden(`This action needs the role ${roles.join(' or ')}; you are ${principal.role}`);
    }
  };
}

/** The caller, or 401. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

export function userPrincipalOf(request: FastifyRequest): UserPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw forbidden('This action needs a user account');
  return principal;
}

export function edgePrincipalOf(request: FastifyRequest): EdgePrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'edge') throw forbidden('This action is for edge nodes (Authorization: Edge <key>)');
  return principal;
}

/** Admins see every facility; staff and edges only their own; customers none (as staff). */
export function canManageFacility(principal: Principal | null, facilityId: string): boolean {
  if (!principal) return false;
  if (principal.kind === 'edge') return principal.facilityId === facilityId;
  if (principal.role === 'admin') return true;
  return principal.role === 'staff' && principal.facilityIds.includes(facilityId);
}

export function assertFacilityAccess(principal: Principal | null, facilityId: string): void {
  if (!principal) throw unauthorized();
  if (!canManageFacility(principal, facilityId))
    throw forbidden(`You may not act for facility ${facilityId}`);
}

/**
 * A customer sees only their own record; staff see customers who booked at their facilities
 * (`facilityIdsOfCustomer`), admins everyone.
 */
export function canAccessCustomer(
  principal: Principal | null,
  customerId: string,
  facilityIdsOfCustomer: readonly string[] = [],
): boolean {
  if (!principal) return false;
  if (principal.kind === 'edge') return facilityIdsOfCustomer.includes(principal.facilityId);
  if (principal.role === 'admin') return true;
  if (principal.role === 'customer') return principal.customerId === customerId;
  return facilityIdsOfCustomer.some((id) => principal.facilityIds.includes(id));
}

export function assertCustomerAccess(
  principal: Principal | null,
  customerId: string,
  facilityIdsOfCustomer: readonly string[] = [],
): void {
  if (!principal) throw unauthorized();
  if (!canAccessCustomer(principal, customerId, facilityIdsOfCustomer)) {
    // 404 rather than 403 for customers, so ids of other people's records are not confirmed.
    if (principal.kind === 'user' && principal.role === 'customer') {
      throw new DomainError('NOT_FOUND', `customer ${customerId} was not found`);
    }
    throw forbidden(`You may not access customer ${customerId}`);
  }
}
