import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { customers, users } from '../db/schema/index.js';
import { detachedGuestEmail } from './guest-email.js';

/**
 * The record an anonymous guest checkout books under. Guest checkout links by email, but when that
 * email's record belongs to an account the booking must not land in it: signing up proved nothing
 * about the email, so whoever registered it first would see the guest's QR code and PIN. Such a
 * booking gets a guest record of its own (email re-keyed, see guest-email.ts); its booker finds it
 * by code and email and can claim it into the account with code and PIN.
 */
export async function guestRecordFor(
  tx: Executor,
  customerId: string,
  details: { email: string; firstName: string | null; lastName: string | null; phone: string | null },
): Promise<string> {
  const [account] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.customerId, customerId))
    .limit(1);
  if (!account) return customerId;
  const id = randomUUID();
  await tx.insert(customers).values({ ...details, id, email: detachedGuestEmail(id, details.email) });
  return id;
}
