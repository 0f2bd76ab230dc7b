import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { customers, edgeNodes, refreshTokens, staffFacilities, users } from '../db/schema/index.js';

export type UserRow = typeof users.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type EdgeNodeRow = typeof edgeNodes.$inferSelect;

/** What a request may do, read fresh on every authenticated request (see `rightsOf`). */
export interface UserRights {
  role: string;
  email: string;
  customerId: string | null;
  disabledAt: Date | null;
  mustChangePassword: boolean;
  /** Access tokens issued under an older generation are no longer accepted. */
  tokenGeneration: number;
  facilityIds: string[];
}

/**
 * Users, staff assignments, refresh tokens and edge keys. No rules here (docs/architecture.md, feature
 * folders and layers).
 */
export class AuthRepository {
  // One round trip on the users primary key (the facilities come from the staff_facilities
  // primary key in a subquery), prepared once per connection: measured in auth/README.md.
  private readonly rightsQuery;

  constructor(private readonly db: Database) {
    this.rightsQuery = db
      .select({
        role: users.role,
        email: users.email,
        customerId: users.customerId,
        disabledAt: users.disabledAt,
        mustChangePassword: users.mustChangePassword,
        tokenGeneration: users.tokenGeneration,
        facilityIds: sql<
          string[]
        >`coalesce((select array_agg(sf.facility_id) from ${staffFacilities} sf where sf.user_id = ${users.id}), '{}')`,
      })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .limit(1)
      .prepare('auth_user_rights');
  }

  /** The account's current role, state and facilities, or undefined when it no longer exists. */
  async rightsOf(userId: string): Promise<UserRights | undefined> {
    const [row] = await this.rightsQuery.execute({ id: userId });
    return row;
  }

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email)).limit(1);
    return row;
  }

  async findUserById(id: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  }

  async countAdmins(): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.role, 'admin'));
    return Number(row?.n ?? 0);
  }

  async insertUser(values: typeof users.$inferInsert, tx: Executor = this.db): Promise<UserRow> {
    const [row] = await tx.insert(users).values(values).returning();
    return row!;
  }

  /** Sets the new password and retires every access token issued before; the new generation. */
  async updatePassword(userId: string, passwordHash: string, tx: Executor = this.db): Promise<number> {
    const [row] = await tx
      .update(users)
      .set({
        passwordHash,
        mustChangePassword: false,
        tokenGeneration: sql`${users.tokenGeneration} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId))
      .returning({ tokenGeneration: users.tokenGeneration });
    return row!.tokenGeneration;
  }

  /** Every access token of the user issued until now answers 401 from their next request. */
  async retireAccessTokens(userId: string, tx: Executor = this.db): Promise<void> {
    await tx
      .update(users)
      .set({ tokenGeneration: sql`${users.tokenGeneration} + 1` })
      .where(eq(users.id, userId));
  }

  async updateUser(
    userId: string,
    values: { role?: string; disabledAt?: Date | null },
    tx: Executor = this.db,
  ): Promise<void> {
    await tx
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(users.id, userId));
  }

  /** Replaces a staff member's facilities (an empty list removes them all). */
  async replaceFacilities(userId: string, facilityIds: string[], tx: Executor): Promise<void> {
    await tx.delete(staffFacilities).where(eq(staffFacilities.userId, userId));
    await this.assignFacilities(userId, facilityIds, tx);
  }

  async facilityIdsOf(userId: string, tx: Executor = this.db): Promise<string[]> {
    const rows = await tx
      .select({ facilityId: staffFacilities.facilityId })
      .from(staffFacilities)
      .where(eq(staffFacilities.userId, userId));
    return rows.map((r) => r.facilityId);
  }

  async assignFacilities(userId: string, facilityIds: string[], tx: Executor = this.db): Promise<void> {
    if (facilityIds.length === 0) return;
    await tx
      .insert(staffFacilities)
      .values(facilityIds.map((facilityId) => ({ userId, facilityId })))
      .onConflictDoNothing();
  }

  /**
   * The customer record holding this (normalised) email, locked, with whether a login account
   * points at it. A concurrent registration for the same email waits here.
   */
  async lockCustomerByEmail(
    email: string,
    tx: Executor,
  ): Promise<{ id: string; hasAccount: boolean } | undefined> {
    const [row] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.email, email))
      .for('update')
      .limit(1);
    if (!row) return undefined;
    const [account] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.customerId, row.id))
      .limit(1);
    return { id: row.id, hasAccount: account !== undefined };
  }

  /** Moves a guest record off its email (see customers/guest-email.ts); its bookings stay with it. */
  async rekeyCustomer(customerId: string, email: string, tx: Executor): Promise<void> {
    await tx.update(customers).set({ email, updatedAt: new Date() }).where(eq(customers.id, customerId));
  }

  async insertCustomer(
    values: { email: string; firstName?: string | null; lastName?: string | null; phone?: string | null },
    tx: Executor = this.db,
  ): Promise<string> {
    const [row] = await tx.insert(customers).values(values).returning({ id: customers.id });
    return row!.id;
  }

  async insertRefreshToken(values: typeof refreshTokens.$inferInsert, tx: Executor = this.db): Promise<void> {
    await tx.insert(refreshTokens).values(values);
  }

  /** Marks the token used, atomically: only the first of two concurrent refreshes gets the row. */
  async consumeRefreshToken(tokenHash: string, tx: Executor = this.db): Promise<RefreshTokenRow | undefined> {
    const [row] = await tx
      .update(refreshTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.usedAt),
          isNull(refreshTokens.revokedAt),
        ),
      )
      .returning();
    return row;
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await this.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash))
      .limit(1);
    return row;
  }

  async revokeFamily(familyId: string, tx: Executor = this.db): Promise<void> {
    await tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  /** Every live refresh token of the user (password change, deactivation). */
  async revokeUserRefreshTokens(userId: string, tx: Executor = this.db): Promise<void> {
    await tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
  }

  async findActiveEdgeByKeyHash(keyHash: string): Promise<EdgeNodeRow | undefined> {
    const [row] = await this.db
      .select()
      .from(edgeNodes)
      .where(and(eq(edgeNodes.keyHash, keyHash), isNull(edgeNodes.revokedAt)))
      .limit(1);
    return row;
  }
}
