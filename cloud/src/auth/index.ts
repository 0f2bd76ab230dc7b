// Public surface of auth/ for other features (the routes and the plugin are wired in app.ts).
export {
  assertCustomerAccess,
  assertFacilityAccess,
  canAccessCustomer,
  canManageFacility,
  edgePrincipalOf,
  principalOf,
  requireRole,
  userPrincipalOf,
} from './access.js';
export type { EdgePrincipal, Principal, Role, UserPrincipal, UserRole } from './principal.js';
export { USER_ROLES } from './principal.js';
