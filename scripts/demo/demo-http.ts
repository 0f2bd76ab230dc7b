/**
 * A small JSON client for the cloud's and the edge's HTTP APIs (global fetch): the demo seeds and
 * wires everything through the same public API a venue's admin would use.
 */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'ApiError';
  }
}

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** The whole Authorization header, e.g. `Bearer …`, `Edge …`, `Device …`. */
  auth?: string;
  headers?: Record<string, string>;
}

export interface Api {
  baseUrl: string;
  /** The parsed JSON body of a 2xx answer; throws ApiError otherwise. */
  json<T = Record<string, unknown>>(path: string, call?: ApiCall): Promise<T>;
  /** Status and parsed body whatever the status (for answers a caller expects to be refused). */
  raw<T = Record<string, unknown>>(path: string, call?: ApiCall): Promise<{ status: number; body: T }>;
}

export function api(baseUrl: string): Api {
  const raw = async <T>(path: string, call: ApiCall = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.auth !== undefined) headers.authorization = call.auth;
    const send = () =>
      fetch(`${baseUrl}${path}`, {
        method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
    let response = await send();
    // A cloud shedding load answers 503 + Retry-After (a busy laptop can trip it while the demo
    // starts): do as told, a few times, before giving up.
    for (
      let tries = 0;
      response.status === 503 && response.headers.has('retry-after') && tries < 10;
      tries++
    ) {
      const seconds = Math.min(Number(response.headers.get('retry-after')) || 1, 5);
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      response = await send();
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, body: body as T };
  };
  return {
    baseUrl,
    raw,
    async json<T>(path: string, call: ApiCall = {}) {
      const answer = await raw<T>(path, call);
      if (answer.status < 200 || answer.status > 299) {
        throw new ApiError(
          call.method ?? (call.body === undefined ? 'GET' : 'POST'),
          path,
          answer.status,
          answer.body,
        );
      }
      return answer.body;
    },
  };
}

/** Logs in to the cloud and returns the Authorization header value. */
export async function cloudLogin(cloud: Api, email: string, password: string): Promise<string> {
  const tokens = await cloud.json<{ access_token: string }>('/api/v1/auth/login', {
    body: { email, password },
  });
  return `Bearer ${tokens.access_token}`;
}
