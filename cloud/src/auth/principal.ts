/** Who is calling. `system` is an edge node authenticated by its per-edge key. */
export type Role = 'customer' | 'staff' | 'admin' | 'system';
export type UserRole = Exclude<Role, 'system'>;

export const USER_ROLES: readonly UserRole[] = ['customer', 'staff', 'admin'];

export interface UserPrincipal {
  kind: 'user';
  role: UserRole;
  userId: string;
  email: string;
  /** The customer record of a customer account. */
  customerId: string | null;
  /** Facilities a staff member works at (empty for customers; admins see everything). */
  facilityIds: string[];
}

export interface EdgePrincipal {
  kind: 'edge';
  role: 'system';
  edgeId: string;
  facilityId: string;
}

export type Principal = UserPrincipal | EdgePrincipal;
