import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { SyncPacer } from './hubspot-sync.pacer.js';

function recordingLog() {
  const lines: string[] = [];
  const log = {
    warn: (_: unknown, msg?: string) => lines.push(`warn ${msg ?? _}`),
    info: (msg: unknown) => lines.push(`info ${msg}`),
  } as unknown as FastifyBaseLogger;
  return { log, lines };
}

describe('SyncPacer', () => {
  const outage = {
    kind: 'unavailable',
    ambiguous: true,
    counts: false,
    message: 'HubSpot did not answer',
  } as const;

  it('pauses for Retry-After plus a little jitter on a 429', () => {
    let now = 1_000_000;
    const { log } = recordingLog();
    const pacer = new SyncPacer(
      log,
      () => now,
      () => 1,
      { baseMs: 1_000, capMs: 60_000 },
    );
    pacer.pauseFor({
      kind: 'rate_limited',
      retryAfterMs: 30_000,
      policy: 'TEN_SECONDLY_ROLLING',
      message: '429',
    });
    expect(pacer.resumeAt()).toBe(now + 30_250);
    now += 30_249;
    expect(pacer.isPaused()).toBe(true);
    now += 1;
    expect(pacer.isPaused()).toBe(false);
  });

  it('backs off longer with each outage and logs going down and coming back once each', () => {
    const now = 0;
    const { log, lines } = recordingLog();
    const pacer = new SyncPacer(
      log,
      () => now,
      () => 1,
      { baseMs: 1_000, capMs: 60_000 },
    );
    pacer.pauseFor(outage);
    expect(pacer.resumeAt()).toBe(1_000);
    pacer.pauseFor(outage);
    expect(pacer.resumeAt()).toBe(2_000);
    pacer.pauseFor(outage);
    expect(pacer.resumeAt()).toBe(4_000);
    expect(pacer.health()).toMatchObject({ available: false, lastError: 'HubSpot did not answer' });
    pacer.markAvailable();
    pacer.markAvailable();
    expect(pacer.health()).toMatchObject({ available: true, lastError: null });
    expect(lines).toEqual([
      'warn HubSpot unavailable: sync backing off',
      'info HubSpot reachable again: sync resumed',
    ]);
    pacer.pauseFor(outage);
    expect(pacer.resumeAt()).toBe(1_000); // the streak starts again
  });
});
