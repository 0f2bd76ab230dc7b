import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../model/domain-input.error.js';
import { centsToDollars, dollarsToCents } from './money.js';

describe('dollars in, cents out', () => {
  it('reads the seed’s decimal dollars, as a number or trimmed text, to whole cents', () => {
    expect(dollarsToCents(45)).toBe(4500);
    expect(dollarsToCents(' 45.50 ')).toBe(4550);
    expect(dollarsToCents('0.07')).toBe(7);
    expect(centsToDollars(4550)).toBe(45.5);
  });

  it('refuses empty text and text that is not an amount, naming the field', () => {
    expect(() => dollarsToCents('  ', 'hourly_rate')).toThrow(
      new DomainInputError('hourly_rate', 'is empty'),
    );
    expect(() => dollarsToCents('12abc')).toThrow(new DomainInputError('price', "'12abc' is not an amount"));
    expect(() => dollarsToCents(Number.NaN)).toThrow(DomainInputError);
  });
});
