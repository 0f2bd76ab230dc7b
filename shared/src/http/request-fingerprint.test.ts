import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { canonicalJson, idempotencyKeyOf, requestFingerprint } from './request-fingerprint.js';

describe('what makes two requests the same for Idempotency-Key', () => {
  it('ignores the order of object keys at any depth, and undefined members', () => {
    const a = {
      body: { simulator_id: 'b1', start_time: 't', customer: { email: 'e', phone: 'p' } },
      params: {},
    };
    const b = {
      params: {},
      body: { customer: { phone: 'p', email: 'e' }, start_time: 't', simulator_id: 'b1', x: undefined },
    };
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
  });

  it('tells apart requests that differ in any value, type or array order', () => {
    expect(requestFingerprint({ duration: 60 })).not.toBe(requestFingerprint({ duration: 90 }));
    expect(requestFingerprint({ duration: 60 })).not.toBe(requestFingerprint({ duration: '60' }));
    expect(requestFingerprint({ bays: [1, 2] })).not.toBe(requestFingerprint({ bays: [2, 1] }));
    expect(requestFingerprint({ a: null })).not.toBe(requestFingerprint({}));
  });

  it('is the SHA-256 of the canonical JSON (the cloud stored fingerprints this way before)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected = createHash('sha256').update(canonicalJson(value)).digest('hex');
        expect(requestFingerprint(value)).toBe(expected);
      }),
    );
  });

  it('accepts keys of 1 to 255 characters and names the header otherwise', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf('k-1')).toBe('k-1');
    expect(idempotencyKeyOf(['first', 'second'])).toBe('first');
    expect(idempotencyKeyOf('x'.repeat(255))).toHaveLength(255);
    for (const bad of ['', 'x'.repeat(256)]) {
      expect(() => idempotencyKeyOf(bad)).toThrow(DomainError);
      try {
        idempotencyKeyOf(bad);
      } catch (error) {
        expect((error as DomainError).field).toBe('Idempotency-Key');
        expect((error as DomainError).code).toBe('VALIDATION_FAILED');
      }
    }
  });
});
