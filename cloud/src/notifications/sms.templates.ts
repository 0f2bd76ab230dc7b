import { formatMoney } from '@clubos/shared/pricing';
import { formatLocalTime, toLocal } from '@clubos/shared/time';
import type { BookingFacts } from './notification.repository.js';
import { localWhen, moneyOf, noShowFeeLine } from './notification.templates.js';

export interface SmsContext {
  /** A waitlist offer's one-tap accept link. */
  acceptUrl?: string | undefined;
  /** The customer's preferences page (SMS has no per-message unsubscribe link of its own). */
  preferencesUrl?: string | undefined;
  /** A receipt's printable page. */
  receiptUrl?: string | undefined;
  /** The "10 minutes left" offer's one-tap extend link. */
  extendUrl?: string | undefined;
}

type SmsTemplate = (f: BookingFacts, context: SmsContext) => string;

const hhmm = (at: Date, zone: string) => formatLocalTime(Math.floor(toLocal(at.getTime(), zone).minutes));

/** "doors 18:45-20:15" when the booking has its door window. */
function doors(f: BookingFacts): string {
  return f.doorFrom && f.doorUntil
    ? `, doors ${hhmm(f.doorFrom, f.timezone)}-${hhmm(f.doorUntil, f.timezone)}`
    : '';
}

const pin = (f: BookingFacts) => (f.pin ? ` Door PIN ${f.pin}${doors(f)}.` : '');

/**
 * Short texts, one per kind: GSM-7 characters only (an en dash or a curly quote would make the whole
 * text UCS-2, 70 characters a segment), what the customer needs at the door first. A kind with no
 * template is not sent by SMS (the other channels still carry it); add kinds here.
 */
export const SMS_TEMPLATES: Record<string, SmsTemplate> = {
  confirmation: (f) =>
    `${f.facilityName}: ${f.bayName} booked ${localWhen(f.start, f.timezone)}.${pin(f)} Ref ${f.referenceCode}`,
  reschedule: (f) =>
    `${f.facilityName}: booking ${f.referenceCode} moved to ${localWhen(f.start, f.timezone)}, ${f.bayName}.${pin(f)}`,
  cancellation: (f) =>
    `${f.facilityName}: booking ${f.referenceCode} (${localWhen(f.start, f.timezone)}) is cancelled. Refund ${formatMoney(f.refundCents ?? 0)}.`,
  reminder: (f, c) =>
    `Reminder: ${f.bayName} at ${f.facilityName}, ${localWhen(f.start, f.timezone)}.${pin(f)}${c.preferencesUrl ? ` Settings: ${c.preferencesUrl}` : ''}`,
  waitlist_offer: (f, c) =>
    `${f.facilityName}: ${f.bayName} ${localWhen(f.start, f.timezone)} is free for you until ${f.holdExpiresAt ? hhmm(f.holdExpiresAt, f.timezone) : 'soon'}.${c.acceptUrl ? ` Accept: ${c.acceptUrl}` : ''}`,
  no_show: (f) => {
    const fee = noShowFeeLine(f);
    return `${f.facilityName}: nobody checked in for ${f.referenceCode} (${localWhen(f.start, f.timezone)}), the bay was released.${fee ? ` No-show fee ${fee}.` : ''}`;
  },
  payment_receipt: (f, c) =>
    `${f.facilityName}: payment of ${f.receipt ? moneyOf(f.receipt.amountCents, f.receipt.currency) : '?'} received for ${f.referenceCode}.${c.receiptUrl ? ` Receipt: ${c.receiptUrl}` : ''}`,
  refund_receipt: (f, c) =>
    `${f.facilityName}: refund of ${f.receipt ? moneyOf(f.receipt.amountCents, f.receipt.currency) : '?'} sent for ${f.referenceCode}.${c.receiptUrl ? ` Receipt: ${c.receiptUrl}` : ''}`,
  extend_offer: (f, c) =>
    `${f.facilityName}: 10 min left on ${f.bayName}. The next slot is free${c.extendUrl ? `, extend: ${c.extendUrl}` : ', ask at the desk to extend'}`,
};

/** The kinds that have a text; the dispatcher makes SMS rows only for these. */
export const SMS_KINDS = Object.keys(SMS_TEMPLATES);

export function renderSms(kind: string, facts: BookingFacts, context: SmsContext = {}): string | undefined {
  return SMS_TEMPLATES[kind]?.(facts, context);
}
