import { describe, expect, it } from 'vitest';
import { netByLocalDate, payoutTotals } from './payout-totals.js';

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

describe('netByLocalDate', () => {
  it("buckets money by the zone's local date, refunds negative, outside dates dropped", () => {
    const at = (iso: string) => Date.parse(iso);
    const net = netByLocalDate(
      [
        { at: at('2025-06-11T03:30:00Z'), signedCents: 1000 }, // 23:30 on the 10th in Toronto
        { at: at('2025-06-11T14:00:00Z'), signedCents: 4500 },
        { at: at('2025-06-11T20:00:00Z'), signedCents: -500 },
        { at: at('2025-07-01T12:00:00Z'), signedCents: 9999 },
      ],
      ['2025-06-10', '2025-06-11'],
      'America/Toronto',
    );
    expect([...net]).toEqual([
      ['2025-06-10', 1000],
      ['2025-06-11', 4000],
    ]);
  });
});
