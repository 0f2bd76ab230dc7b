import { describe, expect, it } from 'vitest';
import { verifyAccessToken } from './access-token.js';
import { issueAccessToken } from './issue-access-token.js';
import { generateSigningKeyPair } from './signing-keys.js';

const keys = generateSigningKeyPair();
const FACILITY = '3F2C9A1E-8B7D-4C6E-9F10-1A2B3C4D5E6F';
const start = Date.UTC(2025, 7, 3, 14, 0);
const end = Date.UTC(2025, 7, 3, 15, 0);

describe('issueAccessToken', () => {
  it('issues a token valid exactly over the booking access window', () => {
    const { token, claims } = issueAccessToken({
      secretKey: keys.secretKey,
      bookingId: 'b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f',
      facilityId: FACILITY,
      doors: ['front'],
      start,
      end,
      window: { beforeMinutes: 10 },
    });
    expect(claims).toMatchObject({ facility_id: FACILITY.toLowerCase(), bay_id: null });
    expect(claims.nbf * 1000).toBe(start - 10 * 60_000);
    expect(claims.exp * 1000).toBe(end + 15 * 60_000);
    const check = (now: number) =>
      verifyAccessToken(token, { publicKey: keys.publicKey, facilityId: FACILITY, door: 'front', now });
    expect(check(start - 10 * 60_000)).toEqual({ ok: true, claims });
    expect(check(start - 10 * 60_000 - 1)).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    expect(check(end + 15 * 60_000)).toMatchObject({ ok: false, reason: 'expired' });
  });
});
