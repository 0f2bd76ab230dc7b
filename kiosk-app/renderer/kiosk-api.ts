import type { ErrorEnvelope } from '@clubos/shared/http';
import type { KioskSettings } from './settings.js';

export interface Bay {
  simulator_id: string;
  name: string;
  bay_number: number | null;
  unavailable_reason: string | null;
}
export interface QuoteLine {
  kind: string;
  name: string;
  amount_cents: number;
  explanation: string;
}
export interface Quote {
  simulator_id: string;
  start_time: string;
  end_time: string;
  duration: number;
  lines: QuoteLine[];
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  price: string;
}
export interface Booking {
  id: string;
  simulator_id: string;
  reference_code: string;
  customer_name: string | null;
  start_time: string;
  end_time: string;
  duration: number;
  status: string;
  price: string;
  price_cents: number;
  provisional: boolean;
}
export interface WalkInResult {
  booking: Booking;
  mode: 'online' | 'offline' | 'provisional';
  provisional: boolean;
  message: string;
  total_cents: number;
  /** The signed door token (CB1) the QR code carries: the door scanners admit it, even offline. */
  qr_code: string;
  /** The six-digit door PIN for the keypads. */
  access_code: string;
  /** When the QR code and the PIN open doors (ISO instants). */
  valid_from: string;
  valid_until: string;
}
export interface SyncStatus {
  state: 'online' | 'offline' | 'disabled';
  last_successful_pull: string | null;
}

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
    bays: (duration: number) =>
      call<{ bays: Bay[]; timezone: string }>(`/availability?duration=${duration}`).then((r) => r),
    quote: (simulatorId: string, start: string, duration: number) =>
      call<Quote>('/quotes', {
        method: 'POST',
        body: { simulator_id: simulatorId, start_time: start, duration },
      }),
    walkIn: (simulatorId: string, start: string, duration: number, idempotencyKey: string) =>
      call<WalkInResult>('/walk-ins', {
        method: 'POST',
        body: { simulator_id: simulatorId, start_time: start, duration },
        idempotencyKey,
      }),
    lookup: (by: { code: string } | { qr: string }) =>
      call<Booking>(
        `/bookings/lookup?${'code' in by ? `code=${encodeURIComponent(by.code)}` : `qr=${encodeURIComponent(by.qr)}`}`,
      ),
    checkIn: (id: string, method: 'qr_code' | 'booking_code') =>
      call<Booking>(`/bookings/${id}/checkin`, { method: 'POST', body: { method } }),
    syncStatus: () => call<SyncStatus>('/sync/status'),
  };
}
export type KioskApi = ReturnType<typeof createKioskApi>;
