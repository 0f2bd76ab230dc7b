import { describe, expect, it } from 'vitest';
import { refundPaymentStatus } from './refund-status.js';

const totals = (refundedCents: number, pendingRefundCents: number) => ({
  paidCents: 5000,
  refundedCents,
  pendingRefundCents,
  netCents: 5000 - refundedCents,
});

describe('refundPaymentStatus', () => {
  it('is refunded once the refund given has paid out with nothing pending', () => {
    expect(refundPaymentStatus(totals(2500, 0), 2500)).toBe('refunded');
    expect(refundPaymentStatus(totals(5000, 0), 5000)).toBe('refunded');
  });

  it('stays refund_due while a refund is pending, short of the refund given, or none was paid at all', () => {
    expect(refundPaymentStatus(totals(2500, 2500), 5000)).toBe('refund_due');
    expect(refundPaymentStatus(totals(2000, 0), 2500)).toBe('refund_due');
    // Owed at the venue: no card refund exists.
    expect(refundPaymentStatus(totals(0, 0), 2500)).toBe('refund_due');
    expect(refundPaymentStatus(totals(0, 0), null)).toBe('refund_due');
  });

  it('takes any paid-out refund when the booking recorded no figure', () => {
    expect(refundPaymentStatus(totals(5000, 0), null)).toBe('refunded');
  });
});
