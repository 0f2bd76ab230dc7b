import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../time/index.js';
import { cancellationRefund, refundRetryDelayMs } from './cancellation-refund.js';

const policy = { free_until_hours: 24, late_refund_percent: 50 };
const now = Date.UTC(2026, 0, 1);

describe('cancellationRefund', () => {
  it('applies the policy to what was paid online, back to the card', () => {
    const late = cancellationRefund({
      policy,
      priceCents: 4000,
      paidOnlineCents: 1000,
      start: now + 3 * HOUR_MS,
      now,
    });
    expect(late).toMatchObject({ via: 'card', rule: 'late', refund_cents: 500 });
    const free = cancellationRefund({
      policy,
      priceCents: 4000,
      paidOnlineCents: 1000,
      start: now + 48 * HOUR_MS,
      now,
    });
    expect(free).toMatchObject({ via: 'card', refund_cents: 1000 });
  });

  it("keeps the price's figure, owed at the venue, when nothing was paid online", () => {
    const late = cancellationRefund({
      policy,
      priceCents: 4001,
      paidOnlineCents: 0,
      start: now + 3 * HOUR_MS,
      now,
    });
    expect(late).toMatchObject({ via: 'venue', refund_cents: 2000 });
  });

  it('never refunds more than was paid, whatever the policy', () => {
    for (const paid of [1, 333, 999_999]) {
      const out = cancellationRefund({
        policy,
        priceCents: 50,
        paidOnlineCents: paid,
        start: now + 99 * HOUR_MS,
        now,
      });
      expect(out.refund_cents).toBeLessThanOrEqual(paid);
    }
  });
});

describe('refundRetryDelayMs', () => {
  it('doubles from 30 s and stops at an hour', () => {
    expect([1, 2, 3].map(refundRetryDelayMs)).toEqual([30_000, 60_000, 120_000]);
    expect(refundRetryDelayMs(50)).toBe(3_600_000);
  });
});
