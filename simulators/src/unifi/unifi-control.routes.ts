import type { FastifyInstance } from 'fastify';
import type { FaultSpec } from '../http/fault-injector.js';
import type { UnifiControl } from './unifi.simulator.js';
import { UnifiApiError } from './unifi.types.js';

const bad = (message: string) => new UnifiApiError(400, 'CODE_PARAMS_INVALID', message);

/** Test-only API under `/__control`: the same operations as the in-process `control` object. */
export function registerUnifiControlRoutes(app: FastifyInstance, control: UnifiControl): void {
  app.get('/__control/unlocks', async () => ({ unlocks: control.unlocks() }));

  app.get('/__control/requests', async () => ({ requests: control.requests() }));

  app.get('/__control/webhook-deliveries', async () => {
    await control.flushWebhooks();
    return { deliveries: control.webhookDeliveries() };
  });

  app.post<{ Params: { id: string }; Body: { pin?: unknown; at?: unknown } }>(
    '/__control/doors/:id/pin',
    async (request) => {
      const { pin, at } = request.body ?? {};
      if (typeof pin !== 'string') throw bad('pin: required string');
      if (at !== undefined && (typeof at !== 'number' || !Number.isInteger(at)))
        throw bad('at: Unix seconds');
      return control.enterPin(request.params.id, pin, at as number | undefined);
    },
  );

  app.post<{ Params: { id: string }; Body: { event?: unknown } }>(
    '/__control/doors/:id/position',
    async (request) => {
      const event = request.body?.event;
      if (event !== 'forced_open' && event !== 'held_open' && event !== 'close') {
        throw bad('event: one of forced_open, held_open, close');
      }
      control.doorPosition(request.params.id, event);
      return { ok: true };
    },
  );

  app.post<{ Body: { token?: unknown } }>('/__control/tokens/expire', async (request) => {
    const token = request.body?.token;
    if (token !== undefined && typeof token !== 'string') throw bad('token: string');
    control.expireToken(token as string | undefined);
    return { ok: true };
  });

  app.get('/__control/faults', async () => control.faults.snapshot());

  app.post<{ Body: { method?: unknown; path?: unknown; count?: unknown } }>(
    '/__control/drop-responses',
    async (request) => {
      const { method, path, count } = request.body ?? {};
      if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) throw bad('method: e.g. POST');
      if (typeof path !== 'string' || !path.startsWith('/')) throw bad('path: e.g. /visitors');
      if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
        throw bad('count: a positive integer');
      control.dropResponses({ method, path, count: (count as number | undefined) ?? 1 });
      return { ok: true };
    },
  );

  app.post<{ Body: FaultSpec }>('/__control/faults', async (request) => {
    try {
      // `reset` also forgets answers queued to be dropped.
      if (request.body?.reset) control.resetFaults();
      control.faults.apply(request.body ?? {});
    } catch (error) {
      throw bad(error instanceof Error ? error.message : String(error));
    }
    return control.faults.snapshot();
  });
}
