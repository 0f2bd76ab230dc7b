import type { TerminalPayment, WalkInDue } from '@clubos/shared/api/terminal.schemas';
import { DomainError, isErrorCode } from '@clubos/shared/errors';
import axios, { type AxiosInstance, isAxiosError } from 'axios';

/** The cloud could not be reached (or did not answer in time): the caller falls back to offline. */
export class CloudUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudUnreachable';
  }
}

/** The cloud's payment endpoints for walk-ins, as the edge uses them. */
export interface CloudPayments {
  start(body: {
    booking_id: string;
    amount_cents: number;
    purpose: 'walk_in' | 'settle';
  }): Promise<TerminalPayment>;
  status(paymentId: string): Promise<TerminalPayment>;
  capture(paymentId: string): Promise<TerminalPayment>;
  cancel(paymentId: string): Promise<TerminalPayment>;
  settle(
    bookingId: string,
    body: { amount_cents: number; method: 'cash' | 'card'; payment_id?: string; settled_by: string },
  ): Promise<WalkInDue>;
}

/**
 * `/api/v1/edge/terminal-payments` and `/api/v1/edge/walk-in-dues` with this edge's key. A refusal
 * of the cloud comes back as the same DomainError (code and message), so the kiosk shows the
 * cloud's reason; no answer is `CloudUnreachable`.
 */
export class CloudPaymentsClient implements CloudPayments {
  private readonly http: AxiosInstance;

  constructor(options: { baseUrl: string; edgeKey: string; requestTimeoutMs: number }) {
    this.http = axios.create({
      baseURL: `${options.baseUrl}/api/v1/edge`,
      headers: { authorization: `Edge ${options.edgeKey}` },
      timeout: options.requestTimeoutMs,
      maxRedirects: 0,
    });
  }

  start(body: { booking_id: string; amount_cents: number; purpose: 'walk_in' | 'settle' }) {
    return this.call<TerminalPayment>('post', '/terminal-payments', body);
  }
  status(paymentId: string) {
    return this.call<TerminalPayment>('get', `/terminal-payments/${encodeURIComponent(paymentId)}`);
  }
  capture(paymentId: string) {
    return this.call<TerminalPayment>('post', `/terminal-payments/${encodeURIComponent(paymentId)}/capture`);
  }
  cancel(paymentId: string) {
    return this.call<TerminalPayment>('post', `/terminal-payments/${encodeURIComponent(paymentId)}/cancel`);
  }
  settle(
    bookingId: string,
    body: { amount_cents: number; method: 'cash' | 'card'; payment_id?: string; settled_by: string },
  ) {
    return this.call<WalkInDue>('post', `/walk-in-dues/${encodeURIComponent(bookingId)}/settle`, body);
  }

  private async call<T>(method: 'get' | 'post', url: string, body?: object): Promise<T> {
    try {
      // A POST always carries a JSON body (the cloud refuses a form content type).
      const res = await this.http.request<T>({
        method,
        url,
        ...(method === 'post' ? { data: body ?? {} } : {}),
      });
      return res.data;
    } catch (error) {
      if (isAxiosError(error) && error.response && error.response.status < 500) {
        const answer = error.response.data as { error?: { code?: string; message?: string; field?: string } };
        const code = answer.error?.code;
        throw new DomainError(
          isErrorCode(code) ? code : 'UNPROCESSABLE',
          answer.error?.message ?? `the cloud refused the payment (${error.response.status})`,
          answer.error?.field ? { field: answer.error.field } : {},
        );
      }
      throw new CloudUnreachable(error instanceof Error ? error.message : String(error));
    }
  }
}
