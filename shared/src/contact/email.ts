import { STRICT_EMAIL_PATTERN } from './patterns.js';

const EMAIL = new RegExp(STRICT_EMAIL_PATTERN);

export { STRICT_EMAIL_PATTERN };

export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

/** The address trimmed and with its domain lower-cased, or why it is refused. */
export function normaliseEmail(input: string): EmailCheck {
  const typed = input.trim();
  if (typed.length > 255) return { ok: false, reason: 'is longer than 255 characters' };
  if (!EMAIL.test(typed)) return { ok: false, reason: 'is not a valid email address (name@domain.tld)' };
  const at = typed.lastIndexOf('@');
  return { ok: true, email: `${typed.slice(0, at)}@${typed.slice(at + 1).toLowerCase()}` };
}
