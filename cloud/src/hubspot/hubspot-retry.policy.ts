/**
 * How the sync reacts to a failed HubSpot call. Pure: the worker passes the error, the clock
 * and a random source. Our outbox is the only retry layer (the SDK runs with
 * `numberOfApiCallRetries: 0`), so this is where 429 + Retry-After are honoured — the SDK itself
 * ignores Retry-After and daily-limit 429s.
 */
export type FailureClass =
  /** HubSpot refused for rate: nothing was processed. The whole sync pauses until `retryAfterMs`. */
  | { kind: 'rate_limited'; retryAfterMs: number; policy: string; message: string }
  /**
   * HubSpot is unreachable, timed out or failed on its side. The call may or may not have been
   * processed (`ambiguous`), so a create is reconciled before it is sent again. `counts` says
   * whether it brings the item closer to `failed` (a dead HubSpot is not the item's fault).
   */
  | { kind: 'unavailable'; ambiguous: boolean; counts: boolean; message: string }
  /** Our token or scopes are wrong: nothing will work until an operator acts; pause, keep items. */
  | { kind: 'auth'; message: string }
  /** HubSpot rejected this item (4xx): retrying the same request cannot succeed. */
  | { kind: 'rejected'; status: number; message: string };

export interface BackoffSettings {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 2_000, capMs: 15 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of
 * many items spread out without any of them coming back almost at once.
 */
export function backoffMs(
  failures: number,
  random: () => number,
  settings: BackoffSettings = DEFAULT_BACKOFF,
): number {
  const exp = Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

function untilNextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

/** The body of an SDK `ApiException` is the parsed HubSpot error envelope (or a string). */
function bodyOf(error: { body?: unknown }): { message?: string; policyName?: string; category?: string } {
  const body = error.body;
  if (body && typeof body === 'object') return body as { message?: string; policyName?: string };
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as { message?: string };
    } catch {
      return { message: body };
    }
  }
  return {};
}

/**
 * Classifies what the SDK threw: an `ApiException` (numeric `code` = HTTP status, `body`,
 * `headers`) or a transport error from node-fetch (string `code` such as ECONNREFUSED).
 */
export function classifyFailure(error: unknown, now: number): FailureClass {
  const e = (error ?? {}) as { code?: unknown; body?: unknown; headers?: unknown; message?: unknown };
  if (typeof e.code === 'number' && e.code >= 100) {
    const status = e.code;
    const body = bodyOf(e);
    const message = `HTTP ${status}${body.category ? ` ${body.category}` : ''}: ${body.message ?? 'no message'}`;
    if (status === 429) {
      const policy = body.policyName ?? 'UNKNOWN';
      const retryAfter = parseRetryAfter(header(e.headers, 'retry-after'), now);
      const interval = Number(header(e.headers, 'x-hubspot-ratelimit-interval-milliseconds'));
      const fallback =
        policy === 'DAILY'
          ? untilNextUtcMidnight(now)
          : policy === 'SECONDLY'
            ? 1_000
            : Number.isFinite(interval) && interval > 0
              ? interval
              : 10_000;
      return { kind: 'rate_limited', retryAfterMs: retryAfter ?? fallback, policy, message };
    }
    if (status === 401 || status === 403) return { kind: 'auth', message };
    if (status >= 500) return { kind: 'unavailable', ambiguous: true, counts: true, message };
    // 408 and 423 are HubSpot's "try again" 4xx; the rest mean the request itself is wrong.
    if (status === 408 || status === 423)
      return { kind: 'unavailable', ambiguous: true, counts: true, message };
    return { kind: 'rejected', status, message };
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  const text = typeof e.message === 'string' ? e.message : String(error);
  // Our open circuit breaker refused the call: nothing was sent, as with a refused connection.
  if (code === 'DEPENDENCY_UNAVAILABLE') {
    return { kind: 'unavailable', ambiguous: false, counts: false, message: text };
  }
  // Refused before anything was sent: certainly not processed, and not this item's fault.
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { kind: 'unavailable', ambiguous: false, counts: false, message: `HubSpot unreachable: ${text}` };
  }
  // Reset or timed out after the request left: HubSpot may have processed it.
  return { kind: 'unavailable', ambiguous: true, counts: false, message: `HubSpot did not answer: ${text}` };
}
