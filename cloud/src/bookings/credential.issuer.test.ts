import { randomBytes } from 'node:crypto';
import { issueAccessToken } from '@clubos/shared/credentials';
import { describe, expect, it } from 'vitest';
import { CredentialIssuer } from './credential.issuer.js';

describe('credential issuer', () => {
  it('signs with the native signer the very token the pure-JS signer makes, and it verifies', () => {
    const keyHex = randomBytes(32).toString('hex');
    const issuer = new CredentialIssuer(keyHex);
    const booking = {
      bookingId: '0b7e3f1e-8a55-4a8e-9a41-3b7c7f1f3a10',
      facilityId: '5d0c1b8e-2b7f-4a51-9a7e-0e3f0f6d2c11',
      simulatorId: '9a1d2c3b-4e5f-4a6b-8c7d-1e2f3a4b5c6d',
      doors: ['main', 'door-bay-1'],
      start: Date.UTC(2030, 0, 1, 10),
      end: Date.UTC(2030, 0, 1, 11),
    };
    const issued = issuer.issue(booking);
    const pureJs = issueAccessToken({
      secretKey: Buffer.from(keyHex, 'hex'),
      bookingId: booking.bookingId,
      facilityId: booking.facilityId,
      doors: booking.doors,
      bayId: booking.simulatorId,
      start: booking.start,
      end: booking.end,
    });
    expect(issued.qrToken).toBe(pureJs.token);
    const check = issuer.verify(issued.qrToken, booking.facilityId, 'door-bay-1', booking.start);
    expect(check.ok).toBe(true);
  });
});
