import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { parseInstant, parseOptionalInstant, readInstant } from './instant.js';

describe('instants from requests (RFC 3339)', () => {
  it('reads UTC and any offset as the same instant', () => {
    const utc = Date.UTC(2026, 11, 10, 16, 0, 0);
    expect(parseInstant('2026-12-10T16:00:00Z', 'start_time')).toBe(utc);
    expect(parseInstant('2026-12-10T16:00:00.000Z', 'start_time')).toBe(utc);
    expect(parseInstant('2026-12-10T11:00:00-05:00', 'start_time')).toBe(utc);
    expect(parseInstant('2026-12-11T01:30:00+09:30', 'start_time')).toBe(utc);
    expect(parseInstant('2026-12-10t16:00:00z', 'start_time')).toBe(utc);
    expect(parseInstant('2026-12-10T16:00:00+00:00', 'start_time')).toBe(utc);
  });

  it('keeps fractions to the millisecond', () => {
    expect(parseInstant('2026-12-10T16:00:00.5Z', 'at')).toBe(Date.UTC(2026, 11, 10, 16, 0, 0, 500));
    expect(parseInstant('2026-12-10T16:00:00.123456789Z', 'at')).toBe(Date.UTC(2026, 11, 10, 16, 0, 0, 123));
  });

  it('refuses impossible dates instead of rolling them over, naming the field and the reason', () => {
    const cases: [string, RegExp][] = [
      ['2025-02-30T10:00:00Z', /2025-02 has no day 30/],
      ['2024-02-30T10:00:00Z', /2024-02 has no day 30/],
      ['2025-13-01T10:00:00Z', /month 13/],
      ['2025-04-31T10:00:00-04:00', /no day 31/],
      ['2100-02-29T10:00:00Z', /2100-02 has no day 29/],
      ['2025-01-01T24:00:00Z', /not a time of day/],
      ['2025-01-01T10:60:00Z', /not a time of day/],
      ['2025-01-01T10:00:60Z', /not a time of day/],
      ['2025-01-01T10:00:00+24:00', /offset/],
      ['2025-01-01T10:00Z', /RFC 3339/],
      ['2025-01-01 10:00:00Z', /RFC 3339/],
      ['2025-01-01T10:00:00', /RFC 3339/],
      ['2025-01-01T10:00:00-0500', /RFC 3339/],
      ['', /RFC 3339/],
    ];
    for (const [value, reason] of cases) {
      let error: unknown;
      try {
        parseInstant(value, 'start_time');
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(DomainError);
      const domain = error as DomainError;
      expect(domain.code).toBe('VALIDATION_FAILED');
      expect(domain.field).toBe('start_time');
      expect(domain.message).toMatch(reason);
      expect(domain.message).toContain(`start_time '${value}' is not a valid instant`);
    }
    expect(readInstant('2024-02-29T10:00:00Z')).toBe(Date.UTC(2024, 1, 29, 10));
    expect(readInstant('2000-02-29T10:00:00Z')).toBe(Date.UTC(2000, 1, 29, 10));
  });

  it('agrees with Date for every real instant written in any offset', () => {
    fc.assert(
      fc.property(
        // Years 1 to 9998: the two-digit years Date.UTC misreads, and leap centuries, included.
        fc.integer({ min: Date.parse('0001-01-02T00:00:00Z'), max: Date.parse('9998-12-31T00:00:00Z') }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offset) => {
          const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseInstant(text, 'at')).toBe(ms);
          expect(parseInstant(new Date(ms).toISOString(), 'at')).toBe(ms);
        },
      ),
    );
  });

  it('passes absent optional instants through as null', () => {
    expect(parseOptionalInstant(null, 'valid_from')).toBeNull();
    expect(parseOptionalInstant(undefined, 'valid_from')).toBeNull();
    expect(parseOptionalInstant('2026-01-01T00:00:00Z', 'valid_from')).toBe(Date.UTC(2026, 0, 1));
  });
});
