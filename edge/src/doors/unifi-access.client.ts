import type { AxiosInstance, AxiosResponse, Method } from 'axios';
import {
  classifyTransportError,
  type FailureKind,
  kindForStatus,
  parseRetryAfter,
  RETRYABLE_KINDS,
} from '../http/failure.js';
import { createHttpClient, type TlsOptions } from '../http/http-client.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from '../http/retry.js';

export type UnifiErrorKind = FailureKind;

/** Envelope codes that say more than the HTTP status (the controller may answer 200 with an error code). */
const CODE_KINDS: Record<string, UnifiErrorKind> = {
  CODE_AUTH_FAILED: 'auth',
  CODE_ACCESS_TOKEN_INVALID: 'auth',
  CODE_UNAUTHORIZED: 'forbidden',
  CODE_OPERATION_FORBIDDEN: 'forbidden',
  CODE_RESOURCE_NOT_FOUND: 'not_found',
  CODE_NOT_EXISTS: 'not_found',
  CODE_SYSTEM_ERROR: 'unavailable',
  CODE_DEVICE_DEVICE_OFFLINE: 'unavailable',
  CODE_DEVICE_DEVICE_BUSY: 'unavailable',
};

export class UnifiError extends Error {
  override readonly name = 'UnifiError';
  constructor(
    readonly kind: UnifiErrorKind,
    message: string,
    readonly details: { status?: number; code?: string; retryAfterMs?: number; operation: string },
  ) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE_KINDS.has(this.kind);
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}

export interface UnifiDoor {
  id: string;
  name: string;
  full_name: string;
  floor_id: string;
  type: string;
  is_bind_hub: boolean;
  door_lock_relay_status: 'lock' | 'unlock';
  door_position_status: 'open' | 'close' | 'none' | '' | null;
}

export interface UnifiEmergency {
  lockdown: boolean;
  evacuation: boolean;
}

export interface UnifiResource {
  id: string;
  type: 'door' | 'door_group';
}

/** Times are Unix seconds, as the controller takes them. */
export interface UnifiVisitorInput {
  first_name: string;
  last_name: string;
  start_time: number;
  end_time: number;
  visit_reason?: 'Interview' | 'Business' | 'Cooperation' | 'Others';
  remarks?: string;
  email?: string;
  mobile_phone?: string;
  resources?: UnifiResource[];
}

export interface UnifiVisitor {
  id: string;
  first_name: string;
  last_name: string;
  start_time: number;
  end_time: number;
  status: string;
  remarks?: string;
  resources: Array<UnifiResource & { name?: string }>;
  pin_code: { token: string } | null;
}

/** A webhook subscription (Access ≥ 2.2.10); `secret` signs every delivery. */
export interface UnifiWebhookEndpoint {
  id: string;
  name: string;
  endpoint: string;
  events: string[];
  secret: string;
  headers?: Record<string, string>;
}

export interface UnifiWebhookInput {
  name: string;
  endpoint: string;
  events: string[];
}

export interface UnifiLogHit {
  '@timestamp': string;
  _id: string;
  _source: {
    actor: { id: string; type: string; display_name: string };
    event: { type: string; display_message: string; result: string; published: number; reason?: string };
    authentication?: { credential_provider: string; issuer: string };
    target?: Array<{ type: string; id: string; display_name: string }>;
  };
  tag?: string;
}

export interface UnifiLogQuery {
  topic: 'all' | 'door_openings' | 'critical' | 'updates' | 'device_events' | 'admin_activity' | 'visitor';
  since?: number;
  until?: number;
  actorId?: string;
  pageNum?: number;
  pageSize?: number;
}

export interface UnifiAccessClientOptions {
  /** e.g. `https://192.168.1.20:12445` (the client adds `/api/v1/developer`). */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  tls?: TlsOptions;
  retry?: Partial<RetryPolicy>;
}

interface Call {
  operation: string;
  method: Method;
  path: string;
  body?: unknown;
  params?: Record<string, unknown>;
  /** Only calls that are safe to repeat are retried (never an unlock, never a create). */
  idempotent: boolean;
}

export class UnifiAccessClient {
  private readonly http: AxiosInstance;
  private readonly retry: RetryPolicy;

