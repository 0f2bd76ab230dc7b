import { describe, expect, it } from 'vitest';
import { kindForStatus, parseRetryAfter } from './failure.js';
import { backoffDelay, withRetry } from './retry.js';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelay', () => {
  it('grows exponentially under a ceiling, with full jitter', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('withRetry', () => {
  it('retries retryable failures, waiting the backoff or the server-given delay, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new Error('busy');
        if (calls === 2) throw Object.assign(new Error('limited'), { after: 700 });
        return 'ok';
      },
      policy,
      (error) => ({ retry: true, delayMs: (error as { after?: number }).after }),
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(waits[0]).toBeLessThan(100);
    expect(waits[1]).toBe(700);
  });

  it('stops at once on a non-retryable failure, and after the last retry', async () => {
    let calls = 0;
    const fail = () => {
      calls++;
      return Promise.reject(new Error(`fail ${calls}`));
    };
    await expect(
      withRetry(
        fail,
        policy,
        () => ({ retry: false }),
        async () => {},
      ),
    ).rejects.toThrow('fail 1');
    calls = 0;
    await expect(
      withRetry(
        fail,
        policy,
        () => ({ retry: true }),
        async () => {},
      ),
    ).rejects.toThrow('fail 4');
  });

  it('hands a server delay longer than maxDelayMs back to the caller instead of sleeping', async () => {
    let calls = 0;
    const waits: number[] = [];
    const run = withRetry(
      () => {
        calls++;
        return Promise.reject(new Error('later'));
      },
      policy,
      () => ({ retry: true, delayMs: 30_000 }),
      async (ms) => {
        waits.push(ms);
      },
    );
    await expect(run).rejects.toThrow('later');
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });
});

describe('failure classification', () => {
  it('maps statuses to kinds', () => {
    expect([401, 403, 404, 429, 400, 402, 422, 408, 500, 503].map(kindForStatus)).toEqual([
      'auth',
      'forbidden',
      'not_found',
      'rate_limited',
      'invalid',
      'invalid',
      'invalid',
      'unavailable',
      'unavailable',
      'unavailable',
    ]);
  });

  it('parses Retry-After as seconds or an HTTP date, ignoring garbage', () => {
    const now = Date.parse('2026-11-25T14:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 14:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 13:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
