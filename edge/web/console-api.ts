import type {
  Alert,
  AuditEntry,
  Board,
  DoorDecision,
  EdgeBooking,
  Emergency,
  Quote,
  SyncStatus,
  Unlock,
  WalkInDueItem,
  WalkInPaymentOffer,
  WalkInResult,
} from '@clubos/shared/api/edge-lan';
import type { TerminalPayment } from '@clubos/shared/api/terminal.schemas';
import type { ErrorEnvelope } from '@clubos/shared/http';

// The LAN API's own types, from the schemas the edge validates and documents with.
export type {
  Alert,
  AuditEntry,
  Board,
  BoardBay,
  DoorDecision,
  EdgeBooking as Booking,
  Emergency,
  Quote,
  SyncStatus,
  WalkInDueItem,
  WalkInResult,
} from '@clubos/shared/api/edge-lan';
export type { TerminalPayment } from '@clubos/shared/api/terminal.schemas';

/** A refusal in the LAN API's envelope: its catalogue code, message and the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'clubos.console.token';
export const savedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string | null) =>
  token === null ? sessionStorage.removeItem(TOKEN_KEY) : sessionStorage.setItem(TOKEN_KEY, token);

async function call<T>(
  token: string | null,
  path: string,
  method = 'GET',
  body?: unknown,
  key?: string,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key !== undefined) headers['idempotency-key'] = key;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const refusal = (data as Partial<ErrorEnvelope>).error;
    throw new ApiError(
      response.status,
      refusal?.code ?? `HTTP_${response.status}`,
      refusal?.message ?? `error ${response.status}`,
      refusal?.field,
    );
  }
  return data as T;
}

export async function login(username: string, password: string): Promise<string> {
  return (await call<{ token: string }>(null, '/auth/login', 'POST', { username, password })).token;
}

export function consoleApi(token: string) {
  return {
    board: () => call<Board>(token, '/console/board'),
    audit: () => call<{ entries: AuditEntry[] }>(token, '/console/audit?limit=30'),
    alerts: () => call<{ alerts: Alert[] }>(token, '/alerts'),
    acknowledge: (id: number) => call<Alert>(token, `/alerts/${id}/acknowledge`, 'POST'),
    sync: () => call<SyncStatus>(token, '/sync/status'),
    attention: () => call<{ bookings: EdgeBooking[] }>(token, '/walk-ins/attention'),
    quote: (simulatorId: string, start: string, duration: number) =>
      call<Quote>(token, '/quotes', 'POST', { simulator_id: simulatorId, start_time: start, duration }),
    walkIn: (
      simulatorId: string,
      start: string,
      duration: number,
      firstName: string,
      key: string,
      paymentId?: string,
    ) =>
      call<WalkInResult>(
        token,
        '/walk-ins',
        'POST',
        {
          simulator_id: simulatorId,
          start_time: start,
          duration,
          ...(firstName === '' ? {} : { customer: { first_name: firstName } }),
          ...(paymentId === undefined ? {} : { payment_id: paymentId }),
        },
        key,
      ),
    /** How a walk-in pays at this venue; `reader` has started the card reader. */
    payWalkIn: (simulatorId: string, start: string, duration: number) =>
      call<WalkInPaymentOffer>(token, '/walk-ins/payments', 'POST', {
        simulator_id: simulatorId,
        start_time: start,
        duration,
      }),
    lookup: (code: string) => call<EdgeBooking>(token, `/bookings/lookup?code=${encodeURIComponent(code)}`),
    checkIn: (id: string) => call<EdgeBooking>(token, `/bookings/${id}/checkin`, 'POST', { method: 'staff' }),
    emergency: () => call<Emergency>(token, '/doors/emergency'),
    setEmergency: (mode: 'normal' | 'lockdown' | 'evacuation') =>
      call<Emergency>(token, '/doors/emergency', 'POST', { mode }),
    openDoor: (doorId: string, pin: string) =>
      call<DoorDecision>(token, `/doors/${encodeURIComponent(doorId)}/decisions`, 'POST', { pin }),
    unlockDoor: (doorId: string, reason: string) =>
      call<Unlock>(
        token,
        `/doors/${encodeURIComponent(doorId)}/unlock`,
        'POST',
        reason === '' ? {} : { reason },
      ),
    logout: () => call<void>(token, '/auth/logout', 'POST'),
    /** Walk-ins sold offline that still owe their price, and their settlement at the desk. */
    dues: () => call<{ dues: WalkInDueItem[] }>(token, '/walk-ins/dues'),
    startCardSettlement: (bookingId: string) =>
      call<TerminalPayment>(token, `/walk-ins/dues/${bookingId}/card`, 'POST', {}),
    payment: (id: string) => call<TerminalPayment>(token, `/walk-ins/payments/${id}`),
    settle: (bookingId: string, method: 'cash' | 'card', paymentId?: string) =>
      call<{ booking_id: string; method: string }>(token, `/walk-ins/dues/${bookingId}/settle`, 'POST', {
        method,
        ...(paymentId === undefined ? {} : { payment_id: paymentId }),
      }),
  };
}
export type ConsoleApi = ReturnType<typeof consoleApi>;

/** Amounts as every face prints them ('-$4.50', '$1,234.50'). */
export { formatMoney as money } from '@clubos/shared/pricing';
export const clock = (iso: string, timezone: string | undefined) =>
  new Date(iso).toLocaleTimeString('en-CA', {
    hour: 'numeric',
    minute: '2-digit',
    ...(timezone ? { timeZone: timezone } : {}),
  });
export const startNow = (now = Date.now()) =>
  new Date(Math.ceil((now + 1000) / 60_000) * 60_000).toISOString();
/** Polls a reader payment until the card is accepted or refused. */
export async function awaitCard(api: ConsoleApi, payment: TerminalPayment): Promise<TerminalPayment> {
  let current = payment;
  while (current.status === 'waiting') {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    current = await api.payment(current.payment_id);
  }
  return current;
}
export const newKey = () =>
  typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
