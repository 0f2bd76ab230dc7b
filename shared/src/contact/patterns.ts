/**
 * One address rule for every place that takes an email (TypeBox pattern and code): a local part of
 * the characters RFC 5322 allows unquoted, no leading, trailing or double dot, and a domain of
 * LDH labels ending in an alphabetic TLD. Quoted local parts and IP-literal domains are refused:
 * no customer has one, and mail servers reject many of them.
 */
export const STRICT_EMAIL_PATTERN =
  "^(?!\\.)(?!.*\\.\\.)[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}(?<!\\.)@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$";

/** A phone number as typed: digits with the usual separators, an optional leading +. */
export const PHONE_INPUT_PATTERN = '^\\+?[0-9 ().\\-]{3,30}$';
