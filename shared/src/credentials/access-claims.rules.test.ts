import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { type AccessClaims, checkClaims, isUuid, MAX_TOKEN_ID_BYTES } from './access-claims.js';

const ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const claims: AccessClaims = {
  v: 1,
  booking_id: ID,
  facility_id: ID,
  doors: [ID],
  bay_id: null,
  nbf: 10,
  exp: 20,
};

describe('token claims, checked before signing', () => {
  it('knows a UUID only as the whole text, not one inside a longer id', () => {
    expect(isUuid(ID)).toBe(true);
    expect(isUuid(`x${ID}`)).toBe(false);
    expect(isUuid(`${ID}x`)).toBe(false);
  });

  it('takes an id of exactly the byte limit and refuses one byte more, naming the field', () => {
    const at = 'a'.repeat(MAX_TOKEN_ID_BYTES);
    expect(checkClaims({ ...claims, booking_id: at }).booking_id).toBe(at);
    expect(() => checkClaims({ ...claims, booking_id: `${at}a` })).toThrow(
      new DomainInputError('booking_id', `must be at most ${MAX_TOKEN_ID_BYTES} bytes`),
    );
    expect(() => checkClaims({ ...claims, facility_id: '' })).toThrow(
      new DomainInputError('facility_id', 'must be a non-empty id'),
    );
  });

  it('names the version, the times and the door list in its refusals', () => {
    expect(() => checkClaims({ ...claims, v: 2 as 1 })).toThrow(new DomainInputError('v', 'must be 1'));
    expect(() => checkClaims({ ...claims, nbf: -1 })).toThrow(
      new DomainInputError('nbf', 'must be whole epoch seconds between 1970 and 2106'),
    );
    expect(() => checkClaims({ ...claims, exp: 0x1_0000_0000 })).toThrow(
      new DomainInputError('exp', 'must be whole epoch seconds between 1970 and 2106'),
    );
    expect(checkClaims({ ...claims, nbf: 0, exp: 0xffff_ffff })).toMatchObject({ nbf: 0, exp: 0xffff_ffff });
    expect(() => checkClaims({ ...claims, doors: [] })).toThrow(
      new DomainInputError('doors', 'must list 1 to 8 door ids'),
    );
    expect(() => checkClaims({ ...claims, doors: [ID, ID.toUpperCase()] })).toThrow(
      new DomainInputError('doors', 'must not repeat a door'),
    );
    expect(() => checkClaims({ ...claims, doors: [ID, ''] })).toThrow(
      new DomainInputError('doors[1]', 'must be a non-empty id'),
    );
    expect(() => checkClaims({ ...claims, bay_id: '' })).toThrow(
      new DomainInputError('bay_id', 'must be a non-empty id'),
    );
  });
});
