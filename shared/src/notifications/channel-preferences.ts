/** The channels a customer chose, from `preferences.notifications` (absent means yes). */
export interface ChannelChoice {
  email: boolean;
  sms: boolean;
}

export function channelChoice(preferences: Record<string, unknown> | null | undefined): ChannelChoice {
  const n = (preferences?.notifications ?? {}) as Record<string, unknown>;
  return { email: n.email !== false, sms: n.sms !== false };
}

/**
 * Why a preference change cannot be stored: the messages needed to get in (the confirmation with
 * the door PIN) must reach the customer by email or SMS, so both cannot be off.
 */
export function channelChoiceProblem(preferences: Record<string, unknown>): string | undefined {
  const { email, sms } = channelChoice(preferences);
  return email || sms
    ? undefined
    : 'notifications: email and sms cannot both be off (the door PIN must reach you by one of them)';
}
