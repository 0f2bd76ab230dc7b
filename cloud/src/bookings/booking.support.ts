import type { BookingCustomerSchema } from '@clubos/shared/api';
import type { AvailabilityInput, BookingCheck } from '@clubos/shared/availability';
import { checkContact } from '@clubos/shared/contact';
import { badRequest, DomainError, forbidden, unauthorized } from '@clubos/shared/errors';
import type { Static } from '@sinclair/typebox';
import { canAccessCustomer, canManageFacility, type Principal } from '../auth/index.js';
import type { SlotAlternative } from '../availability/availability.service.js';
import type { GuestDetails, GuestUpsert } from '../availability/guest-upsert.js';
import { countsInTotals } from '../customers/customer-totals.js';
import { guestRecordFor } from '../customers/guest-customer.repository.js';
import type { Executor } from '../db/client.js';
import type { BookingRepository, BookingRow } from './booking.repository.js';

type BookingCustomer = Static<typeof BookingCustomerSchema>;

/**
 * A booking's customer block with its email and phone checked and normalised (E.164, read in
 * `region` without a +country): a bad one is a 400 naming `customer.phone`/`customer.email`
 * before anything is written.
 */
export function checkedCustomer(
  customer: BookingCustomer | undefined,
  region: string,
): BookingCustomer | undefined {
  if (!customer) return undefined;
  const { email, phone } = checkContact(customer, { region, prefix: 'customer' });
  const { phone: _typed, ...rest } = customer;
  return { ...rest, email: email ?? customer.email, ...(phone ? { phone } : {}) };
}

/** The largest buffer of the bay's rules: the database range must cover whatever the engine keeps free. */
export function bufferMinutesOf(input: AvailabilityInput, simulatorId: string): number {
  return input.rules
    .filter((r) => r.simulator_id === simulatorId)
    .reduce((m, r) => Math.max(m, r.buffer_time), 0);
}

/**
 * The sales channel: an edge sells walk-ins (docs/decisions/006-who-sells-which-time.md); everyone else is
 * online.
 */
export const channelOf = (principal: Principal | null) => (principal?.kind === 'edge' ? 'walk_in' : 'online');

export const sourceOf = (principal: Principal | null) =>
  principal?.kind === 'edge'
    ? 'kiosk'
    : principal?.kind === 'user' && principal.role !== 'customer'
      ? 'console'
      : 'web';

/**
 * Who the booking is for. A logged-in customer books for themself; staff, admins and edges book
 * for the customer in the body; an anonymous caller is a guest checkout and must give one.
 * Staff and edges may book only at their own facilities. `upserted`: the guest's record as
 * the availability check's read already upserted (`guestToUpsert`), so it is not written twice.
 */
export async function resolveCustomer(
  repo: BookingRepository,
  tx: Executor,
  principal: Principal | null,
  facilityId: string,
  customer: BookingCustomer | undefined,
  upserted?: GuestUpsert,
): Promise<string | null> {
  if (principal?.kind === 'user' && principal.role === 'customer') {
    if (!principal.customerId) throw forbidden('This account has no customer record');
    return principal.customerId;
  }
  if (principal && !canManageFacility(principal, facilityId)) {
    throw forbidden(`You may not book at facility ${facilityId}`);
  }
  if (!customer) {
    if (principal) return null;
    throw badRequest('customer', 'customer (email and name) is required for a guest checkout');
  }
  const details = guestDetails(customer);
  if (principal) return repo.upsertCustomer(tx, details);
  // An anonymous guest never books into an account's record (customers/guest-customer.repository.ts).
  // The upsert also says whether the record has an account, so the usual guest costs no round
  // trip of its own: the upsert rides along with the availability read (`guestToUpsert`).
  const { id, hasAccount } = upserted ?? (await repo.upsertGuestCustomer(tx, details));
  return hasAccount ? guestRecordFor(tx, id, details) : id;
}

const guestDetails = (customer: BookingCustomer): GuestDetails => ({
  email: customer.email.toLowerCase(),
  firstName: customer.first_name ?? null,
  lastName: customer.last_name ?? null,
  phone: customer.phone ?? null,
});

/**
 * For an anonymous guest checkout with details: the guest's customer upsert, for the availability
 * check to do in the statement of its read (`AvailabilityService.check` option `guest`). The record
 * is upserted whether or not the slot is free, as `resolveCustomer` always did after the check.
 * Hand the check's answer (`CheckResult.guest`) to `resolveCustomer` as `upserted`.
 */
export function guestToUpsert(
  principal: Principal | null,
  customer: BookingCustomer | undefined,
): GuestDetails | undefined {
  return principal || !customer ? undefined : guestDetails(customer);
}

const CONFLICT_REASONS = new Set(['conflict', 'closed', 'bay_maintenance', 'bay_inactive']);

/**
 * A refused slot: taken/closed/out of service → 409 SLOT_UNAVAILABLE; a request that breaks the
 * bay's rules (hours, grid, notice, horizon) → 422. Both carry the nearest alternatives.
 */
export function slotRefused(
  check: Extract<BookingCheck, { ok: false }>,
  alternatives: SlotAlternative[],
  conflicts?: unknown[],
): DomainError {
  const taken = CONFLICT_REASONS.has(check.reason);
  const field =
    check.reason === 'bay_maintenance' || check.reason === 'bay_inactive' ? 'simulator_id' : 'start_time';
  return new DomainError(taken ? 'SLOT_UNAVAILABLE' : 'UNPROCESSABLE', check.message, {
    field,
    extra: { alternatives, ...(conflicts ? { conflicts } : {}) },
  });
}

export function slotTaken(
  alternatives: SlotAlternative[],
  message: string,
  conflicts?: unknown[],
): DomainError {
  return new DomainError('SLOT_UNAVAILABLE', message, {
    field: 'start_time',
    extra: { alternatives, ...(conflicts ? { conflicts } : {}) },
  });
}

/** Reading a booking: its customer, staff of its facility, admins, its facility's edge. */
export function assertCanSee(principal: Principal | null, row: BookingRow): void {
  if (!principal) throw unauthorized();
  if (canManageFacility(principal, row.facilityId)) return;
  if (row.customerId && canAccessCustomer(principal, row.customerId)) return;
  // Same answer as a missing booking, so ids of other people's bookings are not confirmed.
  throw new DomainError('NOT_FOUND', `booking ${row.id} was not found`);
}

/**
 * A counted booking re-priced by a move (a peak hour, a member price, an edge's new price): its
 * customer's `total_spent_cents` takes the difference, so it stays what it would be had the
 * booking been made at the new price (a later refund is taken from that price). Every status past
 * `pending` was confirmed once and counted; a hold was not. `before` is the row as locked for the
 * move. Called after the bay and booking locks and before the change log, as in `writeAll` and a
 * cancellation: booking, then customer, then the log's counter.
 */
export async function carryRepricing(
  repo: BookingRepository,
  tx: Executor,
  before: BookingRow,
  after: BookingRow,
): Promise<void> {
  const delta = after.priceCents - before.priceCents;
  if (delta === 0 || !countsInTotals(before) || before.customerId === null) return;
  await repo.addCustomerTotals(tx, before.customerId, 0, delta);
}

/** Who a booking write is for and by: the customer, the signed-in user, the channel. */
export function madeBy(principal: Principal | null, customerId: string | null) {
  return {
    customerId,
    createdBy: principal?.kind === 'user' ? principal.userId : null,
    source: sourceOf(principal),
  };
}
