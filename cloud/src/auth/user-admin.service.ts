import type { ManagedUser, UpdateUserBody } from '@clubos/shared/api';
import { badRequest, DomainError, notFound } from '@clubos/shared/errors';
import type { Database } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { AuthRepository } from './auth.repository.js';
import type { UserPrincipal, UserRole } from './principal.js';

/**
 * Admin changes to a staff or admin account: role, facilities, deactivation. Rights are read per
 * request (auth.plugin.ts), so a change applies to the user's very next request, whatever access
 * token they still hold; deactivation also revokes their refresh tokens and retires their access
 * tokens (a reactivated account signs in again).
 */
export class UserAdminService {
  constructor(
    private readonly db: Database,
    private readonly repo: AuthRepository,
  ) {}

  async update(admin: UserPrincipal, userId: string, body: UpdateUserBody): Promise<ManagedUser> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw notFound('user', userId);
    if (user.role === 'customer') {
      if (body.role !== undefined)
        throw badRequest('role', 'a customer account cannot be given staff rights');
      if (body.facility_ids !== undefined)
        throw badRequest('facility_ids', 'a customer account has no facilities');
    }
    // An admin who demotes or deactivates themselves could leave the venue without any admin.
    if (user.id === admin.userId) {
      if (body.role !== undefined && body.role !== user.role)
        throw badRequest('role', 'you cannot change your own role; ask another admin');
      if (body.active === false) throw badRequest('active', 'you cannot deactivate your own account');
    }
    const role = (body.role ?? user.role) as UserRole;
    let facilityIds: string[] | undefined = body.facility_ids ? [...new Set(body.facility_ids)] : undefined;
    if (role === 'staff') {
      const kept = facilityIds ?? (user.role === 'staff' ? await this.repo.facilityIdsOf(user.id) : []);
      if (kept.length === 0) throw badRequest('facility_ids', 'a staff account needs at least one facility');
    } else if (role === 'admin') {
      if (facilityIds && facilityIds.length > 0)
        throw badRequest('facility_ids', 'an admin sees every facility; facility_ids is only for staff');
      if (user.role === 'staff') facilityIds = [];
    }
    const disabledAt =
      body.active === undefined ? undefined : body.active ? null : (user.disabledAt ?? new Date());
    try {
      await this.db.transaction(async (tx) => {
        await this.repo.updateUser(
          user.id,
          {
            ...(body.role !== undefined ? { role } : {}),
            ...(disabledAt !== undefined ? { disabledAt } : {}),
          },
          tx,
        );
        if (facilityIds !== undefined) await this.repo.replaceFacilities(user.id, facilityIds, tx);
        if (body.active === false) {
          await this.repo.revokeUserRefreshTokens(user.id, tx);
          // Reactivating the account must not bring back the access tokens it held before.
          await this.repo.retireAccessTokens(user.id, tx);
        }
      });
    } catch (error) {
      if (sqlState(error) === SQLSTATE.foreignKeyViolation) {
        throw new DomainError('VALIDATION_FAILED', 'facility_ids names a facility that does not exist', {
          field: 'facility_ids',
        });
      }
      throw error;
    }
    const rights = (await this.repo.rightsOf(user.id))!;
    return {
      id: user.id,
      email: rights.email,
      role: rights.role as UserRole,
      customer_id: rights.customerId,
      facility_ids: rights.role === 'staff' ? rights.facilityIds : [],
      active: rights.disabledAt === null,
      must_change_password: rights.mustChangePassword,
    };
  }
}
