import { Client } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { emailFilter, sdkFailure, TOKEN, useHubspot } from '../testing/hubspot-client.js';

/** A hand-driven clock keeps the window tests exact on a busy machine. */
const suite = useHubspot({ startAt: '2026-11-25T15:00:00.000Z' });

const list = () => suite.client.crm.properties.coreApi.getAll('contacts');

describe('rate limits', () => {
  it('counts a rolling window, sends X-HubSpot-RateLimit-* headers, and answers 429 TEN_SECONDLY_ROLLING', async () => {
    suite.sim.control.setRateLimits({ tenSecondlyMax: 3 });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await suite.client.crm.properties.coreApi.getAllWithHttpInfo('contacts');
      expect(res.headers['x-hubspot-ratelimit-max']).toBe('3');
      expect(res.headers['x-hubspot-ratelimit-interval-milliseconds']).toBe('10000');
      remaining.push(res.headers['x-hubspot-ratelimit-remaining'] ?? '');
      suite.now += 3000;
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await sdkFailure(list());
    expect(refused.code).toBe(429);
    expect(refused.body).toMatchObject({
      status: 'error',
      category: 'RATE_LIMITS',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
    expect(refused.headers['x-hubspot-ratelimit-remaining']).toBe('0');
    suite.now += 1000; // the first request (10 s + 1 s ago) has left the rolling window
    await expect(list()).resolves.toBeDefined();
    expect((await sdkFailure(list())).code).toBe(429);
  });

  it('answers 429 DAILY once the day’s requests are used up', async () => {
    suite.sim.control.setRateLimits({ dailyMax: 10 });
    suite.sim.control.useDailyRequests(9);
    const res = await suite.client.crm.properties.coreApi.getAllWithHttpInfo('contacts');
    expect(res.headers['x-hubspot-ratelimit-daily-remaining']).toBe('0');
    const refused = await sdkFailure(list());
    expect(refused.code).toBe(429);
    expect(refused.body).toMatchObject({
      policyName: 'DAILY',
      message: 'You have reached your daily limit.',
    });
  });

  it('limits search to a few requests per second with HubSpot’s secondly message', async () => {
    suite.sim.control.setRateLimits({ searchPerSecond: 2 });
    await suite.client.crm.contacts.searchApi.doSearch(emailFilter('a@example.com'));
    await suite.client.crm.contacts.searchApi.doSearch(emailFilter('a@example.com'));
    const refused = await sdkFailure(
      suite.client.crm.contacts.searchApi.doSearch(emailFilter('a@example.com')),
    );
    expect(refused.code).toBe(429);
    expect(refused.body.message).toBe('You have reached your secondly limit.');
    await expect(list()).resolves.toBeDefined(); // other endpoints are not affected
    suite.now += 1001;
    await expect(
      suite.client.crm.contacts.searchApi.doSearch(emailFilter('a@example.com')),
    ).resolves.toBeDefined();
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => suite.sim.control.setRateLimits({ tenSecondlyMax: 0 })).toThrow(/tenSecondlyMax/);
  });
});

describe('faults', () => {
  it('down: the SDK sees a dropped connection, not an HTTP answer; then recovers', async () => {
    suite.sim.control.fault({ kind: 'down', count: 1 });
    const error = await list().then(
      () => null,
      (e: unknown) => e as { code?: unknown; message?: string },
    );
    expect(error).not.toBeNull();
    expect(typeof error?.code).not.toBe('number');
    expect(suite.sim.state.requests()).toMatchObject([{ status: 0 }]);
    await expect(list()).resolves.toBeDefined();
  });

  it('slow: answers after the delay', async () => {
    suite.sim.control.fault({ kind: 'slow', delayMs: 200, count: 1 });
    const t0 = performance.now();
    await list();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('5xx for a few requests; the SDK’s own retry gets through when asked to retry', async () => {
    suite.sim.control.fault({ kind: 'server_error', status: 503, count: 1 });
    const failure = await sdkFailure(list());
    expect(failure.code).toBe(503);
    expect(failure.body.status).toBe('error');
    suite.sim.control.fault({ kind: 'server_error', count: 1 });
    const retrying = new Client({ accessToken: TOKEN, basePath: suite.sim.url, numberOfApiCallRetries: 2 });
    await expect(retrying.crm.properties.coreApi.getAll('contacts')).resolves.toBeDefined();
    expect(suite.sim.state.requests().map((r) => r.status)).toEqual([503, 500, 200]);
  });

  it('429 storm with Retry-After (which the SDK hands back untouched) and without', async () => {
    suite.sim.control.fault({ kind: 'rate_limit_storm', retryAfterSeconds: 7, count: 2 });
    const first = await sdkFailure(list());
    expect(first.code).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(first.body.policyName).toBe('TEN_SECONDLY_ROLLING');
    expect((await sdkFailure(list())).code).toBe(429);
    suite.sim.control.fault({ kind: 'rate_limit_storm', policy: 'DAILY', count: 1 });
    const daily = await sdkFailure(list());
    expect(daily.headers['retry-after']).toBeUndefined();
    expect(daily.body.policyName).toBe('DAILY');
    await expect(list()).resolves.toBeDefined();
  });

  it('401 until cleared, even with the right token', async () => {
    suite.sim.control.fault({ kind: 'unauthorized' });
    expect((await sdkFailure(list())).body.category).toBe('INVALID_AUTHENTICATION');
    expect((await sdkFailure(list())).code).toBe(401);
    expect(suite.sim.control.faults()).toEqual([{ kind: 'unauthorized', remaining: null }]);
    suite.sim.control.clearFaults();
    await expect(list()).resolves.toBeDefined();
  });
});
