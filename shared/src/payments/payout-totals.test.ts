import { describe, expect, it } from 'vitest';
import { payoutTotals } from './payout-totals.js';

describe('payoutTotals', () => {
  it('keeps currencies apart and nets refunds off what was paid', () => {
    expect(
      payoutTotals(
        [
          { currency: 'usd', amountCents: 4500 },
          { currency: 'usd', amountCents: 1000 },
          { currency: 'cad', amountCents: 700 },
        ],
        [{ currency: 'usd', amountCents: 2250 }],
      ),
    ).toEqual([
      {
        currency: 'cad',
        gross_paid_cents: 700,
        refunded_cents: 0,
        net_cents: 700,
        payments_count: 1,
        refunds_count: 0,
      },
      {
        currency: 'usd',
        gross_paid_cents: 5500,
        refunded_cents: 2250,
        net_cents: 3250,
        payments_count: 2,
        refunds_count: 1,
      },
    ]);
  });

  it('reports a day with only a refund (of an earlier payment) as a negative net', () => {
    expect(payoutTotals([], [{ currency: 'usd', amountCents: 300 }])).toEqual([
      {
        currency: 'usd',
        gross_paid_cents: 0,
        refunded_cents: 300,
        net_cents: -300,
        payments_count: 0,
        refunds_count: 1,
      },
    ]);
  });

  it('is empty for a day without money', () => {
    expect(payoutTotals([], [])).toEqual([]);
  });
});
