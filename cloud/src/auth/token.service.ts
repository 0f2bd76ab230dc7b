import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '@clubos/shared/errors';
import { createSigner, createVerifier } from 'fast-jwt';
import type { UserPrincipal, UserRole } from './principal.js';

interface AccessClaims {
  sub: string;
  role: UserRole;
  email: string;
  cid: string | null;
  fac: string[];
  /** The account's token generation at issue (`users.token_generation`); absent in older tokens = 0. */
  gen?: number;
  typ: 'access';
}

/** What a verified access token says: who, and under which token generation of the account. */
export interface AccessTokenClaims {
  user: UserPrincipal;
  generation: number;
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Short-lived HS256 access tokens carry the principal as it was at issue; the server trusts only
 * their subject and reads current rights per request (auth.plugin.ts, README.md). Refresh tokens
 * are opaque random strings stored only as SHA-256 hashes.
 */
export class TokenService {
  private readonly sign: (payload: AccessClaims) => string;
  private readonly verify: (token: string) => AccessClaims;

  constructor(
    secret: string,
    readonly accessTtlSeconds: number,
  ) {
    this.sign = createSigner({
      key: secret,
      algorithm: 'HS256',
      expiresIn: accessTtlSeconds * 1000,
      iss: 'clubos-cloud',
    }) as (payload: AccessClaims) => string;
    this.verify = createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: 'clubos-cloud' }) as (
      token: string,
    ) => AccessClaims;
  }

  /** `generation`: the account's current `token_generation`, so a later bump retires the token. */
  issueAccessToken(user: UserPrincipal, generation: number): string {
    return this.sign({
      sub: user.userId,
      role: user.role,
      email: user.email,
      cid: user.customerId,
      fac: user.facilityIds,
      gen: generation,
      typ: 'access',
    });
  }

  readAccessToken(token: string): UserPrincipal {
    return this.readAccessClaims(token).user;
  }

  readAccessClaims(token: string): AccessTokenClaims {
    let claims: AccessClaims;
    try {
      claims = this.verify(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      throw new DomainError(
        'INVALID_TOKEN',
        expired ? 'Access token has expired' : 'Access token is invalid',
      );
    }
    if (claims.typ !== 'access') throw new DomainError('INVALID_TOKEN', 'Access token is invalid');
    return {
      user: {
        kind: 'user',
        role: claims.role,
        userId: claims.sub,
        email: claims.email,
        customerId: claims.cid,
        facilityIds: claims.fac ?? [],
      },
      generation: typeof claims.gen === 'number' ? claims.gen : 0,
    };
  }

  newOpaqueToken(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: sha256Hex(token) };
  }
}
