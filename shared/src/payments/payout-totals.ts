import { localDateOf } from '../time/index.js';

/**
 * Payout-ready totals of a set of money movements, one row per currency (never summed across
 * currencies): what was paid, what was refunded, and the difference, in integer minor units.
 */
export interface MoneyMoved {
  currency: string;
  amountCents: number;
}

export interface CurrencyTotals {
  currency: string;
  gross_paid_cents: number;
  refunded_cents: number;
  net_cents: number;
  payments_count: number;
  refunds_count: number;
}

/** `paid` are succeeded payments, `refunded` succeeded refunds; currencies sorted by code. */
export function payoutTotals(paid: readonly MoneyMoved[], refunded: readonly MoneyMoved[]): CurrencyTotals[] {
  const byCurrency = new Map<string, CurrencyTotals>();
  const row = (currency: string) => {
    let t = byCurrency.get(currency);
    if (!t) {
      t = {
        currency,
        gross_paid_cents: 0,
        refunded_cents: 0,
        net_cents: 0,
        payments_count: 0,
        refunds_count: 0,
      };
      byCurrency.set(currency, t);
    }
    return t;
  };
  for (const p of paid) {
    const t = row(p.currency);
    t.gross_paid_cents += p.amountCents;
    t.payments_count += 1;
  }
  for (const r of refunded) {
    const t = row(r.currency);
    t.refunded_cents += r.amountCents;
    t.refunds_count += 1;
  }
  for (const t of byCurrency.values()) t.net_cents = t.gross_paid_cents - t.refunded_cents;
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Money that moved at an instant: + a payment that succeeded, − a refund that succeeded. */
export interface SignedMovement {
  at: number;
  signedCents: number;
}

/**
 * Net revenue per local date of `zone` (succeeded payments minus succeeded refunds, by the day the
 * money moved), for `dates` only; every date is present, 0 when nothing moved.
 */
export function netByLocalDate(
  movements: readonly SignedMovement[],
  dates: readonly string[],
  zone: string,
): Map<string, number> {
  const out = new Map(dates.map((d) => [d, 0]));
  for (const m of movements) {
    const date = localDateOf(m.at, zone);
    const sum = out.get(date);
    if (sum !== undefined) out.set(date, sum + m.signedCents);
  }
  return out;
}
