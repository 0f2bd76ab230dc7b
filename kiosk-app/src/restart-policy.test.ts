import { describe, expect, it } from 'vitest';
import { watchEdge } from './edge-link.js';
import { createRestartPolicy } from './restart-policy.js';

describe('renderer restart policy', () => {
  it('backs off exponentially up to the cap while crashes keep coming', () => {
    const p = createRestartPolicy({ baseMs: 1000, maxMs: 8000, stableMs: 60_000 });
    const delays = [0, 1, 2, 3, 4, 5].map((i) => p.onCrash(i * 1000));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(p.streak).toBe(6);
  });

  it('starts over after the renderer stayed up long enough', () => {
    const p = createRestartPolicy({ baseMs: 1000, maxMs: 8000, stableMs: 60_000 });
    p.onCrash(0);
    p.onCrash(1000);
    expect(p.onCrash(1000 + 60_000)).toBe(1000);
  });
});

describe('edge link watcher', () => {
  it('reports down and up once each, retrying with backoff while the edge is away', async () => {
    const timers: { fn: () => void; ms: number }[] = [];
    const answers = [false, false, true, true];
    const changes: boolean[] = [];
    const link = watchEdge({
      edgeUrl: 'http://edge',
      fetch: async () => {
        const ok = answers.shift();
        if (ok === undefined) throw new Error('no more answers');
        return { ok };
      },
      onChange: (up) => changes.push(up),
      setTimer: (fn, ms) => {
        timers.push({ fn, ms });
        return timers.length;
      },
      clearTimer: () => {},
      upEveryMs: 10_000,
    });
    const settle = () => new Promise((r) => setTimeout(r, 0));
    const retryDelays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await settle();
      // The last timer is the next probe (the ones before it are request timeouts).
      const next = timers[timers.length - 1]!;
      retryDelays.push(next.ms);
      next.fn();
    }
    link.stop();
    expect(changes).toEqual([false, true]);
    expect(retryDelays).toEqual([1000, 2000, 10_000, 10_000]);
  });
});
