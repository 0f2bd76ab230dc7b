import { badRequest } from '../errors/index.js';
import { normaliseEmail } from './email.js';
import { normalisePhone } from './phone.js';

/**
 * A customer's contact details checked and normalised in one go, or a 400 naming the first bad
 * field (`customer.phone`, `email`…): callers check before writing anything, so nothing is stored
 * half-written. Absent or empty values stay null.
 */
export function checkContact(
  input: { email?: string | null | undefined; phone?: string | null | undefined },
  options: { region: string; prefix?: string },
): { email: string | null; phone: string | null } {
  const field = (name: string) => (options.prefix ? `${options.prefix}.${name}` : name);
  let email: string | null = null;
  if (input.email != null && input.email.trim() !== '') {
    const checked = normaliseEmail(input.email);
    if (!checked.ok) throw badRequest(field('email'), `${field('email')} ${checked.reason}`);
    email = checked.email;
  }
  let phone: string | null = null;
  if (input.phone != null && input.phone.trim() !== '') {
    const checked = normalisePhone(input.phone, options.region);
    if (!checked.ok) throw badRequest(field('phone'), `${field('phone')} ${checked.reason}`);
    phone = checked.e164;
  }
  return { email, phone };
}
