import { DomainInputError } from '../model/domain-input.error.js';

/**
 * Rounds a fractional cent amount to whole cents, half away from zero, so a discount and the
 * equal surcharge round to the same magnitude. Values are first snapped to 1e-6 cents: binary
 * floating point turns 0.5 into 0.49999999999 after a few multiplications, and that must not flip
 * the result.
 */
export function roundCents(value: number): number {
  const snapped = Math.round(value * 1e6) / 1e6;
  const r = Math.sign(snapped) * Math.round(Math.abs(snapped));
  return r === 0 ? 0 : r; // no -0 in money
}

/** The seed's DECIMAL(10,2) dollars (number or string such as '45.00') → integer cents. */
export function dollarsToCents(value: number | string, field = 'price'): number {
  const n = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof value === 'string' && value.trim() === '') throw new DomainInputError(field, 'is empty');
  if (!Number.isFinite(n)) throw new DomainInputError(field, `'${String(value)}' is not an amount`);
  return roundCents(n * 100);
}

/** Integer cents → the seed's decimal dollars (API `price`). */
export function centsToDollars(cents: number): number {
  return cents / 100;
}

/**
 * Integer minor units → the seed's DECIMAL(10,2) text ('45.00', '-4.50'), from integers so no
 * binary fraction can round it.
 */
export function centsToDecimal(cents: number): string {
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 ? `-${text}` : text;
}

/**
 * A percentage as typed ('25', '12.5') → basis points (2500, 1250). Basis points are hundredths of
 * a percent, the same scaling as dollars to cents, so they round the same way.
 */
export function percentToBps(value: number | string, field = 'percent'): number {
  return dollarsToCents(value, field);
}

/** Basis points → the percentage as people type it (2500 → '25', 1250 → '12.5'), from integers. */
export function bpsToPercent(bps: number): string {
  return centsToDecimal(bps).replace(/\.?0+$/, '');
}

const formats = new Map<string, Intl.NumberFormat>();

/**
 * Money as people read it, for every face (site, admin, console, kiosk, explanations):
 * '$45.00', '$1,234.50', '-$4.50'. Until facilities carry a currency, amounts are USD.
 */
export function formatMoney(cents: number, currency = 'USD', locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format.format((cents === 0 ? 0 : cents) / 100); // never "-$0.00"
}

/** '$45.00', '-$4.50': `formatMoney` in the default currency (the explanation lines use it). */
export const formatCents = (cents: number): string => formatMoney(cents);
