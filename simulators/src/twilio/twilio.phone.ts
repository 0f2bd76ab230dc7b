import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';

/** `+`, a country code and the number, 15 digits at most, no spaces or punctuation (E.164). */
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * What Twilio takes as a phone number in `To`/`From`: strict E.164 and a number that exists in
 * its country's numbering plan (libphonenumber's metadata, what the cloud normalises with), so a
 * wrongly normalised number fails here as it would at Twilio, with 21211.
 */
export function isSendableNumber(value: string): boolean {
  return E164.test(value) && isValidPhoneNumber(value);
}

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** ISO country of a number (`US`, `GB`...), or '' when the plan does not say; for `FromCountry`. */
export function countryOf(number: string): string {
  return parsePhoneNumberFromString(number)?.country ?? '';
}
