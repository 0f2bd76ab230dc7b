import { createPrivateKey, sign } from 'node:crypto';
import {
  accessWindow,
  generateBookingCode,
  generatePin,
  issueAccessToken,
  type MessageSigner,
  parseKey,
  publicKeyFromSecretKey,
  verifyAccessToken,
} from '@clubos/shared/credentials';
import type { Facility } from '@clubos/shared/model';

export interface IssuedCredentials {
  qrToken: string;
  validFrom: Date;
  validUntil: Date;
}

/**
 * Door credentials (docs/decisions/007-offline-door-credentials.md): the Ed25519-signed QR token, verifiable
 * offline by the edge, and the six-digit PIN provisioned to UniFi Access. The doors a booking opens are the
 * facility's entrance doors (`settings.entrance_door_ids`, default `main`) plus the bay's door.
 */
export class CredentialIssuer {
  private readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;

  /** OpenSSL's Ed25519 (deterministic: the same signature as the pure-JS one, far faster). */
  private readonly sign: MessageSigner;

  constructor(signingKeyHex: string) {
    this.secretKey = parseKey(signingKeyHex, 'ACCESS_SIGNING_KEY');
    this.publicKey = publicKeyFromSecretKey(this.secretKey);
    const key = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(this.secretKey).toString('base64url'),
        x: Buffer.from(this.publicKey).toString('base64url'),
      },
      format: 'jwk',
    });
    this.sign = (message) => new Uint8Array(sign(null, message, key));
  }

  doorsFor(facility: Facility, bayDoorId: string | null): string[] {
    const configured = facility.settings.entrance_door_ids;
    const entrances = Array.isArray(configured)
      ? configured.filter((d): d is string => typeof d === 'string' && d.length > 0)
      : ['main'];
    const doors = [...entrances, ...(bayDoorId ? [bayDoorId] : [])];
    return [...new Set(doors)].slice(0, 8);
  }

  issue(input: {
    bookingId: string;
    facilityId: string;
    simulatorId: string;
    doors: string[];
    start: number;
    end: number;
  }): IssuedCredentials {
    const { token } = issueAccessToken({
      secretKey: this.secretKey,
      bookingId: input.bookingId,
      facilityId: input.facilityId,
      doors: input.doors,
      bayId: input.simulatorId,
      start: input.start,
      end: input.end,
      sign: this.sign,
    });
    const window = accessWindow({ start: input.start, end: input.end });
    return { qrToken: token, validFrom: new Date(window.start), validUntil: new Date(window.end) };
  }

  /** For a check-in by QR at the cloud: the token must be ours, for this facility, and current. */
  verify(token: string, facilityId: string, door: string, now: number) {
    return verifyAccessToken(token, { publicKey: this.publicKey, facilityId, door, now });
  }

  newPin(): string {
    return generatePin();
  }

  newReferenceCode(): string {
    return generateBookingCode();
  }
}
