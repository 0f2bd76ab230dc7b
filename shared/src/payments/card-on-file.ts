import { formatMoney } from '../pricing/money.js';

/**
 * The words a customer accepts when saving a card for no-show fees: shown before the card page,
 * stored with the moment it was accepted (what the venue relies on when it charges off session).
 */
export function cardOnFileConsent(venueName: string, feeCents: number, currency: string): string {
  const fee = formatMoney(feeCents, currency.toUpperCase());
  return (
    `I authorise ${venueName} to save this card with Stripe and to charge it ${fee} if I do not ` +
    'show up for a booking I have not cancelled. I can remove the card at any time.'
  );
}
