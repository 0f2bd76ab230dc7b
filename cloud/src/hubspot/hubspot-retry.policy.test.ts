import { describe, expect, it } from 'vitest';
import { backoffMs, classifyFailure, parseRetryAfter } from './hubspot-retry.policy.js';

const NOW = Date.UTC(2026, 10, 25, 14, 30);
/** What the SDK throws for an HTTP error: `ApiException { code, body, headers }`. */
const apiError = (code: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body, headers });

describe('classifyFailure', () => {
  it('honours Retry-After on a 429 (the SDK ignores it)', () => {
    const failure = classifyFailure(
      apiError(
        429,
        { category: 'RATE_LIMITS', policyName: 'TEN_SECONDLY_ROLLING', message: 'limit' },
        { 'retry-after': '30' },
      ),
      NOW,
    );
    expect(failure).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      policy: 'TEN_SECONDLY_ROLLING',
    });
  });

  it('reads Retry-After given as an HTTP date', () => {
    const at = new Date(NOW + 45_000).toUTCString();
    expect(
      classifyFailure(apiError(429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': at }), NOW),
    ).toMatchObject({
      retryAfterMs: 45_000,
    });
  });

  it('falls back to the rolling window HubSpot announces, the secondly limit, or the next day', () => {
    const windowed = apiError(
      429,
      { policyName: 'TEN_SECONDLY_ROLLING' },
      { 'x-hubspot-ratelimit-interval-milliseconds': '10000' },
    );
    expect(classifyFailure(windowed, NOW)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 10_000 });
    expect(classifyFailure(apiError(429, { policyName: 'SECONDLY' }), NOW)).toMatchObject({
      retryAfterMs: 1_000,
    });
    expect(classifyFailure(apiError(429, { policyName: 'DAILY' }), NOW)).toMatchObject({
      retryAfterMs: Date.UTC(2026, 10, 26) - NOW,
    });
  });

  it('pauses on a bad token without failing items, and rejects other 4xx for good', () => {
    expect(
      classifyFailure(apiError(401, { category: 'INVALID_AUTHENTICATION', message: 'no' }), NOW).kind,
    ).toBe('auth');
    expect(classifyFailure(apiError(403, {}), NOW).kind).toBe('auth');
    const rejected = classifyFailure(
      apiError(400, { category: 'VALIDATION_ERROR', message: 'Property "x" does not exist' }),
      NOW,
    );
    expect(rejected).toMatchObject({ kind: 'rejected', status: 400 });
    expect(rejected.message).toContain('VALIDATION_ERROR');
  });

  it('treats a 5xx as ambiguous and counted, a refused connection as certain and uncounted', () => {
    expect(classifyFailure(apiError(502, {}), NOW)).toMatchObject({
      kind: 'unavailable',
      ambiguous: true,
      counts: true,
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
      type: 'system',
    });
    expect(classifyFailure(refused, NOW)).toMatchObject({
      kind: 'unavailable',
      ambiguous: false,
      counts: false,
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyFailure(reset, NOW)).toMatchObject({
      kind: 'unavailable',
      ambiguous: true,
      counts: false,
    });
    const timedOut = Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' });
    expect(classifyFailure(timedOut, NOW)).toMatchObject({ kind: 'unavailable', ambiguous: true });
  });

  it('parses an error body the SDK left as a string', () => {
    const raw = Object.assign(new Error('x'), { code: 429, body: '{"policyName":"SECONDLY"}', headers: {} });
    const failure = classifyFailure(raw, NOW);
    expect(failure).toMatchObject({ kind: 'rate_limited', policy: 'SECONDLY' });
  });
});

describe('backoffMs', () => {
  it('doubles per failure, keeps at least half the delay, and stops at the cap', () => {
    const settings = { baseMs: 1_000, capMs: 60_000 };
    expect(backoffMs(1, () => 0, settings)).toBe(500);
    expect(backoffMs(1, () => 1, settings)).toBe(1_000);
    expect(backoffMs(3, () => 0, settings)).toBe(2_000);
    expect(backoffMs(3, () => 1, settings)).toBe(4_000);
    expect(backoffMs(20, () => 1, settings)).toBe(60_000);
    expect(backoffMs(20, () => 0, settings)).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(' 5 ', NOW)).toBe(5_000);
  });
});
