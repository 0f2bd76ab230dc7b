import type { FastifyInstance } from 'fastify';

/** "The next `count` calls to METHOD path are performed, then their answer is lost." */
export interface DropSpec {
  method: string;
  /** Path under the developer API, without the query string (e.g. `/visitors`). */
  path: string;
  count: number;
}

/**
 * A lost answer: the controller performs the call (a visitor is created, a door unlocked) and the
 * connection then drops before the client reads the response, so the client sees a transport error
 * for a call that took effect. What a non-idempotent client call must survive without duplicating.
 */
export class ResponseDropper {
  private queue: DropSpec[] = [];

  add(spec: DropSpec): void {
    if (!Number.isInteger(spec.count) || spec.count < 1)
      throw new RangeError(`count must be a positive integer, got ${spec.count}`);
    this.queue.push({ ...spec, method: spec.method.toUpperCase() });
  }

  reset(): void {
    this.queue = [];
  }

  pending(): DropSpec[] {
    return this.queue.map((d) => ({ ...d }));
  }

  install(app: FastifyInstance, basePath: string): void {
    app.addHook('onSend', async (request, _reply, payload) => {
      const path = request.url.split('?')[0] ?? '';
      const index = this.queue.findIndex(
        (d) => d.method === request.method && `${basePath}${d.path}` === path,
      );
      const drop = this.queue[index];
      if (drop === undefined) return payload;
      drop.count -= 1;
      if (drop.count <= 0) this.queue.splice(index, 1);
      request.raw.socket.destroy();
      return payload;
    });
  }
}
