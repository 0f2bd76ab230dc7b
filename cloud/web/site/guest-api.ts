import type { Booking, BookingLookupResponse, ManagedBooking } from '@clubos/shared/api';
import { ApiError, type ApiErrorBody, newIdempotencyKey } from '../shared-ui/api.js';

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
async function call<T>(path: string, init: { method: 'GET' | 'POST'; token?: string; body?: unknown }) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers['x-manage-token'] = init.token;
  if (init.method === 'POST') headers['idempotency-key'] = newIdempotencyKey();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'We could not reach the server. Check your connection and try again.',
      undefined,
      {},
    );
  }
  const json = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const body = (json ?? {}) as ApiErrorBody;
    throw new ApiError(
      response.status,
      body.error?.code ?? `HTTP_${response.status}`,
      body.error?.message ?? `The server answered ${response.status}.`,
      body.error?.field,
      body,
    );
  }
  return json as T;
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
