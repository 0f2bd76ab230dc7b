import type { LinkTokens } from './link-tokens.js';
import type { BookingFacts } from './notification.repository.js';

/** The links a message carries, signed so they work without logging in (every channel uses them). */
export interface MessageLinks {
  acceptUrl?: string | undefined;
  receiptUrl?: string | undefined;
  extendUrl?: string | undefined;
}

/** The extend link's value: the booking and the end it extends (a moved or extended booking's link is out of date). */
export const extendTokenValue = (bookingId: string, endMs: number) => `${bookingId}.${endMs}`;

export function messageLinks(links: LinkTokens, publicUrl: string, f: BookingFacts): MessageLinks {
  const api = `${publicUrl}/api/v1`;
  if (f.kind === 'waitlist_offer' && f.waitlistEntryId) {
    const token = links.sign('waitlist-accept', `${f.waitlistEntryId}.${f.bookingId}`);
    return { acceptUrl: `${api}/notifications/waitlist-offer?token=${token}` };
  }
  if ((f.kind === 'payment_receipt' || f.kind === 'refund_receipt') && f.receipt) {
    const token = links.sign('receipt', `${f.bookingId}.${f.receipt.id}`);
    return { receiptUrl: `${api}/bookings/${f.bookingId}/receipts/${f.receipt.id}?token=${token}` };
  }
  if (f.kind === 'extend_offer') {
    const token = links.sign('extend', extendTokenValue(f.bookingId, f.end.getTime()));
    return { extendUrl: `${api}/notifications/extend?token=${token}` };
  }
  return {};
}
