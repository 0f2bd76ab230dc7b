import { randomUUID } from 'node:crypto';
import { DomainError } from '@clubos/shared/errors';
import type { EdgeDatabase } from '../db/database.js';
import {
  activeKioskByKeyHash,
  deleteExpiredSessions,
  deleteSession,
  insertKiosk,
  insertSession,
  insertStaff,
  revokeKiosk,
  staffBySession,
  staffByUsername,
  staffCount,
} from './auth.repository.js';
import { hashPassword, newToken, tokenHash, verifyPassword } from './secret-hash.js';

export type Principal =
  | { kind: 'staff'; id: string; username: string; role: string }
  | { kind: 'kiosk'; id: string; name: string };

/**
 * Who is calling the LAN API: staff with a session token from `login` (`Authorization: Bearer …`),
 * or a kiosk with its own device key (`Authorization: Device …`), each revocable on its own.
 */
export class AuthService {
  constructor(
    private readonly database: EdgeDatabase,
    private readonly sessionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates the first staff account from configuration; does nothing once any staff user exists. */
  async bootstrapStaff(username: string, password: string): Promise<boolean> {
    if (staffCount(this.database.db) > 0) return false;
    await this.createStaff(username, password, 'manager');
    return true;
  }

  async createStaff(username: string, password: string, role: 'manager' | 'staff'): Promise<string> {
    const id = randomUUID();
    const password_hash = await hashPassword(password);
    insertStaff(this.database.db, {
      id,
      username,
      display_name: username,
      role,
      password_hash,
      created_at: this.now(),
    });
    return id;
  }

  async login(username: string, password: string): Promise<{ token: string; expires_at: number }> {
    const user = staffByUsername(this.database.db, username);
    // Same answer for an unknown user and a wrong password: the LAN is not a place to enumerate staff.
    const ok = user !== undefined && !user.disabled && (await verifyPassword(password, user.password_hash));
    if (!ok || user === undefined)
      throw new DomainError('UNAUTHORIZED', 'unknown username or wrong password');
    const token = newToken();
    const now = this.now();
    const expires_at = now + this.sessionMs;
    this.database.immediate(() => {
      deleteExpiredSessions(this.database.db, now);
      insertSession(this.database.db, {
        token_hash: tokenHash(token),
        staff_id: user.id,
        created_at: now,
        expires_at,
      });
    });
    return { token, expires_at };
  }

  logout(token: string): void {
    deleteSession(this.database.db, tokenHash(token));
  }

  /** Returns the caller, or null when the header is missing or names no valid session or key. */
  authenticate(authorization: string | undefined): Principal | null {
    if (authorization === undefined) return null;
    const [scheme, value] = authorization.split(' ', 2);
    if (value === undefined || value === '') return null;
    if (scheme === 'Bearer') {
      const user = staffBySession(this.database.db, tokenHash(value), this.now());
      return user === undefined
        ? null
        : { kind: 'staff', id: user.id, username: user.username, role: user.role };
    }
    if (scheme === 'Device') {
      const kiosk = activeKioskByKeyHash(this.database.db, tokenHash(value));
      return kiosk === undefined ? null : { kind: 'kiosk', id: kiosk.id, name: kiosk.name };
    }
    return null;
  }

  /** A new kiosk and its key; the key is shown once, only its hash is kept. */
  createKiosk(name: string): { id: string; key: string } {
    const id = randomUUID();
    const key = newToken();
    insertKiosk(this.database.db, { id, name, key_hash: tokenHash(key), created_at: this.now() });
    return { id, key };
  }

  revokeKiosk(id: string): void {
    if (!revokeKiosk(this.database.db, id, this.now())) {
      throw new DomainError('NOT_FOUND', `kiosk ${id} does not exist or is already revoked`, {
        field: 'id',
        extra: { kiosk_id: id },
      });
    }
  }
}
