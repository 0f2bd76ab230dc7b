import type { Booking, BookingLookupResponse, ManagedBooking } from '@clubos/shared/api';
import { api, newIdempotencyKey } from '../shared-ui/api.js';
import type { ReceiptItem } from './receipts-panel.js';

/** `CancellationResponseSchema`: what the cancel stored. */
export interface CancelResult {
  booking: Booking;
  refund_cents: number;
  policy: { rule: string; refund_percent: number; explanation: string };
}

/**
 * The guest manage routes: the manage token from a lookup travels in `X-Manage-Token` (it is not
 * a sign-in, so it never goes into the session store or the Authorization header).
 */
function call<T>(path: string, init: { method: 'GET' | 'POST'; token?: string; body?: unknown }) {
  return api<T>(path, {
    method: init.method,
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.token ? { headers: { 'x-manage-token': init.token } } : {}),
    ...(init.method === 'POST' ? { idempotencyKey: newIdempotencyKey() } : {}),
  });
}

export const lookupBooking = (body: { reference_code: string; email?: string; pin?: string }) =>
  call<BookingLookupResponse>('/bookings/lookup', { method: 'POST', body });

export const fetchManaged = (id: string, token: string) =>
  call<ManagedBooking>(`/bookings/${id}/manage`, { method: 'GET', token });

export const cancelManaged = (id: string, token: string) =>
  call<CancelResult>(`/bookings/${id}/manage/cancel`, {
    method: 'POST',
    token,
    body: { reason: 'cancelled by the guest online' },
  });

export const rescheduleManaged = (id: string, token: string, startTime: string) =>
  call<Booking>(`/bookings/${id}/manage/reschedule`, {
    method: 'POST',
    token,
    body: { start_time: startTime },
  });

export const fetchManagedReceipts = (id: string, token: string) =>
  call<{ receipts: ReceiptItem[] }>(`/bookings/${id}/receipts`, { method: 'GET', token });
