/**
 * Stripe's test cards (docs.stripe.com/testing), by number and by PaymentMethod token, and what a
 * charge on each does. Any other Luhn-valid number is a "real card in test mode" and declines with
 * `test_mode_live_card`, as Stripe does.
 */
export type CardBehaviour =
  /** Charges succeed. */
  | 'succeed'
  /** Every charge declines (and, except `chargeCustomerFail`, the card cannot be saved). */
  | 'decline'
  /** 3-D Secure on every payment and every setup; off-session → `authentication_required`. */
  | 'authenticate_always'
  /** 3-D Secure on-session and on setup; off-session works once set up. */
  | 'authenticate_on_setup'
  /** Charges succeed; a refund turns `failed` shortly after it is created. */
  | 'refund_fails';

export interface TestCard {
  number: string;
  token: string | null;
  brand: 'visa' | 'mastercard' | 'amex';
  behaviour: CardBehaviour;
  /** For declines: the error code, decline code and message. */
  decline?: { code: string; declineCode?: string; message: string };
  /** A declining card that may still be attached to a Customer (every later charge declines). */
  attachable?: boolean;
}

const GENERIC = { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' };

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', token: 'pm_card_visa', brand: 'visa', behaviour: 'succeed' },
  { number: '5555555555554444', token: 'pm_card_mastercard', brand: 'mastercard', behaviour: 'succeed' },
  { number: '378282246310005', token: 'pm_card_amex', brand: 'amex', behaviour: 'succeed' },
  {
    number: '4000000000000002',
    token: 'pm_card_visa_chargeDeclined',
    brand: 'visa',
    behaviour: 'decline',
    decline: GENERIC,
  },
  {
    number: '4000000000009995',
    token: 'pm_card_visa_chargeDeclinedInsufficientFunds',
    brand: 'visa',
    behaviour: 'decline',
    decline: {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
  {
    number: '4000000000009987',
    token: 'pm_card_visa_chargeDeclinedLostCard',
    brand: 'visa',
    behaviour: 'decline',
    decline: { code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' },
  },
  {
    number: '4000000000000069',
    token: 'pm_card_chargeDeclinedExpiredCard',
    brand: 'visa',
    behaviour: 'decline',
    decline: { code: 'expired_card', message: 'Your card has expired.' },
  },
  {
    number: '4000000000000127',
    token: 'pm_card_chargeDeclinedIncorrectCvc',
    brand: 'visa',
    behaviour: 'decline',
    decline: { code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  },
  {
    number: '4000000000000341',
    token: 'pm_card_chargeCustomerFail',
    brand: 'visa',
    behaviour: 'decline',
    decline: GENERIC,
    attachable: true,
  },
  {
    number: '4000002760003184',
    token: 'pm_card_authenticationRequired',
    brand: 'visa',
    behaviour: 'authenticate_always',
  },
  {
    number: '4000000000003220',
    token: 'pm_card_threeDSecure2Required',
    brand: 'visa',
    behaviour: 'authenticate_always',
  },
  {
    number: '4000002500003155',
    token: 'pm_card_authenticationRequiredOnSetup',
    brand: 'visa',
    behaviour: 'authenticate_on_setup',
  },
  { number: '4000000000005126', token: 'pm_card_refundFail', brand: 'visa', behaviour: 'refund_fails' },
];

const LIVE_CARD = {
  code: 'card_declined',
  declineCode: 'test_mode_live_card',
  message:
    'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
};

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function brandOf(number: string): TestCard['brand'] {
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  return 'visa';
}

/** The card for a typed number (spaces allowed), or null when it is not a valid card number. */
export function cardForNumber(typed: string): TestCard | null {
  const number = typed.replace(/[\s-]/g, '');
  if (!luhnValid(number)) return null;
  return (
    TEST_CARDS.find((c) => c.number === number) ?? {
      number,
      token: null,
      brand: brandOf(number),
      behaviour: 'decline',
      decline: LIVE_CARD,
    }
  );
}

export function cardForToken(token: string): TestCard | undefined {
  return TEST_CARDS.find((c) => c.token === token);
}

export function isTestToken(id: string): boolean {
  return id.startsWith('pm_card_');
}
