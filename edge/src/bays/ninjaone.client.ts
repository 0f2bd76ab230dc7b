import type { AxiosInstance, AxiosResponse, Method } from 'axios';
import {
  classifyTransportError,
  type FailureKind,
  kindForStatus,
  parseRetryAfter,
  RETRYABLE_KINDS,
} from '../http/failure.js';
import { createHttpClient } from '../http/http-client.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from '../http/retry.js';

export type NinjaOneErrorKind = FailureKind;

export class NinjaOneError extends Error {
  override readonly name = 'NinjaOneError';
  constructor(
    readonly kind: NinjaOneErrorKind,
    message: string,
    readonly details: {
      operation: string;
      status?: number;
      resultCode?: string;
      incidentId?: string;
      retryAfterMs?: number;
    },
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

/** Epoch seconds, as NinjaOne sends them. */
export interface NinjaOneDevice {
  id: number;
  systemName: string;
  displayName?: string;
  nodeClass: string;
  offline: boolean;
  lastContact?: number;
  organizationId: number;
}

export interface NinjaOneScript {
  type: 'SCRIPT' | 'ACTION';
  id?: number;
  uid?: string;
  name: string;
}

export interface NinjaOneActivity {
  id: number;
  activityTime: number;
  deviceId: number;
  activityType: string;
  statusCode: string;
  activityResult?: 'SUCCESS' | 'FAILURE' | 'UNSUPPORTED' | 'UNCOMPLETED';
  sourceName?: string;
  message?: string;
  seriesUid?: string;
}

export interface NinjaOneAlert {
  uid: string;
  deviceId: number;
  message: string;
  sourceType: string;
  createTime: number;
}

export interface DeviceStatus {
  deviceId: number;
  systemName: string;
  online: boolean;
  /** Epoch milliseconds of the agent's last check-in. */
  lastContactAt: number | null;
  alerts: NinjaOneAlert[];
}

export interface ScriptRunRequest {
  deviceId: number;
  scriptId: number;
  scriptName: string;
  /** Epoch milliseconds when NinjaOne accepted the run. */
  requestedAt: number;
}

export interface NinjaOneClientOptions {
  /** Regional host, e.g. `https://eu.ninjarmm.com`. */
  baseUrl: string;
  /** `''` (default) calls `/v2/...`; `'/api'` calls `/api/v2/...`. */
  apiPrefix?: string;
  clientId: string;
  clientSecret: string;
  /**
   * From the one-time authorization_code consent. Without it the client uses client_credentials,
   * which cannot get the `control` scope, so script runs are refused.
   */
  refreshToken?: string;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Renew the access token this long before it expires, so a call never races the expiry. */
  refreshSkewMs?: number;
  now?: () => number;
  /** Called when NinjaOne hands back a different refresh token, which must then be stored. */
  onRefreshToken?: (refreshToken: string) => void;
}

interface Call {
  operation: string;
  method: Method;
  path: string;
  params?: Record<string, unknown>;
  body?: unknown;
  idempotent: boolean;
}

export class NinjaOneClient {
  private readonly http: AxiosInstance;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly tokenUrl: string;
  private refreshToken: string | undefined;
  private token: { value: string; renewAt: number } | null = null;
  private pendingToken: Promise<string> | null = null;
  private readonly scriptIds = new Map<string, NinjaOneScript>();

  constructor(private readonly options: NinjaOneClientOptions) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.http = createHttpClient({
      baseURL: `${base}${options.apiPrefix ?? ''}`,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    this.tokenUrl = `${base}/ws/oauth/token`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.refreshToken = options.refreshToken;
  }

  listDevices(query: { df?: string; pageSize?: number; after?: number } = {}): Promise<NinjaOneDevice[]> {
    return this.call({
      operation: 'listDevices',
      method: 'GET',
      path: '/v2/devices',
      params: query,
      idempotent: true,
    });
  }

  getDevice(deviceId: number): Promise<NinjaOneDevice> {
    return this.call({
      operation: 'getDevice',
      method: 'GET',
      path: `/v2/device/${deviceId}`,
      idempotent: true,
    });
  }

  /** Script ids are stable per tenant, so a name is looked up once and cached. */
  async findScriptByName(deviceId: number, name: string): Promise<NinjaOneScript> {
    const cached = this.scriptIds.get(name);
    if (cached) return cached;
    const options = await this.call<{ scripts?: NinjaOneScript[] }>({
      operation: 'findScriptByName',
      method: 'GET',
      path: `/v2/device/${deviceId}/scripting/options`,
      idempotent: true,
    });
    for (const script of options.scripts ?? [])
      if (script.type === 'SCRIPT') this.scriptIds.set(script.name, script);
    const found = this.scriptIds.get(name);
    if (!found) {
      throw new NinjaOneError('not_found', `findScriptByName: no script "${name}" on device ${deviceId}`, {
        operation: 'findScriptByName',
      });
    }
    return found;
  }

  /**
   * Starts a script; NinjaOne runs it asynchronously and reports into the device's activities.
   * Not retried on 5xx/timeouts (the run may have started); a 401 is refreshed and retried once.
   * An object of parameters is sent as JSON (the script reads it with ConvertFrom-Json).
   */
  async runScript(
    deviceId: number,
    scriptName: string,
    parameters: string | Record<string, unknown> = '',
  ): Promise<ScriptRunRequest> {
    if (!this.refreshToken) {
      throw new NinjaOneError(
        'forbidden',
        'runScript: needs the "control" scope, which client_credentials cannot get; configure a refresh token',
        { operation: 'runScript' },
      );
    }
    const script = await this.findScriptByName(deviceId, scriptName);
    const requestedAt = this.now();
    try {
      await this.call({
        operation: 'runScript',
        method: 'POST',
        path: `/v2/device/${deviceId}/script/run`,
        body: {
          type: 'SCRIPT',
          id: script.id,
          parameters: typeof parameters === 'string' ? parameters : JSON.stringify(parameters),
          runAs: 'system',
        },
        idempotent: false,
      });
    } catch (error) {
      // A script deleted or renumbered since we cached it: look it up again next time.
      if (error instanceof NinjaOneError && (error.kind === 'invalid' || error.kind === 'not_found'))
        this.scriptIds.delete(scriptName);
      throw error;
    }
    return { deviceId, scriptId: script.id ?? 0, scriptName, requestedAt };
  }

  async listActivities(
    deviceId: number,
    query: { activityType?: string; status?: string; pageSize?: number; newerThan?: number } = {},
  ): Promise<NinjaOneActivity[]> {
    const data = await this.call<{ activities?: NinjaOneActivity[] }>({
      operation: 'listActivities',
      method: 'GET',
      path: `/v2/device/${deviceId}/activities`,
      params: query,
      idempotent: true,
    });
    return data.activities ?? [];
  }

  /**
   * SUCCESS/FAILURE of a run once its completion is in the activities, else null (still running).
   * Matches the script name and a completion not older than the request (1 s tolerance for clocks).
   */
  async scriptRunResult(run: ScriptRunRequest): Promise<'SUCCESS' | 'FAILURE' | null> {
    const activities = await this.listActivities(run.deviceId, {
      activityType: 'ACTION',
      status: 'COMPLETED',
    });
    const done = activities.find(
      (a) =>
        a.sourceName === run.scriptName &&
        a.activityTime * 1000 >= run.requestedAt - 1_000 &&
        a.activityResult,
    );
    if (!done) return null;
    return done.activityResult === 'SUCCESS' ? 'SUCCESS' : 'FAILURE';
  }

  async deviceStatus(deviceId: number): Promise<DeviceStatus> {
    const device = await this.getDevice(deviceId);
    const alerts = await this.call<NinjaOneAlert[]>({
      operation: 'deviceStatus',
      method: 'GET',
      path: `/v2/device/${deviceId}/alerts`,
      idempotent: true,
    });
    return {
      deviceId: device.id,
      systemName: device.systemName,
      online: !device.offline,
      lastContactAt: typeof device.lastContact === 'number' ? Math.round(device.lastContact * 1000) : null,
      alerts,
    };
  }

  private call<T>(call: Call): Promise<T> {
    const attempt = () => this.authorized<T>(call);
    if (!call.idempotent) return attempt();
    return withRetry(attempt, this.retry, (error) =>
      error instanceof NinjaOneError && error.retryable
        ? { retry: true, delayMs: error.retryAfterMs }
        : { retry: false },
    );
  }

  /** On 401 the token is renewed once and the call repeated once (a 401 means it was not executed). */
  private async authorized<T>(call: Call): Promise<T> {
    const token = await this.accessToken();
    let response = await this.send(call, token);
    if (response.status === 401) {
      if (this.token?.value === token) this.token = null;
      response = await this.send(call, await this.accessToken());
    }
    if (response.status >= 200 && response.status < 300) return response.data as T;
    throw this.failure(call.operation, response);
  }

  private async send(call: Call, token: string): Promise<AxiosResponse> {
    try {
      return await this.http.request({
        method: call.method,
        url: call.path,
        params: call.params,
        data: call.body,
        headers: { authorization: `Bearer ${token}` },
      });
    } catch (error) {
      throw this.transportFailure(call.operation, error);
    }
  }

  private accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    // Concurrent calls share one token request.
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<string> {
    const form = new URLSearchParams({
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    if (this.refreshToken) {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', this.refreshToken);
    } else {
      form.set('grant_type', 'client_credentials');
      form.set('scope', 'monitoring management');
    }
    let response: AxiosResponse;
    try {
      response = await this.http.post(this.tokenUrl, form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    } catch (error) {
      throw this.transportFailure('token', error);
    }
    const body = (response.data ?? {}) as Record<string, unknown>;
    if (response.status !== 200 || typeof body.access_token !== 'string') {
      // invalid_grant/invalid_client (400/401): the stored credentials are no longer valid.
      const kind: NinjaOneErrorKind =
        response.status === 400 || response.status === 401 ? 'auth' : kindForStatus(response.status);
      throw new NinjaOneError(
        kind,
        `token: ${String(body.error ?? `HTTP ${response.status}`)} ${String(body.error_description ?? '')}`.trim(),
        {
          operation: 'token',
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.now()),
        },
      );
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    const skew = Math.min(this.options.refreshSkewMs ?? 60_000, lifetimeMs / 2);
    this.token = { value: body.access_token, renewAt: this.now() + lifetimeMs - skew };
    if (
      typeof body.refresh_token === 'string' &&
      body.refresh_token !== this.refreshToken &&
      this.refreshToken
    ) {
      this.refreshToken = body.refresh_token;
      this.options.onRefreshToken?.(body.refresh_token);
    }
    return body.access_token;
  }

  private failure(operation: string, response: AxiosResponse): NinjaOneError {
    const body = (response.data ?? {}) as {
      resultCode?: unknown;
      errorMessage?: unknown;
      incidentId?: unknown;
    };
    const resultCode = typeof body.resultCode === 'string' ? body.resultCode : undefined;
    const message = typeof body.errorMessage === 'string' ? body.errorMessage : `HTTP ${response.status}`;
    return new NinjaOneError(
      kindForStatus(response.status),
      `${operation}: ${resultCode ? `${resultCode}: ` : ''}${message}`,
      {
        operation,
        status: response.status,
        resultCode,
        incidentId: typeof body.incidentId === 'string' ? body.incidentId : undefined,
        retryAfterMs:
          response.status === 429 ? parseRetryAfter(response.headers['retry-after'], this.now()) : undefined,
      },
    );
  }

  private transportFailure(operation: string, error: unknown): unknown {
    const transport = classifyTransportError(error);
    return transport
      ? new NinjaOneError(transport.kind, `${operation}: ${transport.message}`, { operation })
      : error;
  }
}
