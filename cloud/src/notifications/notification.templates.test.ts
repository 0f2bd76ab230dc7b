import { describe, expect, it } from 'vitest';
import type { BookingFacts } from './notification.repository.js';
import { renderMessage } from './notification.templates.js';
import { renderSms } from './sms.templates.js';

/** A booking's facts as the repository reads them; each case overrides what it is about. */
function facts(over: Partial<BookingFacts>): BookingFacts {
  return {
    messageId: 1,
    kind: 'no_show',
    version: 1,
    offsetMinutes: 0,
    status: 'queued',
    attempts: 0,
    retryRound: 0,
    bookingId: '00000000-0000-4000-8000-000000000001',
    bookingStatus: 'no_show',
    referenceCode: 'ABC123',
    start: new Date('2026-12-10T18:00:00Z'),
    end: new Date('2026-12-10T19:00:00Z'),
    priceCents: 4000,
    refundCents: null,
    pin: null,
    qrToken: null,
    doorFrom: null,
    doorUntil: null,
    bayName: 'Bay 1',
    facilityId: '00000000-0000-4000-8000-000000000002',
    facilityName: 'Fairway',
    address: null,
    timezone: 'America/Toronto',
    settings: {},
    email: 'a@example.com',
    phone: '+14165550101',
    customerId: null,
    preferences: {},
    kindChannels: undefined,
    currentVersion: 1,
    smsOptedOut: false,
    channel: 'email',
    createdAt: new Date('2026-12-10T18:20:00Z'),
    firstName: 'Ada',
    holdExpiresAt: null,
    waitlistEntryId: null,
    receipt: null,
    noShowFee: null,
    ...over,
  };
}

describe('no-show notice and receipt templates', () => {
  it('names the no-show fee as it stands at send time, in its currency', () => {
    const fee = (status: string) => facts({ noShowFee: { amountCents: 1500, currency: 'cad', status } });
    expect(renderMessage('no_show', fee('succeeded')).text).toContain(
      'No-show fee: CA$15.00, charged to your saved card',
    );
    expect(renderMessage('no_show', fee('pending')).text).toContain(
      'CA$15.00, being charged to your saved card',
    );
    expect(renderMessage('no_show', fee('no_card')).text).toContain(
      'CA$15.00, owed to the venue (your card could not be charged)',
    );
    expect(renderMessage('no_show', facts({})).text).not.toContain('No-show fee');
    expect(renderSms('no_show', fee('succeeded'))).toBe(
      'Fairway: nobody checked in for ABC123 (Thu 2026-12-10 13:00), the bay was released. No-show fee CA$15.00, charged to your saved card.',
    );
  });

  it('writes receipts with the amount, how it was paid and the link; SMS in GSM-7', () => {
    const paid = facts({
      kind: 'payment_receipt',
      receipt: { id: 'p1', amountCents: 2550, currency: 'usd', status: 'succeeded', what: 'terminal' },
    });
    const email = renderMessage('payment_receipt', paid, { receiptUrl: 'http://x/r?token=t' });
    expect(email.subject).toBe('Receipt: $25.50 for booking ABC123');
    expect(email.text).toContain('How: Paid by card at the venue');
    expect(email.html).toContain('href="http://x/r?token=t"');
    const sms = renderSms('payment_receipt', paid, { receiptUrl: 'http://x/r?token=t' })!;
    expect(sms).toBe('Fairway: payment of $25.50 received for ABC123. Receipt: http://x/r?token=t');
    expect(sms).not.toMatch(/[–’]/);
  });
});
