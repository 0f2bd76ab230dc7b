import type {
  EdgeAvailability,
  EdgeBooking,
  Quote,
  SyncStatus,
  WalkInPaymentOffer,
  WalkInResult,
} from '@clubos/shared/api/edge-lan';
import type { TerminalPayment } from '@clubos/shared/api/terminal.schemas';
import type { ErrorEnvelope } from '@clubos/shared/http';
import type { KioskSettings } from './settings.js';

// The LAN API's own types, from the schemas the edge validates and documents with.
export type {
  EdgeBaySlots as Bay,
  EdgeBooking as Booking,
  Quote,
  SyncStatus,
  WalkInPaymentOffer,
  WalkInResult,
} from '@clubos/shared/api/edge-lan';
export type { TerminalPayment } from '@clubos/shared/api/terminal.schemas';

/** An answer the edge refused, with its message (shown to the customer as is: the edge words it). */
export class EdgeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function createKioskApi(settings: KioskSettings) {
  async function call<T>(
    path: string,
    init: { method?: string; body?: unknown; idempotencyKey?: string } = {},
  ) {
    const headers: Record<string, string> = {};
    if (settings.deviceKey !== '') headers.authorization = `Device ${settings.deviceKey}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey !== undefined) headers['idempotency-key'] = init.idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${settings.edgeUrl}/api/v1${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    } catch {
      throw new EdgeRefusal(
        0,
        'EDGE_UNREACHABLE',
        'The kiosk cannot reach the venue system. Please ask staff.',
      );
    }
    const data: unknown = await response.json().catch(() => ({}));
    if (!response.ok) {
      const refusal = (data as Partial<ErrorEnvelope>).error;
      throw new EdgeRefusal(
        response.status,
        refusal?.code ?? 'ERROR',
        refusal?.message ?? `the edge answered ${response.status}`,
      );
    }
    return data as T;
  }
  return {
    bays: (duration: number) => call<EdgeAvailability>(`/availability?duration=${duration}`).then((r) => r),
    quote: (simulatorId: string, start: string, duration: number) =>
      call<Quote>('/quotes', {
        method: 'POST',
        body: { simulator_id: simulatorId, start_time: start, duration },
      }),
    walkIn: (
      simulatorId: string,
      start: string,
      duration: number,
      idempotencyKey: string,
      paymentId?: string,
    ) =>
      call<WalkInResult>('/walk-ins', {
        method: 'POST',
        body: {
          simulator_id: simulatorId,
          start_time: start,
          duration,
          ...(paymentId === undefined ? {} : { payment_id: paymentId }),
        },
        idempotencyKey,
      }),
    /** How this walk-in pays: on the reader (started), "to collect" (offline) or not here. */
    payWalkIn: (simulatorId: string, start: string, duration: number) =>
      call<WalkInPaymentOffer>('/walk-ins/payments', {
        method: 'POST',
        body: { simulator_id: simulatorId, start_time: start, duration },
      }),
    payment: (id: string) => call<TerminalPayment>(`/walk-ins/payments/${id}`),
    cancelPayment: (id: string) =>
      call<TerminalPayment>(`/walk-ins/payments/${id}/cancel`, { method: 'POST', body: {} }),
    lookup: (by: { code: string } | { qr: string }) =>
      call<EdgeBooking>(
        `/bookings/lookup?${'code' in by ? `code=${encodeURIComponent(by.code)}` : `qr=${encodeURIComponent(by.qr)}`}`,
      ),
    checkIn: (id: string, method: 'qr_code' | 'booking_code') =>
      call<EdgeBooking>(`/bookings/${id}/checkin`, { method: 'POST', body: { method } }),
    syncStatus: () => call<SyncStatus>('/sync/status'),
  };
}
export type KioskApi = ReturnType<typeof createKioskApi>;
