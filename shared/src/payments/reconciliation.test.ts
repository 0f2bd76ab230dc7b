import { describe, expect, it } from 'vitest';
import { type ReconciledRecord, reconcileRecords } from './reconciliation.js';

const rec = (providerId: string, amountCents: number, status: string, ourId: string | null = null) => ({
  providerId,
  ourId,
  bookingId: ourId ? `b-${ourId}` : null,
  amountCents,
  status,
});

describe('reconcileRecords', () => {
  it('reports nothing when both sides agree', () => {
    const same: ReconciledRecord[] = [rec('pi_1', 4500, 'succeeded', 'p1')];
    expect(reconcileRecords('payment', same, same)).toEqual([]);
  });

  it('reports each kind of difference, by provider id', () => {
    const diffs = reconcileRecords(
      'refund',
      [rec('re_a', 500, 'succeeded'), rec('re_b', 700, 'succeeded'), rec('re_c', 900, 'failed')],
      [
        rec('re_b', 600, 'succeeded', 'r2'),
        rec('re_c', 900, 'succeeded', 'r3'),
        rec('re_d', 100, 'pending', 'r4'),
      ],
    );
    expect(diffs.map((d) => [d.kind, d.provider_id])).toEqual([
      ['missing_at_us', 're_a'],
      ['amount_differs', 're_b'],
      ['status_differs', 're_c'],
      ['missing_at_stripe', 're_d'],
    ]);
    expect(diffs[1]).toMatchObject({
      object: 'refund',
      our_id: 'r2',
      booking_id: 'b-r2',
      ours: { amount_cents: 600, status: 'succeeded' },
      stripe: { amount_cents: 700, status: 'succeeded' },
    });
    expect(diffs[0]!.ours).toBeNull();
    expect(diffs[3]!.stripe).toBeNull();
  });
});
