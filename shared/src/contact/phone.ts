import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

import { PHONE_INPUT_PATTERN } from './patterns.js';

export { PHONE_INPUT_PATTERN };

export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * A typed phone number as E.164 (+14165550123), read in `defaultRegion` when it has no +country.
 * Refused when libphonenumber's metadata says no such number can exist (wrong length, unassigned
 * prefix); the same check the SMS provider makes, so a bad number fails at booking, not at sending.
 */
export function normalisePhone(input: string, defaultRegion: string): PhoneCheck {
  const typed = input.trim();
  if (!new RegExp(PHONE_INPUT_PATTERN).test(typed)) {
    return {
      ok: false,
      reason: 'must be a phone number (digits, spaces, ( ) . - and an optional leading +)',
    };
  }
  const region = isSupportedCountry(defaultRegion) ? (defaultRegion as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(typed, region ? { defaultCountry: region } : {});
  if (!parsed) return { ok: false, reason: 'is not a phone number (add the +country code)' };
  if (!parsed.isValid()) {
    return { ok: false, reason: `is not a valid number${parsed.country ? ` in ${parsed.country}` : ''}` };
  }
  return { ok: true, e164: parsed.number };
}
