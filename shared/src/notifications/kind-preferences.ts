import { channelChoice } from './channel-preferences.js';

/** Customer message kinds a customer can choose channels for (every one the cloud sends today). */
export const CUSTOMER_MESSAGE_KINDS = [
  'confirmation',
  'reschedule',
  'cancellation',
  'reminder',
  'waitlist_offer',
  'check_in_welcome',
  'extend_offer',
  'no_show',
  'payment_receipt',
  'refund_receipt',
] as const;
export type CustomerMessageKind = (typeof CUSTOMER_MESSAGE_KINDS)[number];

export const MESSAGE_CHANNELS = ['email', 'sms', 'in_app'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** One kind's channels; a channel not stored is on. */
export type KindChannels = Record<MessageChannel, boolean>;

/**
 * Kinds that carry what gets the customer in (the door PIN and QR): they must reach the customer by
 * email or SMS. In-app does not count: it is only seen by someone who opens the site.
 */
export const ENTRY_KINDS: ReadonlySet<string> = new Set(['confirmation', 'reschedule']);

export const KIND_LABELS: Record<CustomerMessageKind, string> = {
  confirmation: 'Booking confirmations (door PIN)',
  reschedule: 'Booking moved (new door PIN)',
  cancellation: 'Cancellations and refunds',
  reminder: 'Reminders before your booking',
  waitlist_offer: 'Waitlist offers',
  check_in_welcome: 'Check-in welcome',
  extend_offer: '"10 minutes left: extend?" offers',
  no_show: 'Missed-booking notices',
  payment_receipt: 'Payment receipts',
  refund_receipt: 'Refund receipts',
};

export function isCustomerMessageKind(kind: string): kind is CustomerMessageKind {
  return (CUSTOMER_MESSAGE_KINDS as readonly string[]).includes(kind);
}

/**
 * The channels a message of `kind` goes by: the kind's own choice (absent → on) within the
 * customer's overall email/SMS switches (`preferences.notifications`).
 */
export function channelsFor(
  stored: Partial<KindChannels> | undefined,
  overall: Record<string, unknown> | null | undefined,
): KindChannels {
  const all = channelChoice(overall);
  return {
    email: all.email && stored?.email !== false,
    sms: all.sms && stored?.sms !== false,
    in_app: stored?.in_app !== false,
  };
}

/**
 * Why a kind's channels cannot be stored, or undefined: an entry kind must keep email or SMS on
 * (counting the overall switches), so the door PIN always has a way to reach the customer.
 */
export function kindChannelsProblem(
  kind: string,
  channels: KindChannels,
  overall?: Record<string, unknown> | null,
): string | undefined {
  if (!ENTRY_KINDS.has(kind)) return undefined;
  const effective = channelsFor(channels, overall);
  if (effective.email || effective.sms) return undefined;
  const off = channels.email || channels.sms ? ' (your overall email/SMS switches turn the other off)' : '';
  return `${kind} carries your door PIN: keep email or SMS on for it${off}`;
}
