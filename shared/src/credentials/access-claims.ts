import { DomainInputError } from '../model/domain-input.error.js';

/**
 * What a door QR token asserts (docs/decisions/007-offline-door-credentials.md). `nbf`/`exp` are epoch
 * SECONDS, as in JWT, because they ride in the QR code where every byte counts; the token is valid for `nbf
 * <= now < exp` (RFC 7519 §4.1.4–4.1.5: at `exp` it is already expired).
 */
export interface AccessClaims {
  v: 1;
  booking_id: string;
  facility_id: string;
  /** Door ids this token opens (the `{door}` of the MQTT scan topic). */
  doors: string[];
  /** The booked bay (`simulator_id`), so a bay-side scanner can check the booking in; null if none. */
  bay_id: string | null;
  nbf: number;
  exp: number;
}

export const ACCESS_TOKEN_VERSION = 1;
export const MAX_TOKEN_DOORS = 8;
/** UTF-8 bytes of one id, as for an MQTT topic segment. */
export const MAX_TOKEN_ID_BYTES = 128;
const MAX_U32 = 0xffff_ffff;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID_RE.test(id);
}

/** UUIDs travel as 16 raw bytes and come back lower-case, so they are compared lower-case too. */
export function canonicalId(id: string): string {
  return isUuid(id) ? id.toLowerCase() : id;
}

const utf8 = new TextEncoder();

function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new DomainInputError(field, 'must be a non-empty id');
  if (utf8.encode(value).length > MAX_TOKEN_ID_BYTES) {
    throw new DomainInputError(field, `must be at most ${MAX_TOKEN_ID_BYTES} bytes`);
  }
  return canonicalId(value);
}

function checkSeconds(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_U32) {
    throw new DomainInputError(field, 'must be whole epoch seconds between 1970 and 2106');
  }
  return value;
}

/** Validates claims before signing; returns them with ids in canonical form. */
export function checkClaims(claims: AccessClaims): AccessClaims {
  if (claims.v !== ACCESS_TOKEN_VERSION) throw new DomainInputError('v', `must be ${ACCESS_TOKEN_VERSION}`);
  const nbf = checkSeconds(claims.nbf, 'nbf');
  const exp = checkSeconds(claims.exp, 'exp');
  if (exp <= nbf) throw new DomainInputError('exp', 'must be after nbf');
  if (!Array.isArray(claims.doors) || claims.doors.length === 0 || claims.doors.length > MAX_TOKEN_DOORS) {
    throw new DomainInputError('doors', `must list 1 to ${MAX_TOKEN_DOORS} door ids`);
  }
  const doors = claims.doors.map((d, i) => checkId(d, `doors[${i}]`));
  if (new Set(doors).size !== doors.length) throw new DomainInputError('doors', 'must not repeat a door');
  return {
    v: ACCESS_TOKEN_VERSION,
    booking_id: checkId(claims.booking_id, 'booking_id'),
    facility_id: checkId(claims.facility_id, 'facility_id'),
    doors,
    bay_id: claims.bay_id === null ? null : checkId(claims.bay_id, 'bay_id'),
    nbf,
    exp,
  };
}
