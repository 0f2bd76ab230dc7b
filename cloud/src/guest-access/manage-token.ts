import { DomainError } from '@clubos/shared/errors';
import { createSigner, createVerifier } from 'fast-jwt';

/** Long enough to look, decide and cancel or move; short enough that a forgotten tab is harmless. */
export const MANAGE_TOKEN_TTL_SECONDS = 15 * 60;

interface ManageClaims {
  /** The one booking this token may read and change. */
  bid: string;
  typ: 'manage';
}

const AUDIENCE = 'booking-manage';
const ISSUER = 'clubos-cloud';

/**
 * The guest's proof of having looked a booking up with its code (and email or PIN): an HS256
 * token scoped to one booking. Its own `typ` and audience keep it apart from access tokens signed
 * with the same secret: neither is accepted where the other is expected.
 */
export class ManageTokens {
  private readonly verifier: (token: string) => ManageClaims;

  constructor(
    private readonly secret: string,
    readonly ttlSeconds: number = MANAGE_TOKEN_TTL_SECONDS,
  ) {
    this.verifier = createVerifier({
      key: secret,
      algorithms: ['HS256'],
      allowedIss: ISSUER,
      allowedAud: AUDIENCE,
    }) as (token: string) => ManageClaims;
  }

  /** `now` is for tests that need a token issued in the past. */
  issue(bookingId: string, now: number = Date.now()): string {
    const sign = createSigner({
      key: this.secret,
      algorithm: 'HS256',
      expiresIn: this.ttlSeconds * 1000,
      iss: ISSUER,
      aud: AUDIENCE,
      clockTimestamp: now,
    }) as (payload: ManageClaims) => string;
    return sign({ bid: bookingId, typ: 'manage' });
  }

  /** The token must be genuine, unexpired and for `bookingId`. */
  assertFor(token: string, bookingId: string): void {
    let claims: ManageClaims;
    try {
      claims = this.verifier(token);
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      throw new DomainError(
        'INVALID_TOKEN',
        expired
          ? 'This manage link has expired: look the booking up again with its code'
          : 'The manage token is invalid: look the booking up again with its code',
        { field: 'x-manage-token' },
      );
    }
    if (claims.typ !== 'manage') {
      throw new DomainError('INVALID_TOKEN', 'The manage token is invalid', { field: 'x-manage-token' });
    }
    if (claims.bid !== bookingId) {
      throw new DomainError('FORBIDDEN', 'This manage token is for another booking', {
        field: 'x-manage-token',
      });
    }
  }
}
