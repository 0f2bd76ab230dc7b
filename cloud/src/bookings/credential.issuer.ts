import {
  accessWindow,
  generateBookingCode,
  generatePin,
  issueAccessToken,
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
 * Door credentials (DESIGN.md decision 7): the Ed25519-signed QR token, verifiable offline by the
 * edge, and the six-digit PIN provisioned to UniFi Access. The doors a booking opens are the
 * facility's entrance doors (`settings.entrance_door_ids`, default `main`) plus the bay's door.
 */
export class CredentialIssuer {
  private readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;

  constructor(signingKeyHex: string) {
    this.secretKey = parseKey(signingKeyHex, 'ACCESS_SIGNING_KEY');
    this.publicKey = publicKeyFromSecretKey(this.secretKey);
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
