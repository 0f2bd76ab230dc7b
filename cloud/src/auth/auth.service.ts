import { randomBytes, randomUUID } from 'node:crypto';
import { checkContact } from '@clubos/shared/contact';
import { DomainError, forbidden } from '@clubos/shared/errors';
import { detachedGuestEmail } from '../customers/guest-email.js';
import type { Database, Executor } from '../db/client.js';
import { SQLSTATE, sqlState } from '../db/errors.js';
import type { AuthRepository, UserRow } from './auth.repository.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import type { Principal, UserPrincipal, UserRole } from './principal.js';
import { sha256Hex, type TokenService } from './token.service.js';
import type { UserAdminService } from './user-admin.service.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: {
    id: string;
    email: string;
    role: UserRole;
    customer_id: string | null;
    facility_ids: string[];
    must_change_password: boolean;
  };
}

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  facilityIds?: string[];
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  /** A generated one-time password must be replaced at first login. */
  mustChangePassword?: boolean;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly repo: AuthRepository,
    private readonly tokens: TokenService,
    private readonly refreshTtlSeconds: number,
    /** Admin changes to staff and admin accounts (role, facilities, deactivation). */
    readonly users: UserAdminService,
    /** How a phone without +country is read (`PHONE_DEFAULT_REGION`). */
    private readonly phoneRegion = 'US',
  ) {}

  /** Self-service sign-up: always a customer account, with a customer record of its own. */
  async registerCustomer(input: Omit<NewUser, 'role' | 'facilityIds'>): Promise<TokenPair> {
    // A bad phone is refused (400 naming `phone`) before the account exists; a good one is stored E.164.
    const { phone } = checkContact({ phone: input.phone }, { region: this.phoneRegion });
    const user = await this.createUser({ ...input, phone, role: 'customer' });
    return this.issue(user, randomUUID());
  }

  /** Creates any account; staff and admin accounts are created by an admin (see the route). */
  async createUser(input: NewUser): Promise<UserRow> {
    const email = normaliseEmail(input.email);
    if (input.role === 'staff' && (input.facilityIds?.length ?? 0) === 0) {
      throw new DomainError('VALIDATION_FAILED', 'A staff account needs at least one facility', {
        field: 'facility_ids',
      });
    }
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (tx) => {
        const customerId = input.role === 'customer' ? await this.newCustomerRecord(input, email, tx) : null;
        const user = await this.repo.insertUser(
          {
            email,
            passwordHash,
            role: input.role,
            customerId,
            mustChangePassword: input.mustChangePassword ?? false,
          },
          tx,
        );
        if (input.role === 'staff') await this.repo.assignFacilities(user.id, input.facilityIds ?? [], tx);
        return user;
      });
    } catch (error) {
      if (sqlState(error) === SQLSTATE.uniqueViolation) {
        throw new DomainError('EMAIL_TAKEN', `An account for ${email} already exists`, { field: 'email' });
      }
      if (sqlState(error) === SQLSTATE.foreignKeyViolation) {
        throw new DomainError('VALIDATION_FAILED', 'facility_ids names a facility that does not exist', {
          field: 'facility_ids',
        });
      }
      throw error;
    }
  }

  /**
   * A customer account always starts with a record of its own. Signing up proves nothing about
   * the email, so an earlier guest record with the same email is not attached: it gives up the
   * email and keeps its bookings until their booker claims them with code and PIN
   * (`POST /customers/me/claim`).
   */
  private async newCustomerRecord(
    input: Omit<NewUser, 'role'>,
    email: string,
    tx: Executor,
  ): Promise<string> {
    const existing = await this.repo.lockCustomerByEmail(email, tx);
    if (existing?.hasAccount) {
      throw new DomainError('EMAIL_TAKEN', `An account for ${email} already exists`, { field: 'email' });
    }
    if (existing) await this.repo.rekeyCustomer(existing.id, detachedGuestEmail(existing.id, email), tx);
    return this.repo.insertCustomer(
      {
        email,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        phone: input.phone ?? null,
      },
      tx,
    );
  }

  async login(emailInput: string, password: string): Promise<TokenPair> {
    const email = normaliseEmail(emailInput);
    const user = await this.repo.findUserByEmail(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || user.disabledAt) {
      throw new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');
    }
    return this.issue(user, randomUUID());
  }

  /**
   * Rotation: each refresh token works once. Presenting one that was already used means it was
   * copied, so the whole family is revoked and the caller must log in again.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = sha256Hex(refreshToken);
    const row = await this.repo.consumeRefreshToken(hash);
    if (!row) {
      const known = await this.repo.findRefreshToken(hash);
      if (known) await this.repo.revokeFamily(known.familyId);
      throw new DomainError('INVALID_TOKEN', 'Refresh token is invalid or was already used');
    }
    if (row.expiresAt.getTime() <= Date.now())
      throw new DomainError('INVALID_TOKEN', 'Refresh token has expired');
    const user = await this.repo.findUserById(row.userId);
    if (!user || user.disabledAt) throw new DomainError('INVALID_TOKEN', 'Account is disabled');
    return this.issue(user, row.familyId);
  }

  async logout(refreshToken: string): Promise<void> {
    const known = await this.repo.findRefreshToken(sha256Hex(refreshToken));
    if (known) await this.repo.revokeFamily(known.familyId);
  }

  /**
   * Replaces the password (same strength rules as sign-up, and it must differ from the current
   * one, so a must-change flag cannot be cleared by "changing" to the same password). Every
   * refresh token of the account is revoked and every access token issued before is retired (the
   * token generation moves on), so other sessions must log in again; the caller gets a fresh pair.
   */
  async changePassword(principal: Principal, current: string, next: string): Promise<TokenPair> {
    if (principal.kind !== 'user') throw forbidden('Only user accounts have passwords');
    const user = await this.repo.findUserById(principal.userId);
    if (!user || !(await verifyPassword(user.passwordHash, current))) {
      throw new DomainError('INVALID_CREDENTIALS', 'Current password is incorrect', {
        field: 'current_password',
      });
    }
    if (next === current) {
      throw new DomainError('VALIDATION_FAILED', 'The new password must differ from the current one', {
        field: 'new_password',
      });
    }
    const passwordHash = await hashPassword(next);
    const tokenGeneration = await this.db.transaction(async (tx) => {
      const generation = await this.repo.updatePassword(user.id, passwordHash, tx);
      await this.repo.revokeUserRefreshTokens(user.id, tx);
      return generation;
    });
    return this.issue({ ...user, passwordHash, mustChangePassword: false, tokenGeneration }, randomUUID());
  }

  /**
   * First start: with no admin account, create one from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
   * random one-time password that the caller prints once (the account must change it).
   */
  async bootstrapAdmin(
    email: string,
    password: string | undefined,
  ): Promise<{ email: string; password?: string } | null> {
    if ((await this.repo.countAdmins()) > 0) return null;
    const generated = password ?? randomBytes(12).toString('base64url');
    let user: UserRow;
    try {
      user = await this.createUser({
        email,
        password: generated,
        role: 'admin',
        mustChangePassword: !password,
      });
    } catch (error) {
      // Several instances starting together: another one created the admin first.
      if (error instanceof DomainError && error.code === 'EMAIL_TAKEN' && (await this.repo.countAdmins()) > 0)
        return null;
      throw error;
    }
    return password ? { email: user.email } : { email: user.email, password: generated };
  }

  async principalOf(user: UserRow): Promise<UserPrincipal> {
    return {
      kind: 'user',
      role: user.role as UserRole,
      userId: user.id,
      email: user.email,
      customerId: user.customerId,
      facilityIds: user.role === 'staff' ? await this.repo.facilityIdsOf(user.id) : [],
    };
  }

  private async issue(user: UserRow, familyId: string): Promise<TokenPair> {
    const principal = await this.principalOf(user);
    const refresh = this.tokens.newOpaqueToken();
    await this.repo.insertRefreshToken({
      userId: user.id,
      familyId,
      tokenHash: refresh.hash,
      expiresAt: new Date(Date.now() + this.refreshTtlSeconds * 1000),
    });
    return {
      access_token: this.tokens.issueAccessToken(principal, user.tokenGeneration),
      refresh_token: refresh.token,
      token_type: 'Bearer',
      expires_in: this.tokens.accessTtlSeconds,
      user: {
        id: user.id,
        email: user.email,
        role: principal.role,
        customer_id: principal.customerId,
        facility_ids: principal.facilityIds,
        must_change_password: user.mustChangePassword,
      },
    };
  }
}
