import { invalidRequest, StripeApiError } from './stripe.errors.js';

/**
 * Amounts are integers in the currency's smallest unit; the 16 zero-decimal currencies use whole
 * units (stripe.com/docs/currencies). Minimums follow Stripe's table for the currencies a venue
 * uses (0.50 in most, 0.30 GBP); other currencies get 50 minor units.
 */
export const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

const MINIMUMS: Record<string, number> = {
  gbp: 30,
  jpy: 50,
  huf: 17_500,
  mxn: 1000,
  hkd: 400,
  nok: 300,
  sek: 300,
  dkk: 250,
};
export const MAX_AMOUNT = 99_999_999;

export function normalizeCurrency(value: string, param = 'currency'): string {
  const currency = value.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${value}.`, param);
  return currency;
}

export function formatMoney(amount: number, currency: string): string {
  const units = ZERO_DECIMAL.has(currency) ? String(amount) : (amount / 100).toFixed(2);
  return `${units} ${currency.toUpperCase()}`;
}

/** Throws Stripe's `amount_too_small` / `amount_too_large` for a charge amount. */
export function checkChargeAmount(amount: number, currency: string, param = 'amount'): void {
  const minimum = MINIMUMS[currency] ?? 50;
  if (amount < minimum)
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Amount must be at least ${formatMoney(minimum, currency)}`,
      { code: 'amount_too_small', param },
    );
  if (amount > MAX_AMOUNT)
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Amount must be no more than ${formatMoney(MAX_AMOUNT, currency)}`,
      { code: 'amount_too_large', param },
    );
}
