import { describe, expect, it } from 'vitest';
import { GroupCommit, type Settled } from './group-commit.js';

/** A flush that records its batches and answers each request (odd numbers fail) when released. */
function recordingFlush() {
  const batches: { key: string; requests: number[] }[] = [];
  const releases: (() => void)[] = [];
  const flush = (key: string, requests: number[]) => {
    batches.push({ key, requests });
    return new Promise<Settled<string>[]>((resolve) => {
      releases.push(() =>
        resolve(
          requests.map((n) =>
            n % 2 === 1 ? { ok: false, error: new Error(`odd ${n}`) } : { ok: true, value: `even ${n}` },
          ),
        ),
      );
    });
  };
  return { batches, releases, flush };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes the requests of one event-loop turn together, per key, and answers each on its own', async () => {
    const { batches, releases, flush } = recordingFlush();
    const group = new GroupCommit(flush);
    const answers = [
      group.submit('a', 2),
      group.submit('a', 3),
      group.submit('b', 4),
      group.submit('a', 6),
    ].map((p) =>
      p.then(
        (value) => ({ value }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    await tick();
    expect(batches).toEqual([
      { key: 'a', requests: [2, 3, 6] },
      { key: 'b', requests: [4] },
    ]);
    for (const release of releases) release();
    expect(await Promise.all(answers)).toEqual([
      { value: 'even 2' },
      { error: 'odd 3' },
      { value: 'even 4' },
      { value: 'even 6' },
    ]);
  });

  it('queues what arrives while a batch is in flight and writes it as the next batch', async () => {
    const { batches, releases, flush } = recordingFlush();
    const group = new GroupCommit(flush);
    const first = group.submit('a', 2);
    await tick();
    const later = [group.submit('a', 4), group.submit('a', 8)];
    await tick();
    // One batch per key at a time: the later ones wait for the first to finish.
    expect(batches).toHaveLength(1);
    releases[0]!();
    expect(await first).toBe('even 2');
    while (batches.length < 2) await tick();
    expect(batches[1]).toEqual({ key: 'a', requests: [4, 8] });
    releases[1]!();
    expect(await Promise.all(later)).toEqual(['even 4', 'even 8']);
  });

  it('caps a batch at maxBatch and writes the rest next', async () => {
    const { batches, releases, flush } = recordingFlush();
    const group = new GroupCommit(flush, 2);
    const all = Promise.all([2, 4, 6, 8, 10].map((n) => group.submit('a', n)));
    for (let i = 0; i < 3; i++) {
      while (releases.length <= i) await tick();
      releases[i]!();
    }
    expect(await all).toHaveLength(5);
    expect(batches.map((b) => b.requests)).toEqual([[2, 4], [6, 8], [10]]);
  });

  it('a flush that throws fails its own batch only; the key keeps working', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(async (_key, requests) => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
      return requests.map((n) => ({ ok: true, value: n * 10 }));
    });
    const failed = Promise.allSettled([group.submit('a', 1), group.submit('a', 2)]);
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await group.submit('a', 3)).toBe(30);
  });
});
