import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpsToPercent, centsToDecimal, formatCents, formatMoney, percentToBps } from './money.js';

describe('money formatting', () => {
  it('puts the sign before the currency symbol, with thousands separators', () => {
    expect(formatMoney(4500)).toBe('$45.00');
    expect(formatMoney(-450)).toBe('-$4.50');
    expect(formatMoney(123_456_78)).toBe('$123,456.78');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(-0)).toBe('$0.00');
    expect(formatCents(-450)).toBe('-$4.50');
  });

  it('formats other currencies in their own way', () => {
    expect(formatMoney(4500, 'CAD', 'en-CA')).toBe('$45.00');
    expect(formatMoney(4500, 'EUR', 'en-US')).toBe('€45.00');
  });

  it('writes the API decimal from integers, exactly, for any amount', () => {
    expect(centsToDecimal(4500)).toBe('45.00');
    expect(centsToDecimal(-450)).toBe('-4.50');
    expect(centsToDecimal(7)).toBe('0.07');
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const text = centsToDecimal(cents);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(Math.round(Number(text) * 100)).toBe(cents);
      }),
    );
  });
});

describe('percentages as basis points', () => {
  it('reads a typed percentage into whole basis points and writes it back as typed', () => {
    expect(percentToBps('25')).toBe(2500);
    expect(percentToBps('12.5')).toBe(1250);
    expect(percentToBps(' 0.01 ')).toBe(1);
    expect(percentToBps('0')).toBe(0);
    expect(bpsToPercent(2500)).toBe('25');
    expect(bpsToPercent(1250)).toBe('12.5');
    expect(bpsToPercent(10_000)).toBe('100');
    expect(bpsToPercent(5)).toBe('0.05');
    expect(bpsToPercent(0)).toBe('0');
  });

  it('names the field of a percentage that is not a number', () => {
    expect(() => percentToBps('a lot', 'deposit_bps')).toThrow(/a lot/);
    expect(() => percentToBps('', 'deposit_bps')).toThrow(/empty/);
  });

  it('round-trips every basis point count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bps) => percentToBps(bpsToPercent(bps)) === bps),
    );
  });
});