  constructor(options: UnifiAccessClientOptions) {
    this.http = createHttpClient({
      baseURL: `${options.baseUrl.replace(/\/+$/, '')}/api/v1/developer`,
      timeoutMs: options.timeoutMs ?? 5_000,
      tls: options.tls,
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  listDoors(): Promise<UnifiDoor[]> {
    return this.call({ operation: 'listDoors', method: 'GET', path: '/doors', idempotent: true });
  }

  getDoor(doorId: string): Promise<UnifiDoor> {
    return this.call({
      operation: 'getDoor',
      method: 'GET',
      path: `/doors/${encodeURIComponent(doorId)}`,
      idempotent: true,
    });
  }

  /**
   * Momentary remote unlock. Never retried or replayed: a timed-out unlock may have opened the door,
   * and opening it again later (after a reconnect) would admit someone at the wrong moment.
   */
  async unlockDoor(
    doorId: string,
    actor?: { id: string; name: string },
    extra?: Record<string, unknown>,
  ): Promise<void> {
    await this.call({
      operation: 'unlockDoor',
      method: 'PUT',
      path: `/doors/${encodeURIComponent(doorId)}/unlock`,
      body: { ...(actor ? { actor_id: actor.id, actor_name: actor.name } : {}), ...(extra ? { extra } : {}) },
      idempotent: false,
    });
  }

  getEmergency(): Promise<UnifiEmergency> {
    return this.call({
      operation: 'getEmergency',
      method: 'GET',
      path: '/doors/settings/emergency',
      idempotent: true,
    });
  }

  async setEmergency(settings: UnifiEmergency): Promise<void> {
    await this.call({
      operation: 'setEmergency',
      method: 'PUT',
      path: '/doors/settings/emergency',
      body: settings,
      idempotent: true,
    });
  }

  /**
   * Not retried: a lost answer after a successful create would create a second visitor (callers
   * look for their own visitor with `searchVisitors` before creating again).
   */
  createVisitor(input: UnifiVisitorInput): Promise<UnifiVisitor> {
    return this.call({
      operation: 'createVisitor',
      method: 'POST',
      path: '/visitors',
      body: { visit_reason: 'Others', ...input },
      idempotent: false,
    });
  }

  updateVisitor(visitorId: string, patch: Partial<UnifiVisitorInput>): Promise<UnifiVisitor> {
    return this.call({
      operation: 'updateVisitor',
      method: 'PUT',
      path: `/visitors/${encodeURIComponent(visitorId)}`,
      body: patch,
      idempotent: true,
    });
  }

  /** Every visitor on the controller, every page (what a controller check compares with). */
  listVisitors(pageSize = 100): Promise<UnifiVisitor[]> {
    return this.searchVisitors('', pageSize);
  }

  /**
   * Visitors whose first or last name starts with `keyword` (the API's only search; it ignores the
   * status filter when a keyword is given), every page. An empty keyword lists them all.
   */
  async searchVisitors(keyword: string, pageSize = 100): Promise<UnifiVisitor[]> {
    const found: UnifiVisitor[] = [];
    for (let page = 1; page <= 50; page++) {
      const batch = await this.call<UnifiVisitor[]>({
        operation: 'searchVisitors',
        method: 'GET',
        path: '/visitors',
        params: { ...(keyword ? { keyword } : {}), page_num: page, page_size: pageSize },
        idempotent: true,
      });
      found.push(...(batch ?? []));
      if ((batch ?? []).length < pageSize) break;
    }
    return found;
  }

  getVisitor(visitorId: string): Promise<UnifiVisitor> {
    return this.call({
      operation: 'getVisitor',
      method: 'GET',
      path: `/visitors/${encodeURIComponent(visitorId)}`,
      idempotent: true,
    });
  }

  /** Cancels the visitor (its PIN stops working); `force` removes it entirely. */
  async deleteVisitor(visitorId: string, options: { force?: boolean } = {}): Promise<void> {
    await this.call({
      operation: 'deleteVisitor',
      method: 'DELETE',
      path: `/visitors/${encodeURIComponent(visitorId)}`,
      params: options.force ? { is_force: 'true' } : undefined,
      idempotent: true,
    });
  }

  generatePin(): Promise<string> {
    return this.call({
      operation: 'generatePin',
      method: 'POST',
      path: '/credentials/pin_codes',
      idempotent: true,
    });
  }

  async assignPin(visitorId: string, pin: string): Promise<void> {
    await this.call({
      operation: 'assignPin',
      method: 'PUT',
      path: `/visitors/${encodeURIComponent(visitorId)}/pin_codes`,
      body: { pin_code: pin },
      idempotent: true,
    });
  }

  listWebhookEndpoints(): Promise<UnifiWebhookEndpoint[]> {
    return this.call({
      operation: 'listWebhookEndpoints',
      method: 'GET',
      path: '/webhooks/endpoints',
      idempotent: true,
    });
  }

  /** Not retried: a lost answer would leave a second subscription (callers list first). */
  createWebhookEndpoint(input: UnifiWebhookInput): Promise<UnifiWebhookEndpoint> {
    return this.call({
      operation: 'createWebhookEndpoint',
      method: 'POST',
      path: '/webhooks/endpoints',
      body: input,
      idempotent: false,
    });
  }

  updateWebhookEndpoint(id: string, input: UnifiWebhookInput): Promise<UnifiWebhookEndpoint> {
    return this.call({
      operation: 'updateWebhookEndpoint',
      method: 'PUT',
      path: `/webhooks/endpoints/${encodeURIComponent(id)}`,
      body: input,
      idempotent: true,
    });
  }

  /** One page of logs, newest first; reading is safe to retry although the API uses POST. */
  async fetchSystemLogs(query: UnifiLogQuery): Promise<{ hits: UnifiLogHit[]; total: number; page: number }> {
    const data = await this.call<{ hits: UnifiLogHit[]; total: number; page: number }>({
      operation: 'fetchSystemLogs',
      method: 'POST',
      path: '/system/logs',
      params: { page_num: query.pageNum ?? 1, page_size: query.pageSize ?? 25 },
      body: {
        topic: query.topic,
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.until !== undefined ? { until: query.until } : {}),
        ...(query.actorId !== undefined ? { actor_id: query.actorId } : {}),
      },
      idempotent: true,
    });
    return { hits: data.hits ?? [], total: data.total ?? 0, page: data.page ?? query.pageNum ?? 1 };
  }

  private call<T>(call: Call): Promise<T> {
    const attempt = () => this.once<T>(call);
    if (!call.idempotent) return attempt();
    return withRetry(attempt, this.retry, (error) =>
      error instanceof UnifiError && error.retryable
        ? { retry: true, delayMs: error.retryAfterMs }
        : { retry: false },
    );
  }

  private async once<T>(call: Call): Promise<T> {
    let response: AxiosResponse;
    try {
      // A bodiless POST still carries `{}` so it goes out as JSON, never as axios' default form type.
      const data = call.body ?? (call.method === 'POST' ? {} : undefined);
      response = await this.http.request({ method: call.method, url: call.path, data, params: call.params });
    } catch (error) {
      const transport = classifyTransportError(error);
      if (transport)
        throw new UnifiError(transport.kind, `${call.operation}: ${transport.message}`, {
          operation: call.operation,
        });
      throw error;
    }
    const body = response.data as { code?: unknown; msg?: unknown; data?: unknown } | undefined;
    const code = typeof body?.code === 'string' ? body.code : undefined;
    const msg = typeof body?.msg === 'string' ? body.msg : '';
    if (response.status >= 200 && response.status < 300 && code === 'SUCCESS') return body?.data as T;

    const status = response.status;
    const retryAfterMs = status === 429 ? parseRetryAfter(response.headers['retry-after']) : undefined;
    const byStatus = status >= 300 ? kindForStatus(status) : undefined;
    const byCode = code ? CODE_KINDS[code] : undefined;
    // The status decides, except that a 2xx or a generic 400/402 carries its meaning in the code only.
    const kind: UnifiErrorKind = byStatus && byStatus !== 'invalid' ? byStatus : (byCode ?? 'invalid');
    const what = code ? `${code}${msg ? `: ${msg}` : ''}` : `HTTP ${status} without a UniFi envelope`;
    throw new UnifiError(kind, `${call.operation}: ${what}`, {
      status,
      code,
      retryAfterMs,
      operation: call.operation,
    });
  }
}
