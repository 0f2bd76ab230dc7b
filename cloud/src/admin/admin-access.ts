import { forbidden, unauthorized } from '@clubos/shared/errors';
import { assertFacilityAccess, type Principal } from '../auth/index.js';

/**
 * The facilities an admin-API caller may act on: `null` = all (admin), else the staff member's
 * own. With `facilityId`, that one facility after an access check (403 for someone else's).
 * The routes already refuse customers and edges (`requireRole('staff', 'admin')`).
 */
export function facilityScope(principal: Principal | null, facilityId?: string): string[] | null {
  if (!principal) throw unauthorized();
  if (facilityId) {
    assertFacilityAccess(principal, facilityId);
    return [facilityId];
  }
  if (principal.kind === 'user' && principal.role === 'admin') return null;
  if (principal.kind === 'user' && principal.role === 'staff') return principal.facilityIds;
  throw forbidden('The admin API is for staff and admins');
}

export const isAdmin = (principal: Principal | null) =>
  principal?.kind === 'user' && principal.role === 'admin';
