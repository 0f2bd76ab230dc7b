import { ACCESS_TOKEN_VERSION, type AccessClaims, checkClaims } from './access-claims.js';
import { type MessageSigner, signAccessToken } from './access-token.js';
import { type AccessWindowOptions, accessWindow, windowToTokenTimes } from './access-window.js';

export interface IssueAccessTokenInput {
  secretKey: Uint8Array;
  bookingId: string;
  facilityId: string;
  doors: string[];
  bayId?: string | null;
  /** Booking start and end, epoch ms. */
  start: number;
  end: number;
  window?: AccessWindowOptions;
  /** A native signer for `secretKey` (see `MessageSigner`); absent: the pure-JS one. */
  sign?: MessageSigner;
}

/** The token for one booking, valid over its access window: what the cloud puts in the QR code. */
export function issueAccessToken(input: IssueAccessTokenInput): { token: string; claims: AccessClaims } {
  const { nbf, exp } = windowToTokenTimes(accessWindow({ start: input.start, end: input.end }, input.window));
  const claims: AccessClaims = checkClaims({
    v: ACCESS_TOKEN_VERSION,
    booking_id: input.bookingId,
    facility_id: input.facilityId,
    doors: input.doors,
    bay_id: input.bayId ?? null,
    nbf,
    exp,
  });
  return { token: signAccessToken(claims, input.secretKey, input.sign), claims };
}
