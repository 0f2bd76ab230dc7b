import { channelChoice, channelsFor, ENTRY_KINDS } from '@clubos/shared/notifications';
import type { BookingFacts } from './notification.repository.js';

/**
 * Why the customer's choices keep this message off `channel`, or undefined when it goes. An entry
 * kind (door PIN) goes by email whatever was chosen when SMS cannot carry it (no phone, SMS off).
 */
export function channelOffReason(
  f: Pick<BookingFacts, 'kind' | 'kindChannels' | 'preferences' | 'phone'>,
  channel: 'email' | 'sms',
): string | undefined {
  const channels = channelsFor(f.kindChannels, f.preferences);
  if (channels[channel]) return undefined;
  if (channel === 'email' && ENTRY_KINDS.has(f.kind) && !(channels.sms && f.phone)) return undefined;
  const name = channel === 'email' ? 'email' : 'SMS';
  return channelChoice(f.preferences)[channel]
    ? `the customer turned ${name} off for ${f.kind}`
    : `the customer turned ${name} off`;
}
