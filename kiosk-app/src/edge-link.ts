export interface EdgeLinkOptions {
  edgeUrl: string;
  fetch: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean }>;
  onChange: (up: boolean) => void;
  /** Timers (injectable for tests). */
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  upEveryMs?: number;
  timeoutMs?: number;
}

/**
 * Watches the edge's `/health`: every `upEveryMs` while it answers, with backoff while it does not.
 * The main process reloads the renderer when the edge comes back, so a kiosk that booted before the
 * edge (or lost the LAN) heals on its own; meanwhile the renderer says it cannot reach the venue system.
 */
export function watchEdge(options: EdgeLinkOptions): { stop(): void; readonly up: boolean | null } {
  const every = options.upEveryMs ?? 10_000;
  let up: boolean | null = null;
  let handle: unknown = null;
  let stopped = false;
  let failures = 0;

  async function probe() {
    const controller = new AbortController();
    const timeout = options.setTimer(() => controller.abort(), options.timeoutMs ?? 3_000);
    let ok = false;
    try {
      ok = (await options.fetch(`${options.edgeUrl}/health`, { signal: controller.signal })).ok;
    } catch {
      ok = false;
    } finally {
      options.clearTimer(timeout);
    }
    if (stopped) return;
    if (ok !== up) {
      up = ok;
      options.onChange(ok);
    }
    failures = ok ? 0 : failures + 1;
    // Down: retry after 1 s, 2 s, 4 s … capped at 30 s, so a dead LAN is not hammered.
    const wait = ok ? every : Math.min(30_000, 1_000 * 2 ** Math.min(failures - 1, 5));
    handle = options.setTimer(() => void probe(), wait);
  }
  void probe();
  return {
    stop() {
      stopped = true;
      if (handle !== null) options.clearTimer(handle);
    },
    get up() {
      return up;
    },
  };
}
