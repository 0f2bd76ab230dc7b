import { type HubspotApiError, rateLimitError } from './hubspot.errors.js';

/**
 * HubSpot's limits for a private app: a rolling window (190 requests per 10 s on Pro), a daily
 * cap, and the search endpoints' own few-per-second limit. Every admitted answer carries the
 * `X-HubSpot-RateLimit-*` headers so a client can pace itself before it is refused.
 */
export interface RateLimitSettings {
  /** Requests allowed in one rolling window (HubSpot: 190 Pro/Enterprise, 100 Free/Starter). */
  tenSecondlyMax: number;
  /** Length of the rolling window; HubSpot's is 10 000 ms, tests may shorten it. */
  intervalMs: number;
  /** Requests allowed per UTC day. */
  dailyMax: number;
  /** Search requests allowed per second (HubSpot: about 5). */
  searchPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  tenSecondlyMax: 190,
  intervalMs: 10_000,
  dailyMax: 500_000,
  searchPerSecond: 5,
};

export interface Admission {
  headers: Record<string, string>;
  error?: HubspotApiError;
}

function checkSettings(s: RateLimitSettings): void {
  for (const [name, value] of Object.entries(s)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`rate limit ${name} must be a positive integer, got ${value}`);
  }
}

export class HubspotRateLimiter {
  private window: number[] = [];
  private searches: number[] = [];
  private day = '';
  private usedToday = 0;
  private current: RateLimitSettings;

  constructor(
    settings: Partial<RateLimitSettings>,
    private readonly clock: () => number,
  ) {
    this.current = { ...DEFAULT_RATE_LIMITS, ...settings };
    checkSettings(this.current);
  }

  get settings(): RateLimitSettings {
    return { ...this.current };
  }

  configure(change: Partial<RateLimitSettings>): RateLimitSettings {
    const next = { ...this.current, ...change };
    checkSettings(next);
    this.current = next;
    return this.settings;
  }

  resetCounters(): void {
    this.window = [];
    this.searches = [];
    this.usedToday = 0;
  }

  /** Marks `count` requests as already used today (to test the daily limit without sending them). */
  useDaily(count: number): void {
    this.rollDay();
    this.usedToday += count;
  }

  admit(isSearch: boolean): Admission {
    const now = this.clock();
    this.rollDay();
    this.window = this.window.filter((t) => t > now - this.current.intervalMs);
    this.searches = this.searches.filter((t) => t > now - 1000);
    const { tenSecondlyMax, dailyMax, intervalMs } = this.current;
    const headers = (windowUsed: number, dailyUsed: number): Record<string, string> => ({
      'x-hubspot-ratelimit-interval-milliseconds': String(intervalMs),
      'x-hubspot-ratelimit-max': String(tenSecondlyMax),
      'x-hubspot-ratelimit-remaining': String(Math.max(0, tenSecondlyMax - windowUsed)),
      'x-hubspot-ratelimit-daily': String(dailyMax),
      'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, dailyMax - dailyUsed)),
    });
    if (this.usedToday >= dailyMax) {
      const h = headers(this.window.length, this.usedToday);
      return { headers: h, error: rateLimitError('DAILY', h) };
    }
    if (this.window.length >= tenSecondlyMax) {
      const h = headers(this.window.length, this.usedToday);
      return { headers: h, error: rateLimitError('TEN_SECONDLY_ROLLING', h) };
    }
    if (isSearch && this.searches.length >= this.current.searchPerSecond) {
      const h = headers(this.window.length, this.usedToday);
      return { headers: h, error: rateLimitError('SECONDLY', h) };
    }
    this.window.push(now);
    if (isSearch) this.searches.push(now);
    this.usedToday += 1;
    return { headers: headers(this.window.length, this.usedToday) };
  }

  private rollDay(): void {
    const day = new Date(this.clock()).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.usedToday = 0;
    }
  }
}
