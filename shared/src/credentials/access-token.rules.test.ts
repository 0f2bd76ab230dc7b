import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { describeAccessDenial, verifyAccessToken } from './access-token.js';
import { issueAccessToken } from './issue-access-token.js';
import { generateSigningKeyPair } from './signing-keys.js';

const keys = generateSigningKeyPair();
const T0 = Date.UTC(2026, 5, 1, 18);
const FACILITY = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const DOOR = 'd0000000-0000-4000-8000-000000000001';
const at = { publicKey: keys.publicKey, facilityId: FACILITY, door: DOOR, now: T0 };
const token = () =>
  issueAccessToken({
    secretKey: keys.secretKey,
    bookingId: 'b0000000-0000-4000-8000-000000000001',
    facilityId: FACILITY,
    doors: [DOOR],
    start: T0,
    end: T0 + 3_600_000,
  }).token;

describe('what a door scanner’s text must be before its signature is even checked', () => {
  it('calls a token with an empty payload or a short signature malformed, not forged', () => {
    const [prefix, payload, signature] = token().split('.');
    expect(verifyAccessToken(`${prefix}..${signature}`, at)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyAccessToken(`${prefix}.${payload}.${signature?.slice(0, -4)}`, at)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyAccessToken(`${token()}\n`, at).ok).toBe(true);
  });

  it('refuses a clock that is not an instant, and a text that is not a string', () => {
    expect(() => verifyAccessToken(token(), { ...at, now: Number.NaN })).toThrow(
      new DomainInputError('now', 'must be an instant in epoch ms'),
    );
    expect(verifyAccessToken(42 as unknown as string, at)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('gives the scanner display one sentence per reason', () => {
    expect(describeAccessDenial('malformed')).toBe('This is not a ClubOS access code.');
    expect(describeAccessDenial('forged')).toBe(
      'This access code was not issued by ClubOS for this venue (its signature does not match).',
    );
    expect(describeAccessDenial('expired')).toBe('This access code has expired.');
    expect(describeAccessDenial('not_yet_valid')).toBe('This access code is not valid yet.');
    expect(describeAccessDenial('wrong_facility')).toBe('This access code is for another venue.');
    expect(describeAccessDenial('wrong_door')).toBe('This access code does not open this door.');
  });
});
