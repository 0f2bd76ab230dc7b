/**
 * Guest history stays with its guest record until someone proves they made it (a claim with the
 * booking code and PIN). `customers.email` is unique (seed schema) and guest checkout links by it,
 * so when an account is created for an email that already has a guest record, the guest record
 * gives the email up: it is re-keyed to `unclaimed:<its id>:<email>`. The account gets a fresh
 * record with the plain email; the guest record keeps its bookings, and its booker can still
 * find them by code and email (`emailMatches`).
 */
const PREFIX = 'unclaimed:';
const MAX_EMAIL_LENGTH = 255;

export function detachedGuestEmail(customerId: string, email: string): string {
  return `${PREFIX}${customerId}:${email}`.slice(0, MAX_EMAIL_LENGTH);
}

export const isDetachedGuestEmail = (stored: string) => stored.startsWith(PREFIX);

/** Whether `given` (already normalised) is the email this customer record was booked with. */
export function emailMatches(stored: string, customerId: string, given: string): boolean {
  return stored === given || stored === detachedGuestEmail(customerId, given);
}

/** The address the person really uses: what HubSpot and e-mails must see, detached or not. */
export function plainEmail(stored: string): string {
  if (!isDetachedGuestEmail(stored)) return stored;
  const rest = stored.slice(PREFIX.length);
  return rest.slice(rest.indexOf(':') + 1);
}
