import type { FastifyInstance } from 'fastify';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** 0 until answered, and for connections the simulator dropped. */
  status: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

/**
 * Remembers every request a simulator received (method, path, query, headers, parsed body,
 * status), so tests can assert on what a client really sent, e.g. that an unlock was not replayed.
 */
export class RequestRecorder {
  private entries: RecordedRequest[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  list(filter: { method?: string; path?: string | RegExp } = {}): RecordedRequest[] {
    return this.entries.filter((entry) => {
      if (filter.method && entry.method !== filter.method.toUpperCase()) return false;
      if (typeof filter.path === 'string' && entry.path !== filter.path) return false;
      if (filter.path instanceof RegExp && !filter.path.test(entry.path)) return false;
      return true;
    });
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * Install before the fault injector: a request is recorded when it arrives (so attempts that the
   * faults drop still count), and completed with its parsed body and status when answered.
   */
  install(app: FastifyInstance, skip: (url: string) => boolean): void {
    const open = new WeakMap<object, RecordedRequest>();
    app.addHook('onRequest', async (request) => {
      if (skip(request.url)) return;
      const entry: RecordedRequest = {
        method: request.method,
        path: request.url.split('?')[0] ?? request.url,
        query: { ...(request.query as Record<string, unknown>) },
        headers: { ...request.headers },
        body: undefined,
        status: 0,
        at: this.now(),
      };
      open.set(request, entry);
      this.entries.push(entry);
    });
    app.addHook('onResponse', async (request, reply) => {
      const entry = open.get(request);
      if (!entry) return;
      entry.body = request.body;
      entry.status = reply.statusCode;
    });
  }
}
